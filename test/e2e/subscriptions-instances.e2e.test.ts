import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ROOT, startServerProcess } from '../helpers/server-process';
import { REDIS_URL, redisAnswers } from '../helpers/redis';
import { WsConnection } from '../helpers/subscription';
import { adminQuery, databaseUrl, dropDatabase } from '../../src/db/postgres-admin';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';

/** The PostgreSQL server these suites create their database on. */
const POSTGRES_URL = (process.env.DATABASE_URL ?? '').startsWith('postgres')
  ? process.env.DATABASE_URL!
  : (process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test');

/** Whether PostgreSQL answers a TCP connection, checked synchronously so the suite can skip. */
function postgresAnswers(): boolean {
  const { hostname, port } = new URL(POSTGRES_URL);
  const script = `const s = require('node:net').connect(${Number(port) || 5432}, '${hostname}');
    s.setTimeout(1000, () => process.exit(1));
    s.on('error', () => process.exit(1));
    s.on('connect', () => process.exit(0));`;
  try {
    execFileSync(process.execPath, ['-e', script], { timeout: 5000, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs when the test run is on PostgreSQL (under CI, always then, and fails without Redis, as the
 * Redis suites do), or locally on SQLite when PostgreSQL and Redis both answer. Under CI, the
 * SQLite phase leaves it to the PostgreSQL phase of `.ci/run`.
 */
const onPostgres = (process.env.DATABASE_URL ?? '').startsWith('postgres');
const ci = process.env.CI === 'true';
const run = onPostgres ? ci || redisAnswers() : !ci && postgresAnswers() && redisAnswers();
if (!run)
  console.warn(
    ci
      ? 'The two-instance subscription suites run in the PostgreSQL phase.'
      : 'Skipping the two-instance subscription suites: PostgreSQL or Redis does not answer.',
  );

const CABINET = toGlobalId('OrgUnit', seedUuid('OrgUnit', 'cabinet-du-prefet-seine-et-marne'));

/** Creates an EDITOR key on `url` with the keys CLI (the test process's entities may be SQLite's). */
function editorKey(url: string): string {
  const out = execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'dist', 'cli', 'keys.js'),
      'create',
      '--name',
      'instances',
      '--role',
      'EDITOR',
    ],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' } },
  );
  return String(out).trim().split('\n').pop()!;
}

(run ? describe : describe.skip).each([
  ['Redis pub/sub', { REDIS_URL }, 'redis'],
  ['PostgreSQL LISTEN/NOTIFY', {}, 'postgres'],
] as const)('two gateway processes on one PostgreSQL, heads over %s', (_name, env, kind) => {
  const name = `annuaire_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const url = databaseUrl(POSTGRES_URL, name);
  let a: ReturnType<typeof startServerProcess>;
  let b: ReturnType<typeof startServerProcess>;
  let urlA: string;
  let urlB: string;
  let key: string;
  let version = 1;

  beforeAll(async () => {
    await adminQuery(POSTGRES_URL, `CREATE DATABASE ${name}`);
    // Note: one after the other, so that only the first seeds the empty database.
    a = startServerProcess(url, { ...env, LOG_LEVEL: 'info' });
    urlA = await a.ready;
    b = startServerProcess(url, { ...env, LOG_LEVEL: 'info' });
    urlB = await b.ready;
    key = editorKey(url);
  }, 60_000);
  afterAll(async () => {
    for (const server of [a, b]) {
      server?.child.kill('SIGTERM');
      await server?.exited;
    }
    await dropDatabase(POSTGRES_URL, name);
  });

  async function renameOn(graphqlUrl: string, unitName: string): Promise<void> {
    const res = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        query: `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { userErrors { code } } }`,
        variables: { input: { id: CABINET, expectedVersion: version, name: unitName } },
      }),
    });
    const body = (await res.json()) as { errors?: unknown; data?: unknown };
    expect(body.errors).toBeUndefined();
    version += 1;
  }

  it(`publishes heads over ${kind}`, () => {
    for (const server of [a, b]) expect(server.output()).toContain(`"subscriptionHeads":"${kind}"`);
  });

  it('delivers a write on A to a subscriber on B within a second, and on A too', async () => {
    const onB = await WsConnection.open(urlB);
    const onA = await WsConnection.open(urlA);
    try {
      await Promise.all([onB.acknowledged(), onA.acknowledged()]);
      const query =
        'subscription { directoryChanges(types: [ORG_UNIT]) { sequence entityId changedFields { field after } } }';
      onB.subscribe('b', query);
      onA.subscribe('a', query);
      await new Promise((r) => setTimeout(r, 500));
      for (let i = 0; i < 3; i++) {
        const sent = Date.now();
        await renameOn(urlA, `Cabinet multi-instance ${kind} ${i}`);
        await onB.until((m) => m.filter((x) => x.id === 'b' && x.type === 'next').length > i, 5000);
        expect(Date.now() - sent).toBeLessThan(1000);
      }
      await onA.until((m) => m.filter((x) => x.id === 'a' && x.type === 'next').length >= 3);
      const fromB = onB.nexts('b').map((p) => p.data!.directoryChanges);
      expect(fromB).toEqual(onA.nexts('a').map((p) => p.data!.directoryChanges));
      expect(fromB.map((c) => (c as { entityId: string }).entityId)).toEqual([
        CABINET,
        CABINET,
        CABINET,
      ]);
    } finally {
      onA.close();
      onB.close();
    }
  });
});
