import type { DataSource } from 'typeorm';

const TABLES = [
  'org_unit',
  'post',
  'person',
  'appointment',
  'mission',
  'responsibility',
  'relation',
  'source',
  'citation',
  'search_document',
  'webhook_subscription',
  'webhook_delivery',
];

/**
 * A fingerprint of the whole directory: every row of every table, in key order. Two equal
 * fingerprints mean nothing was written in between.
 */
export async function databaseFingerprint(db: DataSource): Promise<string> {
  const parts: string[] = [];
  for (const table of TABLES) {
    const key =
      table === 'citation'
        ? '"entityId", "sourceId"'
        : table === 'search_document'
          ? '"entityId"'
          : 'id';
    const rows = await db.query(`SELECT * FROM ${table} ORDER BY ${key}`);
    parts.push(`${table}:${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}
