import Database from 'better-sqlite3';
import { Client } from 'pg';
import { startTestGateway, TestGateway, usingPostgres } from '../helpers/gateway';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';
import { OrgUnit } from '../../src/modules/org-unit/org-unit.entity';
import { ChangeEntry } from '../../src/modules/changelog/change-entry.entity';
import { WRITE_LOCK } from '../../src/db/write-transaction';

/**
 * Writes while another process holds a long write transaction, as `npm run import` does (one
 * transaction, the write lock held to its end): a mutation waits DATABASE_LOCK_TIMEOUT_MS, then
 * gets DATABASE_BUSY with HTTP 503 and `Retry-After`, nothing written; the waiters never take
 * the pool, so /ready answers meanwhile; once the transaction ends, writes go through again.
 */

const ONACVG = seedUuid('OrgUnit', 'onacvg');
const UPDATE = `mutation($input: UpdateUnitInput!) {
  updateUnit(input: $input) { unit { name version } userErrors { code } }
}`;

let gw: TestGateway;
let editor: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway({ DATABASE_LOCK_TIMEOUT_MS: '400' });
  editor = { authorization: `Bearer ${(await gw.auth.keys.create('busy', Role.EDITOR)).key}` };
});

afterAll(() => gw?.stop());

/** Holds the database's write lock from another connection, as an import does, until released. */
async function holdWriteLock(): Promise<() => Promise<void>> {
  if (usingPostgres) {
    const client = new Client({ connectionString: gw.config.database.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    await client.query(`UPDATE org_unit SET "updatedAt" = now() WHERE id = $1`, [ONACVG]);
    return async () => {
      await client.query('ROLLBACK');
      await client.end();
    };
  }
  const other = new Database(gw.config.database.sqlitePath!);
  other.exec('BEGIN IMMEDIATE');
  other.prepare(`UPDATE org_unit SET "updatedAt" = "updatedAt" WHERE id = ?`).run(ONACVG);
  return async () => {
    other.exec('ROLLBACK');
    other.close();
  };
}

async function rename(name: string) {
  const unit = await gw.db.getRepository(OrgUnit).findOneByOrFail({ uuid: ONACVG });
  return gw.gql<{ updateUnit: { unit: { name: string } | null } | null }>(
    UPDATE,
    { input: { id: toGlobalId('OrgUnit', ONACVG), expectedVersion: unit.version, name } },
    editor,
  );
}

describe(`a write during a long write transaction (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('gets DATABASE_BUSY with Retry-After, writes nothing, and leaves /ready answering', async () => {
    const before = await gw.db.getRepository(OrgUnit).findOneByOrFail({ uuid: ONACVG });
    const logged = await gw.db.getRepository(ChangeEntry).count();
    const release = await holdWriteLock();
    try {
      // More waiting writes than the pool has connections, and /ready among them.
      const [ready, ...answers] = await Promise.all([
        new Promise<Response>((resolve) => setTimeout(() => resolve(gw.raw('/ready')), 50)),
        ...Array.from({ length: 12 }, (_, i) => rename(`Office pendant l'import ${i}`)),
      ]);
      expect(ready.status).toBe(200);
      for (const res of answers) {
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('1');
        expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['DATABASE_BUSY']);
        expect(res.body.errors?.[0].message).toMatch(/busy/);
      }
      expect((await gw.raw('/ready')).status).toBe(200);
    } finally {
      await release();
    }
    const after = await gw.db.getRepository(OrgUnit).findOneByOrFail({ uuid: ONACVG });
    expect([after.name, after.version]).toEqual([before.name, before.version]);
    expect(await gw.db.getRepository(ChangeEntry).count()).toBe(logged);
  });

  it('goes through once the other transaction has ended', async () => {
    const res = await rename('Office après l’import');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.updateUnit?.unit?.name).toBe('Office après l’import');
  });
});
