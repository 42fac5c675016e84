import { redisNamespace } from '../../src/db/redis-namespace';
import Redis from 'ioredis';
import { startTestGateway, TestGateway } from '../helpers/gateway';
import { REDIS_URL, redisSuitesRun } from '../helpers/redis';
import { Role } from '../../src/graphql/role';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';

const CHART = '{ orgChart(maxDepth: 4) { entries { unit { id name } } } }';
const BUREAU = toGlobalId(
  'OrgUnit',
  seedUuid('OrgUnit', 'bureau-representation-etat-seine-et-marne'),
);

/** Caching of public reads: HTTP headers, the server's response cache, and its invalidation. */
describe('response caching', () => {
  let gw: TestGateway;
  let editor: Record<string, string>;
  let agent: Record<string, string>;
  beforeAll(async () => {
    gw = await startTestGateway();
    editor = {
      authorization: `Bearer ${(await gw.auth.keys.create('cache editor', Role.EDITOR)).key}`,
    };
    agent = {
      authorization: `Bearer ${(await gw.auth.keys.create('cache agent', Role.AGENT)).key}`,
    };
  });
  afterAll(() => gw.stop());

  const sql = (res: { body: { extensions?: { sqlStatements?: number } } }) =>
    res.body.extensions!.sqlStatements!;

  it('serves a repeated anonymous read from the cache, with only the version probe, until a write', async () => {
    const first = await gw.gql(CHART);
    expect(first.headers.get('cache-control')).toBe('max-age=60, public');
    expect(sql(first)).toBeGreaterThan(2);
    const second = await gw.gql(CHART);
    expect(second.body.data).toEqual(first.body.data);
    expect(sql(second)).toBe(1);
    expect(second.headers.get('age')).not.toBeNull();

    const rename = await gw.gql(
      `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { unit { name } userErrors { code } } }`,
      {
        input: {
          id: BUREAU,
          expectedVersion: 1,
          name: 'Bureau de la Représentation de l’État (renommé pour le test)',
        },
      },
      editor,
    );
    expect(rename.body.errors).toBeUndefined();
    const third = await gw.gql(CHART);
    expect(sql(third)).toBeGreaterThan(2);
    expect(JSON.stringify(third.body.data)).toContain('renommé pour le test');
  });

  it('never caches for authenticated callers, whose responses are private', async () => {
    const a = await gw.gql(CHART, {}, agent);
    const b = await gw.gql(CHART, {}, agent);
    expect(b.headers.get('cache-control')).not.toContain('public');
    expect(sql(b)).toBe(sql(a));
    expect(sql(b)).toBeGreaterThan(1);
  });

  it('never caches `me`', async () => {
    const me = await gw.gql('{ me { role rateLimit { remaining } } }');
    expect(me.headers.get('cache-control')).toBe('no-store');
  });

  it('gives public GETs an ETag on their data, answered 304 while the data is the same', async () => {
    const url = `/graphql?query=${encodeURIComponent(CHART)}`;
    const headers = { 'apollo-require-preflight': 'true' };
    const first = await gw.raw(url, { headers });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    const again = await gw.raw(url, { headers });
    expect(again.headers.get('etag')).toBe(etag);
    // Note: fetch adds `Cache-Control: no-cache` to a conditional request unless one is given,
    // and no-cache rightly forbids a 304; a browser or proxy revalidating sends max-age=0.
    const revalidated = await gw.raw(url, {
      headers: { ...headers, 'if-none-match': etag!, 'cache-control': 'max-age=0' },
    });
    expect(revalidated.status).toBe(304);
  });
});

describe('automatic persisted queries over GET', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.stop());

  it('registers a query by its hash, then serves it by hash alone on a cacheable GET', async () => {
    const { createHash } = await import('node:crypto');
    const query = '{ bureaus { nodes { id name } } }';
    const extensions = {
      persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') },
    };
    const byHash = `/graphql?extensions=${encodeURIComponent(JSON.stringify(extensions))}`;
    const headers = { 'apollo-require-preflight': 'true' };
    const unknown = await gw.raw(byHash, { headers });
    expect(
      ((await unknown.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]
        .extensions.code,
    ).toBe('PERSISTED_QUERY_NOT_FOUND');
    const register = await gw.raw(`${byHash}&query=${encodeURIComponent(query)}`, { headers });
    expect(register.status).toBe(200);
    const served = await gw.raw(byHash, { headers });
    expect(served.status).toBe(200);
    expect(served.headers.get('cache-control')).toBe('max-age=60, public');
    expect(served.headers.get('etag')).toMatch(/^W\//);
    const body = (await served.json()) as { data: { bureaus: { nodes: unknown[] } } };
    expect(body.data.bureaus.nodes).toHaveLength(2);
  });
});

const withRedis = redisSuitesRun();
(withRedis ? describe : describe.skip)(
  `the response cache in Redis (${withRedis ? REDIS_URL : 'skipped: no Redis'})`,
  () => {
    let gw: TestGateway;
    let redis: Redis;
    beforeAll(async () => {
      gw = await startTestGateway({ REDIS_URL });
      redis = new Redis(REDIS_URL);
    });
    afterAll(async () => {
      await gw.stop();
      redis.disconnect();
    });

    it('keeps cached responses in Redis, shared by every instance', async () => {
      const query = `{ unit(slug: "cabinet-du-prefet-seine-et-marne") { name childCount } }`;
      const first = await gw.gql(query);
      const namespace = await redisNamespace(gw.config.rateLimit, gw.db);
      const before = await redis.keys(`${namespace}apollo:*`);
      const second = await gw.gql(query);
      expect(second.body.data).toEqual(first.body.data);
      expect(second.body.extensions?.sqlStatements).toBe(1);
      expect(before.some((k) => k.includes('fqc:'))).toBe(true);
    });
  },
);
