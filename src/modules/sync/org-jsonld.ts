import { hydrate } from '../../db/hydrate';
import type { DataSource } from 'typeorm';
import { withReadSnapshot } from './read-snapshot';
import { canonicalRecord } from './canonical';
import type { JsonLdNode } from '../node/json-ld';
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
    const emit = async (node: JsonLdNode) => {
      await write(`${first ? '' : ','}\n${JSON.stringify(node)}`);
      first = false;
    };
    const mapped = recordTypes().filter((spec) => spec.jsonLd);
    for (const spec of mapped) for (const node of spec.jsonLd?.head ?? []) await emit(node);
    const today = new Date().toISOString().slice(0, 10);
    for (const spec of mapped) {
      let last = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const rows = await snap.query(
          `SELECT * FROM ${spec.table} WHERE id > ? ORDER BY id LIMIT 500`,
          [last],
        );
        if (rows.length === 0) break;
        last = rows[rows.length - 1].id as string;
        const ids = rows.map((r) => r.id as string);
        const identifiers = spec.externalIds
          ? await identifiersByRecord(snap, ids)
          : new Map<string, never>();
        const cites = await citationsByRecord(snap, ids);
        for (const record of hydrate(db, spec.entity, rows)) {
          const canonical = canonicalRecord(
            spec.name,
            record,
            cites.get(record.uuid) ?? [],
            { withPrivate: false, withTimestamps: false },
            identifiers.get(record.uuid) ?? [],
          );
          for (const node of spec.jsonLd?.nodes(canonical, today) ?? []) await emit(node);
        }
        if (rows.length < 500) break;
      }
    }
    await write('\n]}');
  });
}
