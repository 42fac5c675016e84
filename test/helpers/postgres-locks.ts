import { Client } from 'pg';
import type { TestGateway } from './gateway';

/** A connection of the test's own that holds an exclusive lock on the units until released. */
export async function lockUnits(
  gw: TestGateway,
): Promise<{ client: Client; release: () => Promise<void> }> {
  const client = new Client({ connectionString: gw.config.database.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE org_unit IN ACCESS EXCLUSIVE MODE');
  return {
    client,
    release: async () => {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

/** Backends of the gateway's database waiting for a lock. */
export async function waitingOnLocks(client: Client): Promise<number> {
  // Note: within a transaction, PostgreSQL keeps one snapshot of the statistics unless cleared.
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query<{ n: string }>(
    `SELECT COUNT(*) AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return Number(rows[0].n);
}
