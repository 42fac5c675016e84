import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { DataSource } from 'typeorm';
import Redis from 'ioredis';
import { REDIS_URL, redisSuitesRun } from '../helpers/redis';
import { GqlResponse, startTestGateway, TestGateway } from '../helpers/gateway';
import { databaseFingerprint } from '../helpers/snapshot';
import { Role } from '../../src/graphql/role';
import { ApiKey } from '../../src/modules/auth/api-key.entity';
import { createHttpApp } from '../../src/http/app';
import { buildAppSchema } from '../../src/app/schema';
import { ROUTES } from '../../src/app/modules';
import { requestAuthenticator } from '../../src/modules/auth/authenticate';
import { createLogger } from '../../src/logger';

/**
 * Hardening on the real server: the query-cost budget (in memory and in Redis), introspection
 * and schema details, CORS, security headers, the request deadline, and the limits on aliases,
 * directives and tokens.
 */

/** A query that costs 102 points: a root field (100) and two fields. */
const UNIT = '{ unit(slug: "onacvg") { id } }';
const UNIT_COST = 102;
/** A query that costs 301 points: a root field and a page of 100. */
const PAGE = '{ units(first: 100) { nodes { id } } }';
const PAGE_COST = 301;
const ME_RATE_LIMIT = '{ me { rateLimit { limit remaining used resetAt windowSeconds } } }';

const STUDIO = 'https://studio.apollographql.com';
const OURS = 'https://annuaire.example.gouv.fr';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** `extensions.cost` of a response. */
interface Cost {
  requested: number;
  remaining: number;
  limit: number;
  resetAt: string;
}
const costOf = (res: GqlResponse) => res.body.extensions?.cost as Cost;
const codeOf = (res: GqlResponse) => res.body.errors?.[0]?.extensions?.code;

/** The directory and its change log: equal snapshots mean nothing was written. */
async function snapshot(db: DataSource): Promise<string> {
  const log = await db.query('SELECT * FROM change_log ORDER BY sequence');
  return `${await databaseFingerprint(db)}\nchange_log:${JSON.stringify(log)}`;
}

/** Sends queries with the given headers until the budget has less than `cost` points left. */
async function spendDownTo(gw: TestGateway, query: string, cost: number, headers = {}) {
  let res = await gw.gql(query, undefined, headers);
  while (costOf(res).remaining >= cost) res = await gw.gql(query, undefined, headers);
  expect(res.status).toBe(200);
  return costOf(res).remaining;
}

describe('rate limiting by query cost', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      RATE_LIMIT_POINTS: '1000',
      RATE_LIMIT_SYNC_POINTS: '10000',
      RATE_LIMIT_MIN_COST: '1',
    });
  });
  afterAll(() => gw.stop());

  const newKey = async (role = Role.AGENT) =>
    (await gw.auth.keys.create(`rate ${Math.random()}`, role)).key;

  it('reports the cost and the budget left in extensions.cost and RateLimit-* headers', async () => {
    const key = await newKey();
    const before = Date.now();
    const first = await gw.gql(UNIT, undefined, bearer(key));
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    expect(costOf(first)).toEqual({
      requested: UNIT_COST,
      actual: UNIT_COST,
      charged: UNIT_COST,
      remaining: 1000 - UNIT_COST,
      limit: 1000,
      resetAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const resetAt = Date.parse(costOf(first).resetAt);
    expect(resetAt).toBeGreaterThan(before);
    expect(resetAt).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(first.headers.get('ratelimit-limit')).toBe('1000');
    expect(first.headers.get('ratelimit-remaining')).toBe(String(1000 - UNIT_COST));
    expect(first.headers.get('ratelimit-policy')).toBe('1000;w=60');
    expect(first.headers.get('ratelimit-reset')).toMatch(/^\d+$/);
    expect(Number(first.headers.get('ratelimit-reset'))).toBeLessThanOrEqual(60);

    const second = await gw.gql(PAGE, undefined, bearer(key));
    expect(costOf(second)).toMatchObject({
      requested: PAGE_COST,
      remaining: 1000 - UNIT_COST - PAGE_COST,
    });
    expect(second.headers.get('ratelimit-remaining')).toBe(String(1000 - UNIT_COST - PAGE_COST));
  });

  it('costs one document by its variables every time, however often it was measured before', async () => {
    const key = await newKey();
    const query = `query Cost($a: Int!, $b: Int!) { units(first: $a) { nodes {
      children(first: $b) { nodes { children(first: $b) { nodes { id } } } } } } }`;
    const small = await gw.gql(query, { a: 1, b: 1 }, bearer(key));
    expect(small.body.errors).toBeUndefined();
    const larger = await gw.gql(query, { a: 2, b: 3 }, bearer(key));
    expect(larger.body.errors).toBeUndefined();
    expect(costOf(larger).requested).toBeGreaterThan(costOf(small).requested);
    const tooComplex = await gw.gql(query, { a: 100, b: 100 }, bearer(key));
    expect(tooComplex.body.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    const again = await gw.gql(query, { a: 1, b: 1 }, bearer(key));
    expect(costOf(again).requested).toBe(costOf(small).requested);
    const refusedAgain = await gw.gql(query, { a: 100, b: 100 }, bearer(key));
    expect(refusedAgain.body.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    const badVariables = await gw.gql(query, { a: 'x', b: 1 }, bearer(key));
    expect(badVariables.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('charges only the minimum for a request refused before execution, and reports the budget', async () => {
    const key = await newKey();
    const tooComplex = `{ units(first: 100) { nodes { children(first: 100) {
      nodes { children(first: 100) { nodes { id } } } } } } }`;
    let remaining = 1000;
    for (const query of ['{ nope }', '{ unit(slug: "x") ', tooComplex]) {
      const res = await gw.gql(query, undefined, bearer(key));
      remaining -= 1;
      expect(costOf(res)).toMatchObject({ requested: 0, charged: 1, remaining, limit: 1000 });
      expect(res.headers.get('ratelimit-remaining')).toBe(String(remaining));
    }
  });

  it('refuses an operation past the budget: 429 RATE_LIMITED, Retry-After, and it does not run', async () => {
    const key = await newKey(Role.EDITOR);
    const remaining = await spendDownTo(gw, UNIT, UNIT_COST, bearer(key));
    expect(remaining).toBe(1000 - 9 * UNIT_COST);
    // The SQL statements of a request that never executes: the key's lookup.
    const baseline = (await gw.gql('{ nope }', undefined, bearer(key))).body.extensions!
      .sqlStatements;
    const before = await snapshot(gw.db);
    // Every request pays the minimum, 1 point here, refused ones included.
    const left = remaining - 2;

    const refused = await gw.gql(UNIT, undefined, bearer(key));
    expect(refused.status).toBe(429);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors).toEqual([
      {
        message: expect.stringMatching(/rate limit/i),
        extensions: {
          code: 'RATE_LIMITED',
          cost: UNIT_COST,
          remaining: left,
          limit: 1000,
          retryAfter: expect.any(Number),
        },
      },
    ]);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body.errors![0].extensions!.retryAfter).toBe(retryAfter);
    expect(costOf(refused)).toMatchObject({ requested: UNIT_COST, remaining: left, limit: 1000 });
    expect(refused.headers.get('ratelimit-remaining')).toBe(String(left));
    expect(refused.body.extensions!.sqlStatements).toBe(baseline);

    const write = await gw.gql(
      `mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id } } }`,
      { input: { slug: 'bureau-de-trop', name: 'Bureau de trop', kind: 'BUREAU' } },
      bearer(key),
    );
    expect(write.status).toBe(429);
    expect(codeOf(write)).toBe('RATE_LIMITED');
    expect(write.body.data).toBeUndefined();
    expect(await snapshot(gw.db)).toBe(before);

    // A refused operation pays only the minimum: what is left still pays for a cheaper one.
    const cheap = await gw.gql('{ __typename }', undefined, bearer(key));
    expect(cheap.status).toBe(200);
    expect(costOf(cheap)).toMatchObject({ requested: 1, remaining: left - 2 });
  });

  it('gives the SYNC role its larger budget', async () => {
    const key = await newKey(Role.SYNC);
    for (let i = 0; i < 4; i++) {
      const res = await gw.gql(PAGE, undefined, bearer(key));
      expect(res.status).toBe(200);
    }
    const res = await gw.gql(PAGE, undefined, bearer(key));
    expect(res.headers.get('ratelimit-limit')).toBe('10000');
    expect(costOf(res)).toMatchObject({ limit: 10000, remaining: 10000 - 5 * PAGE_COST });
  });

  it('keeps a separate budget per caller: each key, and anonymous callers by IP', async () => {
    const [a, b] = [await newKey(), await newKey()];
    await spendDownTo(gw, PAGE, PAGE_COST, bearer(a));
    expect((await gw.gql(PAGE, undefined, bearer(a))).status).toBe(429);
    const other = await gw.gql(PAGE, undefined, bearer(b));
    expect(other.status).toBe(200);
    expect(costOf(other).remaining).toBe(1000 - PAGE_COST);
    const anonymous = await gw.gql('{ __typename }');
    expect(anonymous.status).toBe(200);
    expect(costOf(anonymous).limit).toBe(1000);
  });

  it('answers me.rateLimit with the budget, charging only the cost of the me query', async () => {
    const key = await newKey();
    const first = await gw.gql<{ me: { rateLimit: Record<string, unknown> } }>(
      ME_RATE_LIMIT,
      undefined,
      bearer(key),
    );
    expect(first.body.errors).toBeUndefined();
    const cost = costOf(first);
    expect(first.body.data!.me.rateLimit).toEqual({
      limit: 1000,
      remaining: 1000 - cost.requested,
      used: cost.requested,
      resetAt: cost.resetAt,
      windowSeconds: 60,
    });
    const second = await gw.gql<{ me: { rateLimit: Record<string, unknown> } }>(
      ME_RATE_LIMIT,
      undefined,
      bearer(key),
    );
    expect(second.body.data!.me.rateLimit).toMatchObject({
      used: 2 * cost.requested,
      remaining: costOf(second).remaining,
    });
    const sync = await gw.gql<{ me: { rateLimit: Record<string, unknown> } }>(
      ME_RATE_LIMIT,
      undefined,
      bearer(await newKey(Role.SYNC)),
    );
    expect(sync.body.data!.me.rateLimit).toMatchObject({ limit: 10000, used: cost.requested });
  });
});

const withRedis = redisSuitesRun(REDIS_URL);

(withRedis ? describe : describe.skip)(
  `the Redis rate-limit store (${withRedis ? REDIS_URL : `skipped: no Redis at ${REDIS_URL}`})`,
  () => {
    // Note: two databases given one REDIS_PREFIX share their budgets, as the instances of one
    // deployment do (on one database, the prefix drawn for it is the same).
    const PREFIX = `test-shared-${randomUUID().slice(0, 8)}:`;
    const env = { REDIS_URL, RATE_LIMIT_POINTS: '1000', REDIS_PREFIX: PREFIX };
    let one: TestGateway;
    let two: TestGateway;
    let redis: Redis;
    beforeAll(async () => {
      [one, two] = await Promise.all([startTestGateway(env), startTestGateway(env)]);
      redis = new Redis(REDIS_URL);
    });
    afterAll(async () => {
      redis.disconnect();
      await Promise.all([one.stop(), two.stop()]);
    });

    it('keeps budgets in Redis, shared by every instance of the gateway', async () => {
      const { key, record } = await one.auth.keys.create('redis', Role.AGENT);
      // The same key on the second instance, as if both used one database.
      await two.db.getRepository(ApiKey).insert(record);

      const first = await one.gql(UNIT, undefined, bearer(key));
      expect(costOf(first)).toMatchObject({ requested: UNIT_COST, remaining: 1000 - UNIT_COST });
      expect(await redis.get(`${PREFIX}rate:key:${record.id}`)).toBe(String(UNIT_COST));
      const ttl = await redis.pttl(`${PREFIX}rate:key:${record.id}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);

      const second = await two.gql(UNIT, undefined, bearer(key));
      expect(costOf(second)).toMatchObject({ remaining: 1000 - 2 * UNIT_COST });
      const me = await one.gql<{ me: { rateLimit: { used: number } } }>(
        ME_RATE_LIMIT,
        undefined,
        bearer(key),
      );
      expect(me.body.data!.me.rateLimit.used).toBe(2 * UNIT_COST + costOf(me).requested);
    });
  },
);

describe('introspection and schema details', () => {
  let development: TestGateway;
  let production: TestGateway;
  let productionWithIntrospection: TestGateway;
  beforeAll(async () => {
    [development, production, productionWithIntrospection] = await Promise.all([
      startTestGateway({ NODE_ENV: 'development' }),
      startTestGateway({ NODE_ENV: 'production' }),
      startTestGateway({ NODE_ENV: 'production', INTROSPECTION: 'true' }),
    ]);
  });
  afterAll(() =>
    Promise.all([development.stop(), production.stop(), productionWithIntrospection.stop()]),
  );

  const INTROSPECT = '{ __schema { queryType { name } } }';

  it('answers introspection by default in development', async () => {
    const res = await development.gql(INTROSPECT);
    expect(res.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('refuses introspection by default in production, where the SDL stays published', async () => {
    const res = await production.gql(INTROSPECT);
    expect(res.status).toBe(400);
    expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    const sdl = await production.raw('/schema.graphql');
    expect(sdl.status).toBe(200);
    expect(await sdl.text()).toMatch(/^type Query \{$/m);
  });

  it('answers introspection in production when INTROSPECTION=true', async () => {
    const res = await productionWithIntrospection.gql(INTROSPECT);
    expect(res.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('hides schema details (suggestions) from client errors in production only', async () => {
    const dev = await development.gql('{ unitz }');
    expect(dev.body.errors![0].message).toMatch(/Did you mean/);
    const prod = await production.gql('{ unitz }');
    expect(codeOf(prod)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(prod.body.errors![0].message).not.toMatch(/Did you mean/);
  });

  it('allows Apollo Sandbox by CORS outside production only', async () => {
    const headers = { origin: STUDIO, 'content-type': 'application/json' };
    const body = JSON.stringify({ query: '{ __typename }' });
    const dev = await development.raw('/graphql', { method: 'POST', headers, body });
    expect(dev.headers.get('access-control-allow-origin')).toBe(STUDIO);
    const prod = await production.raw('/graphql', { method: 'POST', headers, body });
    expect(prod.status).toBe(200);
    expect(prod.headers.has('access-control-allow-origin')).toBe(false);
  });

  it('sends a Content-Security-Policy everywhere in production', async () => {
    for (const [path, accept] of [
      ['/', 'text/html'],
      ['/graphql', 'application/json'],
      ['/health', 'application/json'],
    ]) {
      const res = await production.raw(path, { headers: { accept } });
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    }
  });
});

describe('HTTP layer', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ CORS_ORIGINS: `${OURS}, http://localhost:3000` });
  });
  afterAll(() => gw.stop());

  const post = (headers: Record<string, string>) =>
    gw.raw('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ __typename }' }),
    });

  it('answers allowed origins with CORS headers, and others without', async () => {
    for (const origin of [OURS, 'http://localhost:3000', STUDIO]) {
      const res = await post({ origin });
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('vary')).toMatch(/origin/i);
      expect(res.headers.get('access-control-expose-headers')).toMatch(/RateLimit-Remaining/);
      expect(res.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
      expect(res.headers.get('access-control-expose-headers')).toMatch(
        /ETag.*Cache-Status.*Cache-Control/,
      );
    }
    for (const origin of ['https://evil.example', `${OURS}.evil.example`, 'null']) {
      const res = await post({ origin });
      expect(res.status).toBe(200);
      expect(res.headers.has('access-control-allow-origin')).toBe(false);
    }
  });

  it('answers CORS preflight requests', async () => {
    const preflight = (origin: string) =>
      gw.raw('/graphql', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      });
    const ok = await preflight(OURS);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(OURS);
    expect(ok.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    expect(ok.headers.get('access-control-max-age')).toBe('7200');
    const refused = await preflight('https://evil.example');
    expect(refused.headers.has('access-control-allow-origin')).toBe(false);
  });

  it('sends helmet security headers on every response', async () => {
    const responses = [
      await post({}),
      await gw.raw('/health'),
      await gw.raw('/nope'),
      await gw.raw('/schema.graphql'),
    ];
    for (const res of responses) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
      expect(res.headers.has('x-powered-by')).toBe(false);
    }
  });

  it('still serves Apollo Sandbox to a browser, with a policy that lets its CDN in', async () => {
    for (const path of ['/', '/graphql']) {
      const res = await gw.raw(path, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const csp = res.headers.get('content-security-policy');
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/script-src 'self' 'sha256-[^']+' https:\/\/embeddable-sandbox\.cdn/);
      expect(csp).toMatch(/frame-src https:\/\/sandbox\.embed\.apollographql\.com/);
      expect(await res.text()).toContain('EmbeddedSandbox');
    }
  });

  it('refuses batched requests', async () => {
    const res = await gw.raw('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as GqlResponse['body']).errors![0].extensions!.code).toBe(
      'BAD_REQUEST',
    );
  });
});

describe('request timeout', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ REQUEST_TIMEOUT_MS: '300' });
  });
  afterAll(() => gw.stop());

  it("sets Node's request and headers timeouts from REQUEST_TIMEOUT_MS", async () => {
    const schema = await buildAppSchema();
    const log = createLogger('silent');
    for (const [ms, headersMs] of [
      [300, 300],
      [30_000, 30_000],
      [120_000, 60_000],
    ]) {
      const config = { ...gw.config, http: { ...gw.config.http, requestTimeoutMs: ms } };
      const { httpServer, apollo } = await createHttpApp({
        ...gw,
        config,
        log,
        schema,
        authenticate: requestAuthenticator(gw.auth),
        routes: ROUTES,
        redisNamespace: '',
      });
      expect(httpServer.requestTimeout).toBe(ms);
      expect(httpServer.headersTimeout).toBe(headersMs);
      await apollo.stop();
    }
  });

  it('answers a request still unanswered at the deadline with 503 REQUEST_TIMEOUT', async () => {
    // A body that never arrives whole: only the deadline can answer.
    const { hostname, port } = new URL(gw.origin);
    const res = await new Promise<{
      status: number;
      headers: http.IncomingHttpHeaders;
      body: string;
    }>((resolve, reject) => {
      const req = http.request({
        hostname,
        port,
        path: '/graphql',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'content-length': '100',
        },
      });
      req.on('response', (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode!, headers: response.headers, body });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.write('{"query": "{ __typ');
    });
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.connection).toBe('close');
    expect(JSON.parse(res.body)).toEqual({
      errors: [
        { message: expect.stringMatching(/300 ms/), extensions: { code: 'REQUEST_TIMEOUT' } },
      ],
    });
    // The server goes on answering.
    expect((await gw.gql('{ __typename }')).status).toBe(200);
  });
});

describe('limits on aliases, directives and tokens', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      QUERY_MAX_ALIASES: '3',
      QUERY_MAX_DIRECTIVES: '2',
      QUERY_MAX_TOKENS: '60',
    });
  });
  afterAll(() => gw.stop());

  it.each([
    [
      'aliases',
      '{ a: units(first: 1) { totalCount } b: units(first: 1) { totalCount } c: unit(slug: "onacvg") { id } d: orgChart { maxDepth } }',
      { code: 'QUERY_TOO_MANY_ALIASES', aliases: 4, limit: 3 },
    ],
    [
      'aliases through fragments',
      '{ ...F ...F } fragment F on Query { a: units(first: 1) { totalCount } b: unit(slug: "onacvg") { id } }',
      { code: 'QUERY_TOO_MANY_ALIASES', aliases: 4, limit: 3 },
    ],
    [
      'directives',
      '{ __typename @include(if: true) @skip(if: false) units(first: 1) @include(if: true) { totalCount } }',
      { code: 'QUERY_TOO_MANY_DIRECTIVES', directives: 3, limit: 2 },
    ],
    [
      'tokens',
      `{ ${'units(first: 1) { totalCount } '.repeat(10)}}`,
      { code: 'QUERY_TOO_MANY_TOKENS', limit: 60 },
    ],
  ])('refuses too many %s with 400 and its own code', async (_what, query, extensions) => {
    const res = await gw.gql(query);
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0].extensions).toEqual(extensions);
    expect(costOf(res)).toMatchObject({ requested: 0 });
  });

  it('accepts an operation within every limit, aliases of __typename being free', async () => {
    const res = await gw.gql(
      '{ a: __typename b: __typename c: __typename d: __typename x: units(first: 1) @include(if: true) { totalCount } }',
    );
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });
});
