import { randomUUID } from 'node:crypto';
import {
  startSiblingGateway,
  startTestGateway,
  TestGateway,
  GqlResponse,
  usingPostgres,
} from '../helpers/gateway';
import { REDIS_URL, redisSuitesRun } from '../helpers/redis';
import { getFrom, postFrom } from '../helpers/post-from';
import { databaseFingerprint } from '../helpers/snapshot';
import { lockUnits, waitingOnLocks } from '../helpers/postgres-locks';
import { Role } from '../../src/graphql/role';
import { OrgUnitKind } from '../../src/modules/org-unit/org-unit-kind';
import { DEFAULT_SEED, generateDirectory } from '../../src/modules/synthetic/generate';
import { writeDirectory } from '../../src/modules/synthetic/write';
import type { UnitRow } from '../../src/modules/synthetic/synthetic.types';

/** `extensions.cost` of a response. */
interface Cost {
  requested: number;
  actual: number;
  charged: number;
  remaining: number;
  limit: number;
}
const costOf = (res: GqlResponse) => res.body.extensions?.cost as Cost;
const codeOf = (res: GqlResponse) => res.body.errors?.[0]?.extensions?.code;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Units under one top unit, all at depth 1: a tree wider than any estimate assumes. */
const WIDTH = 300;
const WIDE = `{ orgChart(maxDepth: 1) { entries { unit { name } } } }`;

/** Replaces the directory with a top unit and WIDTH children. */
async function writeWideTree(gw: TestGateway): Promise<void> {
  const { source } = generateDirectory({ scale: 0.01, seed: DEFAULT_SEED });
  const top: UnitRow = {
    uuid: randomUUID(),
    slug: 'sommet',
    name: 'Sommet',
    acronym: null,
    kind: OrgUnitKind.PREFECTURE,
    description: null,
    parentId: null,
    position: 0,
  };
  const children = Array.from({ length: WIDTH }, (_, i): UnitRow => ({
    ...top,
    uuid: randomUUID(),
    slug: `bureau-${i}`,
    name: `Bureau ${i}`,
    kind: OrgUnitKind.BUREAU,
    parentId: top.uuid,
    position: i,
  }));
  await writeDirectory(
    gw.db,
    {
      source,
      units: [top, ...children],
      posts: [],
      people: [],
      appointments: [],
      missions: [],
      responsibilities: [],
    },
    { replace: true, actor: 'test' },
  );
}

describe('charges what an answer really cost', () => {
  let gw: TestGateway;
  let tight: TestGateway;
  beforeAll(async () => {
    [gw, tight] = await Promise.all([
      startTestGateway(),
      startTestGateway({ RATE_LIMIT_POINTS: '1000' }),
    ]);
    await Promise.all([writeWideTree(gw), writeWideTree(tight)]);
  });
  afterAll(() => Promise.all([gw.stop(), tight.stop()]));

  const newKey = async (on: TestGateway) =>
    (await on.auth.keys.create(`cost ${Math.random()}`, Role.AGENT)).key;

  it('counts the records a tree returned, after execution, beyond the estimate', async () => {
    const res = await gw.gql<{ orgChart: { entries: unknown[] } }>(
      WIDE,
      undefined,
      bearer(await newKey(gw)),
    );
    expect(res.status).toBe(200);
    expect(res.body.data!.orgChart.entries).toHaveLength(WIDTH + 1);
    const cost = costOf(res);
    // A root field, orgChart and entries, then each entry: its unit and the unit's name.
    expect(cost.actual).toBe(100 + 1 + 1 + 2 * (WIDTH + 1));
    expect(cost.actual).toBeGreaterThan(cost.requested);
    expect(cost.charged).toBe(cost.actual);
    expect(cost.remaining).toBe(cost.limit - cost.actual);
    expect(res.headers.get('ratelimit-remaining')).toBe(String(cost.remaining));
  });

  it('estimates and counts the nodes of a tree as its entries', async () => {
    const key = await newKey(gw);
    const [entries, nodes] = [
      await gw.gql(WIDE, undefined, bearer(key)),
      await gw.gql(WIDE.replace('entries', 'nodes'), undefined, bearer(key)),
    ];
    expect((nodes.body.data as { orgChart: { nodes: unknown[] } }).orgChart.nodes).toHaveLength(
      WIDTH + 1,
    );
    expect(costOf(nodes).requested).toBe(costOf(entries).requested);
    expect(costOf(nodes).actual).toBe(costOf(entries).actual);
    expect(costOf(nodes).charged).toBe(costOf(nodes).actual);
  });

  it('charges a list of top units per unit returned', async () => {
    const res = await gw.gql('{ topUnits { name } }', undefined, bearer(await newKey(gw)));
    expect(costOf(res).requested).toBe(100 + 1 + 10);
    expect(costOf(res).actual).toBe(100 + 1 + 1);
  });

  it('charges a connection the estimate when it returned less', async () => {
    const res = await gw.gql(
      '{ units(first: 100, filter: { kind: PREFECTURE }) { nodes { name } } }',
      undefined,
      bearer(await newKey(gw)),
    );
    const cost = costOf(res);
    expect(cost.actual).toBe(100 + 1 + 1 + 1);
    expect(cost.charged).toBe(cost.requested);
    expect(cost.remaining).toBe(cost.limit - cost.requested);
  });

  it('estimates a tree as before, whatever its depth, and charges what it returned', async () => {
    const key = await newKey(gw);
    const chart = (depth: number) =>
      `{ orgChart(maxDepth: ${depth}) { entries { unit { name } } } }`;
    const [shallow, deep] = [
      await gw.gql(chart(1), undefined, bearer(key)),
      await gw.gql(chart(20), undefined, bearer(key)),
    ];
    expect(costOf(deep).requested).toBe(costOf(shallow).requested);
    for (const res of [shallow, deep])
      expect(costOf(res).charged).toBe(Math.max(costOf(res).requested, costOf(res).actual));
    expect(costOf(deep).actual).toBeGreaterThan(costOf(deep).requested);
  });

  it('lets a costly answer spend the budget of the next requests', async () => {
    const key = await newKey(tight);
    const first = await tight.gql(WIDE, undefined, bearer(key));
    expect(first.status).toBe(200);
    expect(costOf(first).requested).toBeLessThan(costOf(first).remaining);
    // The estimate still fits in what is left; the answer costs more, so the budget is spent.
    const second = await tight.gql(WIDE, undefined, bearer(key));
    expect(second.status).toBe(200);
    expect(costOf(second).remaining).toBe(0);
    expect(second.headers.get('ratelimit-remaining')).toBe('0');
    const third = await tight.gql('{ __typename }', undefined, bearer(key));
    expect(third.status).toBe(429);
    expect(codeOf(third)).toBe('RATE_LIMITED');
  });

  it('charges a kept answer what producing it cost', async () => {
    const miss = await gw.gql(WIDE);
    expect(miss.headers.get('cache-status')).toMatch(/fwd=miss/);
    const hit = await gw.gql(WIDE);
    expect(hit.headers.get('cache-status')).toMatch(/; hit/);
    expect(costOf(hit)).toMatchObject({
      requested: costOf(miss).requested,
      actual: costOf(miss).actual,
      charged: costOf(miss).actual,
      remaining: costOf(miss).remaining - costOf(miss).actual,
    });
  });
});

describe('every request pays a minimum', () => {
  let parse: TestGateway;
  let credentials: TestGateway;
  const env = { RATE_LIMIT_POINTS: '1000', RATE_LIMIT_MIN_COST: '200', AUTH_FAILURE_LIMIT: '1000' };
  beforeAll(async () => {
    [parse, credentials] = await Promise.all([startTestGateway(env), startTestGateway(env)]);
  });
  afterAll(() => Promise.all([parse.stop(), credentials.stop()]));

  /** Sends `send` until it is refused with 429, at most `most` times; returns the refusal. */
  async function untilRefused(send: () => Promise<GqlResponse>, most: number) {
    const statuses: number[] = [];
    for (let i = 0; i < most; i++) {
      const res = await send();
      if (res.status === 429) return { res, before: statuses };
      statuses.push(res.status);
    }
    throw new Error(`never refused: ${statuses.join(',')}`);
  }

  it('charges answers from the cache the minimum at least', async () => {
    const first = await parse.gql('{ unit(slug: "onacvg") { id } }');
    const second = await parse.gql('{ unit(slug: "onacvg") { id } }');
    expect(second.headers.get('cache-status')).toMatch(/; hit/);
    expect(costOf(first)).toMatchObject({ requested: 102, charged: 200, remaining: 800 });
    expect(costOf(second)).toMatchObject({ charged: 200, remaining: 600 });
  });

  it('refuses a stream of documents that do not parse with 429 RATE_LIMITED', async () => {
    const { res, before } = await untilRefused(() => parse.gql('{ unit(slug: '), 20);
    expect(new Set(before)).toEqual(new Set([400]));
    expect(before).toHaveLength(3);
    expect(codeOf(res)).toBe('RATE_LIMITED');
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('refuses a stream of documents that fail validation with 429 RATE_LIMITED', async () => {
    const key = (await parse.auth.keys.create('invalid', Role.AGENT)).key;
    const invalid = `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: unit(slug: "x") { name } a${i}: unit(slug: "y") { id }`).join(' ')} }`;
    const { res, before } = await untilRefused(
      () => parse.gql(invalid, undefined, bearer(key)),
      20,
    );
    expect(before).toHaveLength(5);
    expect(new Set(before)).toEqual(new Set([400]));
    expect(codeOf(res)).toBe('RATE_LIMITED');
  });

  it('refuses a stream of bad credentials with 429 RATE_LIMITED, and bodies that are not JSON', async () => {
    const { res, before } = await untilRefused(
      () => credentials.gql('{ __typename }', undefined, bearer('ak_not-a-key')),
      20,
    );
    expect(before).toHaveLength(5);
    expect(new Set(before)).toEqual(new Set([401]));
    expect(codeOf(res)).toBe('RATE_LIMITED');
    const broken = await credentials.raw('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });
    expect(broken.status).toBe(429);
    expect(((await broken.json()) as GqlResponse['body']).errors![0].extensions!.code).toBe(
      'RATE_LIMITED',
    );
  });
});

describe('requests that Apollo refuses as cross-site (CSRF) pay the minimum too', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ RATE_LIMIT_POINTS: '1000000', RATE_LIMIT_MIN_COST: '200' });
  });
  afterAll(() => gw.stop());
  /** A request's shape: its method, content type and headers; `refused` is Apollo's verdict. */
  const SHAPES: Array<{ what: string; init: RequestInit; refused: boolean }> = [
    [
      'text/plain',
      'TEXT/Plain; charset=utf-8',
      ' text/plain ',
      'text/plain;;x',
      'multipart/form-data; boundary=b',
      'application/x-www-form-urlencoded',
    ].map((type) => ({
      what: `a POST as ${JSON.stringify(type)}`,
      init: {
        method: 'POST',
        headers: { 'content-type': type },
        body: '{"query":"{ __typename }"}',
      },
      refused: true,
    })),
    [
      {
        what: 'a POST without a content type',
        init: { method: 'POST', body: new Uint8Array(Buffer.from('{"query":"{ __typename }"}')) },
        refused: true,
      },
    ],
    [
      {
        what: 'a GET with a cookie and no preflight header',
        init: { method: 'GET', headers: { cookie: 'a=b' } },
        refused: true,
      },
    ],
    [
      {
        what: 'a text/plain POST with a preflight header',
        init: {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'apollo-require-preflight': '1' },
          body: '{ __typename }',
        },
        refused: false,
      },
    ],
    [
      {
        what: 'a POST as "text/plain garbage", a type that does not parse',
        init: { method: 'POST', headers: { 'content-type': 'text/plain garbage' }, body: '{}' },
        refused: false,
      },
    ],
    [
      {
        what: 'a JSON POST',
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ __typename }"}',
        },
        refused: false,
      },
    ],
  ].flat();

  it.each(SHAPES)(
    '$what: Apollo refuses it as CSRF or not, and it pays',
    async ({ init, refused }) => {
      const query = init.method === 'GET' ? '?query=%7B__typename%7D' : '';
      const remaining = async () => {
        const res = await gw.gql('{ __typename }');
        return Number(res.headers.get('ratelimit-remaining'));
      };
      const before = await remaining();
      const res = await gw.raw(`/graphql${query}`, init);
      const text = await res.text();
      expect({ status: res.status, csrf: text.includes('Cross-Site Request Forgery') }).toEqual({
        status: refused ? 400 : res.status,
        csrf: refused,
      });
      // Note: the probe itself pays 200, the request between the two probes 200 more.
      expect(await remaining()).toBe(before - 400);
    },
  );

  it('refuses a stream of them with 429 RATE_LIMITED once the budget is spent', async () => {
    const small = await startTestGateway({ RATE_LIMIT_POINTS: '1000', RATE_LIMIT_MIN_COST: '200' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await small.raw('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: '{"query":"{ __typename }"}',
        });
        statuses.push(res.status);
        if (res.status === 429) {
          const body = (await res.json()) as GqlResponse['body'];
          expect(body.errors![0].extensions!.code).toBe('RATE_LIMITED');
          expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        }
      }
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    } finally {
      await small.stop();
    }
  });
});

/** POSTs an operation from another loopback address, so that it has its own client address. */
function gqlFrom(
  gw: TestGateway,
  localAddress: string,
  query: string,
  headers: Record<string, string> = {},
): Promise<GqlResponse> {
  return postFrom(gw.url, localAddress, JSON.stringify({ query }), headers);
}

/** Failed authentications, counted per address against key guessing. */
function describeAuthFailures(
  label: string,
  env: Record<string, string>,
  address: string,
  exportAddress: string,
) {
  describe(`failed authentications per client address (${label})`, () => {
    let gw: TestGateway;
    let other: TestGateway;
    beforeAll(async () => {
      const limits = { AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW_SECONDS: '60', ...env };
      // Note: a second instance of the same deployment, which shares its Redis namespace.
      gw = await startTestGateway(limits);
      other = await startSiblingGateway(gw, limits);
    });
    afterAll(async () => {
      await other.stop();
      await gw.stop();
    });

    it('refuses credentials from an address after too many failures, a good key included', async () => {
      const good = (await gw.auth.keys.create('good', Role.AGENT)).key;
      const before = await databaseFingerprint(gw.db);
      for (let i = 0; i < 3; i++) {
        const res = await gqlFrom(gw, address, '{ __typename }', bearer(`ak_guess${i}`));
        expect(res.status).toBe(401);
        expect(codeOf(res)).toBe('UNAUTHENTICATED');
      }
      const refused = await gqlFrom(gw, address, '{ me { role } }', bearer(good));
      expect(refused.status).toBe(429);
      expect(refused.body.errors![0].extensions).toMatchObject({
        code: 'AUTH_RATE_LIMITED',
        limit: 3,
        windowSeconds: 60,
      });
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Without credentials the address keeps its budget; other addresses keep their keys.
      const anonymous = await gqlFrom(gw, address, '{ __typename }');
      expect(anonymous.status).toBe(200);
      expect(await databaseFingerprint(gw.db)).toBe(before);
      const elsewhere = await gw.gql('{ me { role } }', undefined, bearer(good));
      expect(elsewhere.status).toBe(200);
      if (env.REDIS_URL) {
        // Every instance sharing the Redis store refuses the address too.
        const shared = await gqlFrom(other, address, '{ __typename }', bearer('ak_x'));
        expect(shared.status).toBe(429);
        expect(codeOf(shared)).toBe('AUTH_RATE_LIMITED');
      }
    });

    it('counts failures on /export with those on /graphql, and refuses credentials on both', async () => {
      const good = (await gw.auth.keys.create('exporter', Role.SYNC)).key;
      const exportUrl = new URL('/export/snapshot.ndjson', gw.url).href;
      const before = await databaseFingerprint(gw.db);
      const first = await getFrom(exportUrl, exportAddress, bearer('ak_guess-export'));
      expect(first.status).toBe(401);
      expect(codeOf(first)).toBe('UNAUTHENTICATED');
      expect(first.headers.get('www-authenticate')).toBe(
        'Bearer realm="annuaire-graphql", error="invalid_token"',
      );
      const malformed = await getFrom(exportUrl, exportAddress, { authorization: 'Basic eDp5' });
      expect(malformed.headers.get('www-authenticate')).toBe(
        'Bearer realm="annuaire-graphql", error="invalid_request"',
      );
      expect((await gqlFrom(gw, exportAddress, '{ __typename }', bearer('ak_g'))).status).toBe(401);
      // Three failures, two of them on /export: both entries now refuse the address's credentials.
      for (const refused of [
        await getFrom(exportUrl, exportAddress, bearer(good)),
        await gqlFrom(gw, exportAddress, '{ __typename }', bearer(good)),
      ]) {
        expect(refused.status).toBe(429);
        expect(codeOf(refused)).toBe('AUTH_RATE_LIMITED');
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      expect(await databaseFingerprint(gw.db)).toBe(before);
    });
  });
}

describeAuthFailures('in memory', {}, '127.0.0.7', '127.0.0.8');
const withRedis = redisSuitesRun(REDIS_URL);
if (withRedis) {
  // Note: the counts left in Redis touch no other test: they are under the namespace of this
  // test's own database (`redisNamespace`), and expire with their window.
  describeAuthFailures('in Redis', { REDIS_URL }, '127.0.0.9', '127.0.0.10');
}

describe('cache keys from the normalized document', () => {
  let gw: TestGateway;
  let secondLevel: TestGateway;
  beforeAll(async () => {
    [gw, secondLevel] = await Promise.all([
      startTestGateway(),
      startTestGateway({ CACHE_MEMORY_MB: '0' }),
    ]);
  });
  afterAll(() => Promise.all([gw.stop(), secondLevel.stop()]));

  const ONE = '{ unit(slug: "onacvg") { id name } }';
  const OTHER = 'query {\n  # the same\n  unit(slug:"onacvg"),{ id,  name }\n}\n';

  it('shares one answer between whitespace and comment variants (answer cache)', async () => {
    const first = await gw.gql(ONE);
    expect(first.headers.get('cache-status')).toMatch(/fwd=miss/);
    const second = await gw.gql(OTHER);
    expect(second.headers.get('cache-status')).toMatch(/; hit/);
    expect(second.body.data).toEqual(first.body.data);
    const get = await gw.raw(
      `/graphql?query=${encodeURIComponent(OTHER.replace('name', ' name'))}`,
      { headers: { 'apollo-require-preflight': 'true' } },
    );
    const again = await gw.raw(`/graphql?query=${encodeURIComponent(ONE)}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(get.headers.get('cache-status')).toMatch(/fwd=miss/);
    expect(again.headers.get('cache-status')).toMatch(/; hit/);
  });

  it('shares one entry between variants in Apollo’s response cache', async () => {
    const first = await secondLevel.gql(ONE);
    expect(first.body.extensions!.sqlStatements).toBeGreaterThan(1);
    const second = await secondLevel.gql(OTHER);
    expect(second.body.data).toEqual(first.body.data);
    // Only the directory version is read: the answer came from the response cache.
    expect(second.body.extensions!.sqlStatements).toBe(1);
    expect(second.headers.get('age')).toMatch(/^\d+$/);
  });
});

const UNITS = '{ units(first: 5) { nodes { name } } }';

if (!usingPostgres)
  console.warn('Skipping the statement-timeout and pool tests: they need PostgreSQL.');
(usingPostgres ? describe : describe.skip)(
  'one slow query cannot starve the others (PostgreSQL)',
  () => {
    let gw: TestGateway;
    let slow: TestGateway;
    beforeAll(async () => {
      [gw, slow] = await Promise.all([
        startTestGateway({ DATABASE_STATEMENT_TIMEOUT_MS: '300', REQUEST_TIMEOUT_MS: '120000' }),
        startTestGateway(),
      ]);
    });
    afterAll(() => Promise.all([gw.stop(), slow.stop()]));

    it('cancels a statement past DATABASE_STATEMENT_TIMEOUT_MS and answers REQUEST_TIMEOUT', async () => {
      const before = await databaseFingerprint(gw.db);
      const lock = await lockUnits(gw);
      try {
        // Answered while the lock is still held: the statement was cancelled, not waited out.
        const res = await gw.gql(UNITS);
        expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['REQUEST_TIMEOUT']);
        expect(JSON.stringify(res.body)).not.toMatch(/statement_timeout|57014|org_unit|select/i);
        expect(await waitingOnLocks(lock.client)).toBe(0);
      } finally {
        await lock.release();
      }
      expect(await databaseFingerprint(gw.db)).toBe(before);
      expect((await gw.gql(UNITS)).body.errors).toBeUndefined();
    });

    it('answers /health and /ready while slow statements hold every pooled connection', async () => {
      const lock = await lockUnits(slow);
      // More blocked requests than the pool has connections: some wait for one.
      const answers = Promise.all(
        Array.from({ length: 14 }, (_, i) =>
          slow.gql(`query Q${i} { units(first: ${i + 1}) { nodes { name } } }`),
        ),
      );
      try {
        while ((await waitingOnLocks(lock.client)) < 10)
          await new Promise((r) => setTimeout(r, 10));
        const health = await slow.raw('/health', { signal: AbortSignal.timeout(10_000) });
        expect(health.status).toBe(200);
        const ready = await slow.raw('/ready', { signal: AbortSignal.timeout(10_000) });
        expect(ready.status).toBe(200);
        expect(await ready.json()).toEqual({ status: 'ready' });
      } finally {
        await lock.release();
      }
      const done = await answers;
      expect(done.map((r) => r.status)).toEqual(Array(14).fill(200));
    });
  },
);
