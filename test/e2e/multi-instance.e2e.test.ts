import { randomUUID } from 'node:crypto';
import { adminQuery, databaseUrl, dropDatabase } from '../../src/db/postgres-admin';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { REDIS_URL } from '../helpers/redis';
import { multiInstanceSuitesRun, POSTGRES_ADMIN_URL } from '../helpers/services';
import { createKey, startServerProcess } from '../helpers/server-process';

const CABINET = toGlobalId('OrgUnit', seedUuid('OrgUnit', 'cabinet-du-prefet-seine-et-marne'));
const CARD = '{ unit(slug: "cabinet-du-prefet-seine-et-marne") { name description version } }';
const UPDATE = `mutation($input: UpdateUnitInput!) {
  updateUnit(input: $input) { unit { version } userErrors { code } }
}`;
const HIT = /^annuaire-graphql; hit/;

type Server = ReturnType<typeof startServerProcess>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<any> => res.json();

/**
 * Two gateway processes (`dist/main.js`, as `npm start` runs it) on one PostgreSQL database and
 * one Redis, as an operator deploys them behind a proxy: the change-log compaction runs on
 * exactly one of them, a write through one is seen uncached through both, and the rate budget
 * is one budget.
 */
(multiInstanceSuitesRun() ? describe : describe.skip)('two gateway processes', () => {
  const name = `annuaire_multi_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const url = databaseUrl(POSTGRES_ADMIN_URL, name);
  const servers: Server[] = [];
  const urls: string[] = [];
  let editor = '';
  let limited = '';

  const env = {
    REDIS_URL,
    SEED_ON_START: 'false',
    CHANGE_LOG_RETENTION_DAYS: '7',
    LOG_LEVEL: 'debug',
  };

  beforeAll(async () => {
    await adminQuery(POSTGRES_ADMIN_URL, `CREATE DATABASE ${name}`);
    // A first start seeds the directory; then its first changes are made ten days old, so that
    // the next starts, with seven days of retention, have something to compact.
    const first = startServerProcess(url, { REDIS_URL });
    await first.ready;
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    editor = createKey(url, 'EDITOR', 'multi-instance editor');
    limited = createKey(url, 'AGENT', 'multi-instance budget');
    await adminQuery(
      url,
      `UPDATE change_log SET "occurredAt" = now() - interval '10 days' WHERE sequence <= 5`,
    );
    // Both start together and race for the compaction.
    servers.push(startServerProcess(url, env), startServerProcess(url, env));
    urls.push(...(await Promise.all(servers.map((s) => s.ready))));
  }, 60_000);

  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.exited));
    await dropDatabase(POSTGRES_ADMIN_URL, name);
  });

  const get = (i: number, query: string, headers: Record<string, string> = {}) =>
    fetch(`${urls[i]}?query=${encodeURIComponent(query)}`, { headers });
  const post = (i: number, query: string, variables: unknown, headers: Record<string, string>) =>
    fetch(urls[i], {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });

  it('compacts the change log on exactly one of them', async () => {
    const ran = 'change log compacted';
    const skipped = 'another instance compacted within the period';
    // Each logs one of the two once its first compaction is over.
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            const check = setInterval(() => {
              if (s.output().includes(ran) || s.output().includes(skipped)) {
                clearInterval(check);
                resolve();
              }
            }, 50);
          }),
      ),
    );
    expect(servers.map((s) => s.output().includes(ran)).sort()).toEqual([false, true]);
    const [{ value }] = (await adminQuery(
      url,
      `SELECT value FROM change_log_meta WHERE name = 'compactedThrough'`,
    )) as Array<{ value: number }>;
    expect(value).toBe(5);
  });

  it('serves a write made through one uncached through both', async () => {
    // Each instance has the card cached, in its own memory and in Redis.
    for (const i of [0, 1]) {
      await (await get(i, CARD)).arrayBuffer();
      expect((await get(i, CARD)).headers.get('cache-status')).toMatch(HIT);
    }
    const before = (await json(await get(0, CARD))).data.unit;
    const description = `Décrit par le test ${randomUUID()}`;
    const res = await post(
      0,
      UPDATE,
      { input: { id: CABINET, expectedVersion: before.version, description } },
      { authorization: `Bearer ${editor}` },
    );
    expect((await json(res)).data.updateUnit.userErrors).toEqual([]);
    for (const i of [1, 0]) {
      const after = await get(i, CARD);
      expect(after.headers.get('cache-status')).not.toMatch(HIT);
      expect((await json(after)).data.unit).toMatchObject({
        description,
        version: before.version + 1,
      });
    }
  });

  it('charges one rate budget, whichever instance answers', async () => {
    const auth = { authorization: `Bearer ${limited}` };
    const remaining = (r: Response) => Number(r.headers.get('ratelimit-remaining'));
    const onA = await post(0, '{ __typename }', {}, auth);
    const onB = await post(1, '{ __typename }', {}, auth);
    const againOnA = await post(0, '{ __typename }', {}, auth);
    const limit = Number(onA.headers.get('ratelimit-limit'));
    // Each request was charged to the one budget: what is left goes down through both.
    expect(remaining(onA)).toBeLessThan(limit);
    expect(remaining(onB)).toBeLessThan(remaining(onA));
    expect(remaining(againOnA)).toBeLessThan(remaining(onB));
  });
});
