import { Client } from 'pg';
import type { DataSource } from 'typeorm';

/** Runs one statement on a short-lived connection to the server of `url` (any database on it). */
export async function adminQuery(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** The URL of database `name` on the server of `url`. */
export function databaseUrl(url: string, name: string): string {
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
}

/**
 * Drops a throw-away database once the pools that read it have really gone. pg's Pool.end()
 * resolves before its connections have closed, and forcing the drop while they linger
 * terminates them under their owners, whose idle clients then raise errors. Waits up to two
 * seconds for them to leave, then forces the drop all the same.
 */
export async function dropDatabase(url: string, name: string): Promise<void> {
  const deadline = Date.now() + 2000;
  const others = () =>
    adminQuery(
      url,
      'SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
  while (Date.now() < deadline && (await others()).length)
    await new Promise((resolve) => setTimeout(resolve, 50));
  await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/**
 * Refreshes PostgreSQL's planner statistics after a bulk write. Note: until autovacuum gets to
 * the new rows (or never, where it is off), the planner guesses a handful of rows per table and
 * picks plans that scan everything: the org chart of a prefecture took 25 ms instead of 2 ms
 * right after the national directory was generated. SQLite keeps its plans without statistics.
 */
export async function refreshStatistics(db: DataSource): Promise<void> {
  if (db.options.type === 'postgres') await db.query('ANALYZE');
}
