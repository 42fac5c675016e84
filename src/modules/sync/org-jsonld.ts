import { hydrate } from '../../db/hydrate';
import type { DataSource } from 'typeorm';
import { withReadSnapshot } from './read-snapshot';
import { canonicalRecord, CanonicalRecord } from './canonical';
import { recordTypes } from '../node/record-types';
import { citationsByRecord, identifiersByRecord } from './snapshot';

/** The JSON-LD context: W3C ORG, schema.org, PROV, FOAF and Dublin Core terms. */
export const ORG_CONTEXT = {
  org: 'http://www.w3.org/ns/org#',
  schema: 'https://schema.org/',
  prov: 'http://www.w3.org/ns/prov#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  dct: 'http://purl.org/dc/terms/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  annuaire: 'urn:annuaire-graphql:vocab#',
  name: 'schema:name',
  alternateName: 'schema:alternateName',
  description: 'schema:description',
  identifier: 'dct:identifier',
  orgIdentifier: 'org:identifier',
  classification: { '@id': 'org:classification', '@type': '@vocab' },
  subOrganizationOf: { '@id': 'org:subOrganizationOf', '@type': '@id' },
  postIn: { '@id': 'org:postIn', '@type': '@id' },
  heldBy: { '@id': 'org:heldBy', '@type': '@id' },
  reportsTo: { '@id': 'org:reportsTo', '@type': '@id' },
  headOf: { '@id': 'org:headOf', '@type': '@id' },
  purpose: { '@id': 'org:purpose', '@type': '@id' },
  linkedTo: { '@id': 'org:linkedTo', '@type': '@id' },
  underAuthorityOf: { '@id': 'annuaire:underAuthorityOf', '@type': '@id' },
  supports: { '@id': 'annuaire:supports', '@type': '@id' },
  coordinatesWith: { '@id': 'annuaire:coordinatesWith', '@type': '@id' },
  subPropertyOf: { '@id': 'rdfs:subPropertyOf', '@type': '@id' },
  label: 'rdfs:label',
  owner: { '@id': 'annuaire:owner', '@type': '@id' },
  carriedOutBy: { '@id': 'annuaire:carriedOutBy', '@type': '@id' },
  broader: { '@id': 'skos:broader', '@type': '@id' },
  member: { '@id': 'org:member', '@type': '@id' },
  organization: { '@id': 'org:organization', '@type': '@id' },
  role: { '@id': 'org:role', '@type': '@id' },
  memberDuring: { '@id': 'org:memberDuring', '@type': '@id' },
  startDate: { '@id': 'schema:startDate', '@type': 'xsd:date' },
  endDate: { '@id': 'schema:endDate', '@type': 'xsd:date' },
  givenName: 'schema:givenName',
  familyName: 'schema:familyName',
  jobTitle: 'schema:jobTitle',
  wasDerivedFrom: { '@id': 'prov:wasDerivedFrom', '@type': '@id' },
  invalidatedAtTime: { '@id': 'prov:invalidatedAtTime', '@type': 'xsd:dateTime' },
  publisher: 'dct:publisher',
  url: { '@id': 'schema:url', '@type': '@id' },
  dateModified: { '@id': 'schema:dateModified', '@type': 'xsd:date' },
  version: 'schema:version',
};

const RELATION_PROPERTY: Record<string, string> = {
  UNDER_AUTHORITY_OF: 'underAuthorityOf',
  SUPPORTS: 'supports',
  COORDINATES_WITH: 'coordinatesWith',
};

/** The relation properties, declared as sub-properties of org:linkedTo at the head of the graph. */
export const RELATION_PROPERTIES = [
  {
    '@id': 'annuaire:underAuthorityOf',
    '@type': 'rdf:Property',
    subPropertyOf: 'org:linkedTo',
    label: 'placé sous l’autorité de',
  },
  {
    '@id': 'annuaire:supports',
    '@type': 'rdf:Property',
    subPropertyOf: 'org:linkedTo',
    label: 'apporte son concours à',
  },
  {
    '@id': 'annuaire:coordinatesWith',
    '@type': 'rdf:Property',
    subPropertyOf: 'org:linkedTo',
    label: 'en lien étroit avec',
  },
];

/** The `@id` of a record: a URN on its global id, stable like the id itself. */
export function iri(globalId: string | null | undefined): string | undefined {
  return globalId ? `urn:annuaire-graphql:${globalId}` : undefined;
}

function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).filter(
      ([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0),
    ),
  ) as T;
}

/** One record as JSON-LD nodes (a relation is folded into its source unit by the writer). */
export function jsonLdNode(r: CanonicalRecord): Record<string, unknown> | null {
  const f = r.fields as Record<string, string | null>;
  const base = {
    '@id': iri(r.id),
    identifier: r.id,
    version: r.version,
    wasDerivedFrom: r.sources.map(iri),
  };
  switch (r.type) {
    case 'OrgUnit':
      return compact({
        ...base,
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
      });
    case 'Post':
      return compact({
        ...base,
        '@type': 'org:Post',
        name: f.title,
        description: f.description,
        postIn: iri(f.unitId),
        reportsTo: iri(f.reportsToId),
        headOf: f.isHead ? iri(f.unitId) : undefined,
        invalidatedAtTime: f.archivedAt,
      });
    case 'Person':
      return compact({
        ...base,
        '@type': ['foaf:Person', 'schema:Person'],
        givenName: f.givenName,
        familyName: f.familyName,
        name: [f.givenName, f.familyName].filter(Boolean).join(' '),
        jobTitle: f.grade,
      });
    case 'Appointment':
      return compact({
        ...base,
        '@type': 'org:Membership',
        member: iri(f.personId),
        role: iri(f.postId),
        memberDuring: compact({
          '@type': 'schema:Event',
          startDate: f.startDate,
          endDate: f.endDate,
        }),
        description: f.note,
      });
    case 'Mission':
    case 'Responsibility':
      return compact({
        ...base,
        '@type': ['skos:Concept', `annuaire:${r.type}`],
        name: f.title,
        description: f.description,
        identifier: f.reference ?? r.id,
        owner: iri(f.ownerUnitId ?? f.ownerPostId),
        carriedOutBy: iri(f.carriedOutById),
        broader: iri(f.missionId),
      });
    case 'Source':
      return compact({
        ...base,
        '@type': ['prov:Entity', 'schema:WebPage'],
        name: f.title,
        publisher: f.publisher,
        url: f.url,
        dateModified: f.sourceDate,
        description: f.notes,
      });
    case 'Relation':
      return compact({
        '@id': iri(f.fromUnitId),
        linkedTo: iri(f.toUnitId ?? f.toPostId),
        [RELATION_PROPERTY[f.type as string] ?? 'linkedTo']: iri(f.toUnitId ?? f.toPostId),
      });
    default:
      return null;
  }
}

/**
 * Streams the directory as JSON-LD (W3C ORG with schema.org terms): units as
 * org:OrganizationalUnit with org:subOrganizationOf, posts as org:Post with org:reportsTo,
 * holders as org:heldBy on the post and org:Membership with dates, relations as sub-properties
 * of org:linkedTo (declared at the head of the graph), sources as prov:wasDerivedFrom, archived
 * units and posts with prov:invalidatedAtTime. Public fields only.
 */
export async function writeOrgJsonLd(
  db: DataSource,
  write: (chunk: string) => Promise<void>,
): Promise<void> {
  await withReadSnapshot(db, async (snap) => {
    await write(`{"@context":${JSON.stringify(ORG_CONTEXT)},"@graph":[`);
    let first = true;
    const emit = async (node: Record<string, unknown> | null) => {
      if (!node) return;
      await write(`${first ? '' : ','}\n${JSON.stringify(node)}`);
      first = false;
    };
    for (const property of RELATION_PROPERTIES) await emit(property);
    const today = new Date().toISOString().slice(0, 10);
    for (const spec of recordTypes()) {
      let last = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const rows = await snap.query(
          `SELECT * FROM ${spec.table} WHERE id > ? ORDER BY id LIMIT 500`,
          [last],
        );
        if (rows.length === 0) break;
        last = rows[rows.length - 1].id as string;
        const ids = rows.map((r) => r.id as string);
        const identifiers =
          spec.name === 'OrgUnit' ? await identifiersByRecord(snap, ids) : new Map<string, never>();
        const cites = await citationsByRecord(snap, ids);
        for (const record of hydrate(db, spec.entity, rows)) {
          const canonical = canonicalRecord(
            spec.name,
            record,
            cites.get(record.uuid) ?? [],
            { withPrivate: false, withTimestamps: false },
            identifiers.get(record.uuid) ?? [],
          );
          const node = jsonLdNode(canonical);
          if (node && spec.name === 'Appointment') {
            // Note: a current holder also appears as org:heldBy on the post, the ORG shortcut.
            const f = canonical.fields as Record<string, string | null>;
            const current =
              (!f.startDate || f.startDate <= today) && (!f.endDate || today <= f.endDate);
            if (current && f.personId)
              await emit({ '@id': iri(f.postId), heldBy: iri(f.personId) });
          }
          await emit(node);
        }
        if (rows.length < 500) break;
      }
    }
    await write('\n]}');
  });
}
