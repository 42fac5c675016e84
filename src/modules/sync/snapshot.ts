import { hydrate } from '../../db/hydrate';
import type { DataSource } from 'typeorm';
import { withReadSnapshot, ReadSnapshot } from './read-snapshot';
import { canonicalRecord } from './canonical';
import { recordTypes } from '../node/record-types';
import { encodeFeedCursor } from './change-feed';
import type { SchemeValue } from '../source/external-identifiers';

/** Name and version of the snapshot format, in its header line. */
export const SNAPSHOT_FORMAT = 'annuaire-graphql/snapshot';
export const SNAPSHOT_FORMAT_VERSION = 1;
const CHUNK = 500;

/** The first line of a snapshot. */
export interface SnapshotHeader {
  format: string;
  formatVersion: number;
  asOf: string;
  asOfSequence: number;
  generatedAt: string;
  withPrivateFields: boolean;
  counts: Record<string, number>;
}

/**
 * Writes the whole directory as NDJSON through `write`, one consistent state read in one
 * snapshot transaction: a header with `asOf` (the feed cursor of the last change that state
 * includes) and the counts, then one line per record, each type in insertion order (parents
 * before children). Rows are read in chunks, so memory does not grow with the directory.
 */
export async function writeSnapshot(
  db: DataSource,
  options: { withPrivate: boolean },
  write: (line: string) => Promise<void>,
): Promise<SnapshotHeader> {
  return withReadSnapshot(db, async (snap) => {
    const head = await snap.query<{ max: number | null }>(
      'SELECT MAX(sequence) AS max FROM change_log',
    );
    // Note: once compaction has removed the whole log, the state is as of the compaction point,
    // not of an empty log: a cursor of 0 would be expired at once.
    const compacted = await snap.query<{ value: number }>(
      "SELECT value FROM change_log_meta WHERE name = 'compactedThrough'",
    );
    const asOfSequence = Math.max(Number(head[0]?.max ?? 0), Number(compacted[0]?.value ?? 0));
    const counts: Record<string, number> = {};
    for (const { name: type, table } of recordTypes()) {
      counts[type] = Number(
        (await snap.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n,
      );
    }
    const header: SnapshotHeader = {
      format: SNAPSHOT_FORMAT,
      formatVersion: SNAPSHOT_FORMAT_VERSION,
      asOf: encodeFeedCursor(asOfSequence),
      asOfSequence,
      generatedAt: new Date().toISOString(),
      withPrivateFields: options.withPrivate,
      counts,
    };
    await write(JSON.stringify(header));
    for (const spec of recordTypes()) {
      for await (const rows of chunks(snap, spec.table, spec.treeBy)) {
        const ids = rows.map((r) => r.id as string);
        const sources = await citationsByRecord(snap, ids);
        const identifiers = spec.externalIds
          ? await identifiersByRecord(snap, ids)
          : new Map<string, never>();
        for (const record of hydrate(db, spec.entity, rows)) {
          const line = canonicalRecord(
            spec.name,
            record,
            sources.get(record.uuid) ?? [],
            { withPrivate: options.withPrivate, withTimestamps: true },
            identifiers.get(record.uuid) ?? [],
          );
          await write(JSON.stringify(line));
        }
      }
    }
    return header;
  });
}

/**
 * The rows of a table in chunks, by id; for a tree (units by parent, posts by reportsTo) by
 * depth first, so that every row comes after the row it points to.
 */
async function* chunks(
  snap: ReadSnapshot,
  table: string,
  treeBy?: string,
): AsyncGenerator<Array<Record<string, unknown>>> {
  let depth = -1;
  let last = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = treeBy
      ? await snap.query(
          `WITH RECURSIVE t(id, depth) AS (
             SELECT id, 0 FROM ${table} WHERE "${treeBy}" IS NULL
             UNION ALL SELECT c.id, t.depth + 1 FROM ${table} c JOIN t ON c."${treeBy}" = t.id
           )
           SELECT r.*, t.depth AS "treeDepth" FROM ${table} r JOIN t ON t.id = r.id
           WHERE t.depth > ? OR (t.depth = ? AND r.id > ?)
           ORDER BY t.depth, r.id LIMIT ${CHUNK}`,
          [depth, depth, last],
        )
      : await snap.query(`SELECT * FROM ${table} WHERE id > ? ORDER BY id LIMIT ${CHUNK}`, [last]);
    if (rows.length === 0) return;
    yield rows;
    const end = rows[rows.length - 1];
    last = end.id as string;
    if (treeBy) depth = Number(end.treeDepth);
    if (rows.length < CHUNK) return;
  }
}

/** The sources each of the records `ids` cites, read in the snapshot's transaction. */
export async function citationsByRecord(
  snap: ReadSnapshot,
  ids: string[],
): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (ids.length === 0) return map;
  const rows = await snap.query<{ entityId: string; sourceId: string }>(
    `SELECT "entityId", "sourceId" FROM citation WHERE "entityId" IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  for (const r of rows) map.set(r.entityId, [...(map.get(r.entityId) ?? []), r.sourceId]);
  return map;
}

/** The identifiers in other systems of the records `ids`, read in the snapshot's transaction. */
export async function identifiersByRecord(
  snap: ReadSnapshot,
  ids: string[],
): Promise<Map<string, SchemeValue[]>> {
  const map = new Map<string, SchemeValue[]>();
  if (ids.length === 0) return map;
  const rows = await snap.query<SchemeValue & { entityId: string }>(
    `SELECT "entityId", scheme, value FROM external_identifier WHERE "entityId" IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  for (const { entityId, scheme, value } of rows)
    map.set(entityId, [...(map.get(entityId) ?? []), { scheme, value }]);
  return map;
}
