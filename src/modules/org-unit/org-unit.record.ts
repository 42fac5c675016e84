import { iri, oneNode } from '../node/json-ld';
import type { ExchangeRecord, RecordTypeDescriptor } from '../node/record-types';
import type { SearchFields } from '../node/write-effects';
import { OrgUnit } from './org-unit.entity';
import { unitLoaders } from './org-unit.loaders';

declare module '../node/record-types' {
  interface NodeTypes {
    OrgUnit: OrgUnit;
  }
}

/** A unit is indexed under its name and acronym, with its description. */
export const UNIT_SEARCH = (u: OrgUnit): SearchFields => ({
  title: [u.name, u.acronym].filter(Boolean).join(' '),
  body: u.description ?? '',
});

/** Organizational units: the tree every other record hangs from. */
export const ORG_UNIT_RECORD: RecordTypeDescriptor<OrgUnit> = {
  name: 'OrgUnit',
  entity: OrgUnit,
  table: 'org_unit',
  copyOrder: 10,
  treeBy: 'parentId',
  references: { parentId: 'OrgUnit' },
  entityType: { value: 'ORG_UNIT', description: 'Organizational units.' },
  load: (ctx, uuid) => unitLoaders(ctx).unit.load(uuid),
  // Note: the parent too, so that the scope of a deleted unit still reaches its ancestors.
  anchor: (_em, s) => [s.uuid, s.parentId],
  search: {
    description: 'Organizational units (name, acronym, description).',
    document: (_em, unit) => UNIT_SEARCH(unit),
  },
  externalIds: true,
  jsonLd: oneNode<ExchangeRecord>((f, r) => ({
    '@type': 'org:OrganizationalUnit',
    name: f.name,
    alternateName: f.acronym,
    description: f.description,
    classification: `annuaire:${f.kind}`,
    subOrganizationOf: iri(f.parentId),
    invalidatedAtTime: f.archivedAt,
    // Note: ORG's registration numbers and the like, typed by scheme as skos:notation asks.
    orgIdentifier: (r.externalIds ?? []).map(({ scheme, value }) => ({
      '@value': value,
      '@type': `annuaire:identifier-${scheme}`,
    })),
  })),
};
