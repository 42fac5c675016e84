import { randomUUID } from 'node:crypto';
import { startServerProcess } from './server-process';
import { POSTGRES_ADMIN_URL } from './services';
import { adminQuery, databaseUrl, dropDatabase } from '../../src/db/postgres-admin';

/**
 * Two built gateway processes A and B on one new PostgreSQL database, with `env`, started one
 * after the other so that only the first seeds the empty database; `stop` ends both and drops
 * the database.
 */
export async function startTwoGateways(env: Record<string, string>) {
  const name = `annuaire_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const url = databaseUrl(POSTGRES_ADMIN_URL, name);
  await adminQuery(POSTGRES_ADMIN_URL, `CREATE DATABASE ${name}`);
  const a = startServerProcess(url, env);
  const urlA = await a.ready;
  const b = startServerProcess(url, env);
  const urlB = await b.ready;
  return {
    url,
    a,
    b,
    urlA,
    urlB,
    async stop(): Promise<void> {
      for (const server of [a, b]) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      await dropDatabase(POSTGRES_ADMIN_URL, name);
    },
  };
}
