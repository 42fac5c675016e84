import { toGlobalId, NodeType } from '../modules/node/global-id';
import { apiValue } from '../modules/changelog/references';
import { recordTypeNamed, recordTypes } from '../modules/node/record-types';
import { getMetadataArgsStorage } from 'typeorm';
import { EntityType } from '../modules/sync/entity-type';
import { ftsMatchOf, ftsSearchStatement, tsQueryOf } from '../modules/search/search.store';
import type { RawDb } from './raw-db';
import { displayName, Row, unitId } from './answers';

/** B1 answers of the search (Q4) and of the change feed (Q5); see answers.ts. */
/** Q4: ranked search, with the statement of the SearchStore for the dialect. */
export async function search(db: RawDb, vars: { query: string; first: number }) {
  let hits: Row[];
  if (db.dialect === 'postgres') {
    const tsquery = tsQueryOf(vars.query);
    hits = await db.all(
      `SELECT "entityType", "entityId", COUNT(*) OVER () AS total FROM search_document, to_tsquery('french', ?) q
       WHERE document @@ q ORDER BY ts_rank(document, q) DESC, title, "entityId" OFFSET 0 LIMIT ?`,
      [tsquery, vars.first],
    );
  } else {
    hits = await db.all(ftsSearchStatement(null, 0, vars.first), [ftsMatchOf(vars.query)]);
  }
  const ids = (type: string) =>
    hits.filter((h) => h.entityType === type).map((h) => h.entityId as string);
  const load = (type: string, table: string, columns: string) =>
    ids(type).length
      ? db.all(`SELECT id, ${columns} FROM ${table} WHERE ${db.inList('id')}`, [
          db.listParam(ids(type)),
        ])
      : Promise.resolve([]);
  const [units, posts, people, missions, responsibilities] = await Promise.all([
    load('OrgUnit', 'org_unit', 'name'),
    load('Post', 'post', 'title'),
    load('Person', 'person', '"givenName", "familyName"'),
    load('Mission', 'mission', 'title'),
    load('Responsibility', 'responsibility', 'title'),
  ]);
  const found = new Map<unknown, object>();
  for (const u of units) found.set(u.id, { __typename: 'OrgUnit', id: unitId(u.id), name: u.name });
  for (const [type, rows] of [
    ['Post', posts],
    ['Mission', missions],
    ['Responsibility', responsibilities],
  ] as const)
    for (const r of rows)
      found.set(r.id, { __typename: type, id: toGlobalId(type, r.id as string), title: r.title });
  for (const p of people)
    found.set(p.id, {
      __typename: 'Person',
      id: toGlobalId('Person', p.id as string),
      displayName: displayName(p),
    });
  return {
    search: {
      totalCount: hits.length ? Number(hits[0].total) : 0,
      nodes: hits.map((h) => found.get(h.entityId)).filter(Boolean),
    },
  };
}

/**
 * The record types' tables, and those that can be archived (the feed shows no archived record):
 * from the registry, when an answer is built, not at load (the registry fills after).
 */
const tables = () => recordTypes().map(({ name, table, entity }) => ({ name, table, entity }));
const archivable = (entity: object) =>
  getMetadataArgsStorage().columns.some(
    (c) => c.target === entity && c.propertyName === 'archivedAt',
  );
// Note: read when an answer is built, not at load: EntityType is filled with the registry.
const entityTypeName = (type: string) =>
  Object.entries(EntityType).find(([, value]) => value === type)?.[0];
const feedCursor = (sequence: number) => Buffer.from(`s:${sequence}`).toString('base64url');

/** Q5: a page of the change feed, as an anonymous caller sees it. */
export async function changes(db: RawDb, vars: { after: string | null; first: number }) {
  const after = vars.after
    ? Number(/^s:(\d+)$/.exec(Buffer.from(vars.after, 'base64url').toString())![1])
    : 0;
  const [meta] = await db.all('SELECT value FROM change_log_meta WHERE name = ?', [
    'compactedThrough',
  ]);
  if (meta && after < Number(meta.value)) throw new Error('cursor expired');
  const rows = await db.all(
    'SELECT sequence, "entityType", "entityId", operation, version, changes FROM change_log WHERE sequence > ? ORDER BY sequence LIMIT ?',
    [after, vars.first + 1],
  );
  const page = rows.slice(0, vars.first);
  const live = new Set<unknown>();
  await Promise.all(
    tables().map(async ({ name: type, table, entity }) => {
      const ids = [
        ...new Set(page.filter((r) => r.entityType === type).map((r) => r.entityId as string)),
      ];
      if (!ids.length) return;
      const archived = archivable(entity) ? ' AND "archivedAt" IS NULL' : '';
      const found = await db.all(`SELECT id FROM ${table} WHERE ${db.inList('id')}${archived}`, [
        db.listParam(ids),
      ]);
      for (const f of found) live.add(f.id);
    }),
  );
  const edges = page.map((r) => {
    const type = r.entityType as NodeType;
    const hidden = recordTypeNamed(type)?.privateFields ?? [];
    const changed = JSON.parse(r.changes as string) as Record<string, { after: unknown }>;
    const id = toGlobalId(type, r.entityId as string);
    return {
      cursor: feedCursor(Number(r.sequence)),
      node: {
        sequence: Number(r.sequence),
        operation: r.operation,
        entityType: entityTypeName(type),
        entityId: id,
        version: Number(r.version),
        changedFields: Object.entries(changed)
          .filter(([field]) => !hidden.includes(field))
          .map(([field, v]) => ({ field, after: apiValue(field, v.after) ?? null })),
        node: live.has(r.entityId) ? { id } : null,
      },
    };
  });
  return {
    changes: {
      pageInfo: {
        hasNextPage: rows.length > vars.first,
        endCursor: feedCursor(page.length ? Number(page[page.length - 1].sequence) : after),
      },
      edges,
    },
  };
}
