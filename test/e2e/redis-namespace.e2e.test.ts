import Redis from 'ioredis';
import { startSiblingGateway, startTestGateway, TestGateway } from '../helpers/gateway';
import { REDIS_URL, redisSuitesRun } from '../helpers/redis';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';
import { DEPLOYMENT_ROW, redisNamespace } from '../../src/db/redis-namespace';

const unitId = (slug: string) => toGlobalId('OrgUnit', seedUuid('OrgUnit', slug));
const CABINET = 'cabinet-du-prefet-seine-et-marne';
const CARD = `{ unit(slug: "${CABINET}") { name } }`;
const RENAME = `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { userErrors { code } } }`;

async function head(gw: TestGateway): Promise<number> {
  const rows: Array<{ n: number | string }> = await gw.db.query(
    'SELECT MAX(sequence) AS n FROM change_log',
  );
  return Number(rows[0].n);
}

async function rename(gw: TestGateway, slug: string, name: string): Promise<void> {
  const { key } = await gw.auth.keys.create('namespace editor', Role.EDITOR);
  const res = await gw.gql(
    RENAME,
    { input: { id: unitId(slug), expectedVersion: 1, name } },
    { authorization: `Bearer ${key}` },
  );
  expect(res.body.errors).toBeUndefined();
}

const remaining = (res: { body: { extensions?: Record<string, unknown> } }) =>
  (res.body.extensions?.cost as { remaining: number }).remaining;

/** Two deployments (two databases) on one Redis share none of its entries. */
const withRedis = redisSuitesRun();
(withRedis ? describe : describe.skip)(
  `deployments sharing one Redis (${withRedis ? REDIS_URL : 'skipped: no Redis'})`,
  () => {
    let a: TestGateway;
    let b: TestGateway;
    let sibling: TestGateway;
    const env = { REDIS_URL, RATE_LIMIT_POINTS: '100000' };
    beforeAll(async () => {
      [a, b] = await Promise.all([startTestGateway(env), startTestGateway(env)]);
      sibling = await startSiblingGateway(a, env);
    });
    afterAll(async () => {
      await sibling.stop();
      await Promise.all([a.stop(), b.stop()]);
    });

    it('draws one namespace per database, which its instances share', async () => {
      const [na, nb, ns] = await Promise.all([
        redisNamespace(a.config.rateLimit, a.db),
        redisNamespace(b.config.rateLimit, b.db),
        redisNamespace(sibling.config.rateLimit, sibling.db),
      ]);
      expect(na).toMatch(/^annuaire:[0-9a-z]+:$/);
      expect(nb).not.toBe(na);
      expect(ns).toBe(na);
      expect(await redisNamespace({ redisPrefix: 'chosen:' }, a.db)).toBe('chosen:');
      const rows: unknown[] = await a.db.query(
        `SELECT value FROM change_log_meta WHERE name = '${DEPLOYMENT_ROW}'`,
      );
      expect(rows).toHaveLength(1);
    });

    it('never serves one database’s cached answer to the other, at the same head', async () => {
      // Note: the same seeded directory, then one write on each: the same head, other data.
      await rename(b, CABINET, 'Cabinet renommé dans la base B');
      await rename(a, 'prefecture-seine-et-marne', 'Préfecture renommée dans la base A');
      expect(await head(a)).toBe(await head(b));
      const fromA = await a.gql<{ unit: { name: string } }>(CARD);
      expect(fromA.body.data!.unit.name).not.toBe('Cabinet renommé dans la base B');
      // Note: the answer is in Redis: the sibling on A's database reads it without a statement.
      const fromSibling = await sibling.gql(CARD);
      expect(fromSibling.body).toMatchObject({ data: fromA.body.data });
      const fromB = await b.gql<{ unit: { name: string } }>(CARD);
      expect(fromB.body.data!.unit.name).toBe('Cabinet renommé dans la base B');
      const redis = new Redis(REDIS_URL);
      try {
        const namespace = await redisNamespace(a.config.rateLimit, a.db);
        expect((await redis.keys(`${namespace}apollo:*`)).length).toBeGreaterThan(0);
      } finally {
        redis.disconnect();
      }
    });

    it('keeps one rate budget per deployment, shared by its instances', async () => {
      const first = await a.gql('{ __typename }');
      const onSibling = await sibling.gql('{ __typename }');
      expect(remaining(onSibling)).toBeLessThan(remaining(first));
      const onB = await b.gql('{ units(first: 1) { nodes { name } } }');
      const again = await b.gql('{ units(first: 1) { nodes { name } } }');
      expect(remaining(again)).toBeLessThan(remaining(onB));
      // Note: B's budget for the same caller is its own, untouched by A's requests.
      expect(remaining(onB)).toBeGreaterThan(remaining(onSibling));
    });
  },
);
