import type { RecordTypeDescriptor } from '../node/record-types';
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
  entityType: { value: 'ORG_UNIT', description: 'Organizational units.' },
  load: (ctx, uuid) => unitLoaders(ctx).unit.load(uuid),
  // Note: the parent too, so that the scope of a deleted unit still reaches its ancestors.
  anchor: (_em, s) => [s.uuid, s.parentId],
  search: {
    description: 'Organizational units (name, acronym, description).',
    document: (_em, unit) => UNIT_SEARCH(unit),
  },
};
