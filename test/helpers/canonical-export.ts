import type { DataSource } from 'typeorm';
import { writeSnapshot } from '../../src/modules/sync/snapshot';

/** A record of a canonical export, without its timestamps. */
export type ExportRecord = {
  type: string;
  id: string;
  version: number;
  fields: Record<string, unknown>;
  sources: string[];
};

/** The records of snapshot lines, header and timestamps left out: what two copies must share. */
export function exportRecords(lines: string[]): ExportRecord[] {
  return lines
    .filter((line) => line.trim())
    .slice(1)
    .map((line) => {
      const { createdAt: _c, updatedAt: _u, ...record } = JSON.parse(line);
      return record as ExportRecord;
    });
}

/** The canonical export a gateway serves (GET /export/snapshot.ndjson), as records. */
export async function servedExport(
  origin: string,
  headers: Record<string, string> = {},
): Promise<ExportRecord[]> {
  const res = await fetch(`${origin}/export/snapshot.ndjson`, { headers });
  if (res.status !== 200) throw new Error(`GET /export/snapshot.ndjson: HTTP ${res.status}`);
  return exportRecords((await res.text()).split('\n'));
}

/** The same export produced from a database directly (e.g. a mirror with no server on it). */
export async function databaseExport(
  db: DataSource,
  withPrivate: boolean,
): Promise<ExportRecord[]> {
  const lines: string[] = [];
  await writeSnapshot(db, { withPrivate }, async (line) => {
    lines.push(line);
  });
  return exportRecords(lines);
}

/** The search index of a database, in key order: two copies must answer search alike. */
export async function searchDocuments(db: DataSource): Promise<unknown[]> {
  return db.query(
    'SELECT "entityId", "entityType", title, body FROM search_document ORDER BY "entityId"',
  );
}
