import http from 'node:http';
import { startTestGateway, TestGateway, GqlResponse } from '../helpers/gateway';
import { Role } from '../../src/graphql/role';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';

const CHART = '{ orgChart(maxDepth: 2) { entries { depth unit { id name } } } }';
const CABINET = toGlobalId('OrgUnit', seedUuid('OrgUnit', 'cabinet-du-prefet-seine-et-marne'));
const HIT = /^annuaire-graphql; hit; ttl=\d+$/;
const MISS = 'annuaire-graphql; fwd=miss';

interface Cost {
  requested: number;
  charged: number;
  remaining: number;
  limit: number;
}
const costOf = (res: GqlResponse) => res.body.extensions!.cost as Cost;

/**
 * The first level of the response cache: serialized answers of public reads, answered before
 * Apollo. What it answers must be what Apollo would have answered, budget and headers included.
 */
describe('the answer cache in front of Apollo', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.stop());

  it('answers a repeated public read with the same data and headers, charging the budget', async () => {
    const first = await gw.gql(CHART);
    expect(first.headers.get('cache-status')).toBe(MISS);
    expect(first.body.extensions!.sqlStatements).toBeGreaterThan(2);
    const second = await gw.gql(CHART);
    expect(second.status).toBe(200);
    expect(second.headers.get('cache-status')).toMatch(HIT);
    expect(second.body.data).toEqual(first.body.data);
    expect(Object.keys(second.body)).toEqual(Object.keys(first.body));
    expect(Object.keys(second.body.extensions!)).toEqual(Object.keys(first.body.extensions!));
    for (const header of ['content-type', 'cache-control', 'ratelimit-limit', 'ratelimit-policy'])
      expect(second.headers.get(header)).toBe(first.headers.get(header));
    expect(second.headers.get('age')).toMatch(/^\d+$/);
    // Only the version probe ran, and the tally says so in both places.
    expect(second.body.extensions!.sqlStatements).toBe(1);
    expect(second.headers.get('x-sql-statements')).toBe('1');
    // The operation's cost is charged as Apollo charges it.
    const [a, b] = [costOf(first), costOf(second)];
    expect(a.requested).toBeGreaterThan(0);
    expect(b.requested).toBe(a.requested);
    expect(b.remaining).toBe(a.remaining - a.requested);
    expect(second.headers.get('ratelimit-remaining')).toBe(String(b.remaining));
  });

  it('keeps one answer per negotiated content type', async () => {
    const query = '{ bureaus { nodes { id name } } }';
    const asJson = { accept: 'application/json' };
    const first = await gw.gql(query, undefined, asJson);
    const second = await gw.gql(query, undefined, asJson);
    expect(second.headers.get('cache-status')).toMatch(HIT);
    expect(second.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(second.body.data).toEqual(first.body.data);
    const other = await gw.gql(query);
    expect(other.headers.get('cache-status')).toBe(MISS);
    expect(other.headers.get('content-type')).toBe(
      'application/graphql-response+json; charset=utf-8',
    );
  });

  it('misses as soon as a write is committed', async () => {
    const query = `{ unit(slug: "cabinet-du-prefet-seine-et-marne") { name } }`;
    await gw.gql(query);
    expect((await gw.gql(query)).headers.get('cache-status')).toMatch(HIT);
    const editor = {
      authorization: `Bearer ${(await gw.auth.keys.create('answer cache editor', Role.EDITOR)).key}`,
    };
    const renamed = await gw.gql(
      `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { unit { name } userErrors { code } } }`,
      { input: { id: CABINET, expectedVersion: 1, name: 'Cabinet (renommé pour le test)' } },
      editor,
    );
    expect(renamed.body.errors).toBeUndefined();
    const after = await gw.gql(query);
    expect(after.headers.get('cache-status')).toBe(MISS);
    expect(after.body.data).toEqual({ unit: { name: 'Cabinet (renommé pour le test)' } });
    expect((await gw.gql(query)).headers.get('cache-status')).toMatch(HIT);
  });

  it('never answers authenticated callers', async () => {
    const agent = {
      authorization: `Bearer ${(await gw.auth.keys.create('answer cache agent', Role.AGENT)).key}`,
    };
    await gw.gql(CHART);
    const res = await gw.gql(CHART, undefined, agent);
    expect(res.headers.get('cache-status')).toBeNull();
    expect(res.body.extensions!.sqlStatements).toBeGreaterThan(1);
    expect(res.headers.get('cache-control')).not.toContain('public');
  });

  it('answers GETs with the ETag of the data, and 304 to a revalidation', async () => {
    const url = `/graphql?query=${encodeURIComponent('{ bureaus { nodes { id } } }')}`;
    const headers = { 'apollo-require-preflight': 'true' };
    const first = await gw.raw(url, { headers });
    expect(first.headers.get('cache-status')).toBe(MISS);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    const second = await gw.raw(url, { headers });
    expect(second.headers.get('cache-status')).toMatch(HIT);
    expect(second.headers.get('etag')).toBe(etag);
    const data = (res: Response) => res.json().then((body) => (body as { data: unknown }).data);
    expect(await data(second)).toEqual(await data(first));
    const revalidated = await gw.raw(url, {
      headers: { ...headers, 'if-none-match': etag!, 'cache-control': 'max-age=0' },
    });
    expect(revalidated.headers.get('cache-status')).toMatch(HIT);
    expect(revalidated.status).toBe(304);
  });

  it('leaves to Apollo the GETs it would refuse, even when their answer is kept', async () => {
    const url = `/graphql?query=${encodeURIComponent('{ bureaus { nodes { name } } }')}`;
    await gw.raw(url, { headers: { 'x-apollo-operation-name': 'x' } });
    const kept = await gw.raw(url, { headers: { 'x-apollo-operation-name': 'x' } });
    expect(kept.headers.get('cache-status')).toMatch(HIT);
    // No preflight header and a cookie: Apollo's CSRF prevention refuses it.
    const simple = await gw.raw(url, { headers: { cookie: 'session=1' } });
    expect(simple.status).toBe(400);
    expect(simple.headers.get('cache-status')).toBeNull();
    const body = (await simple.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    // A content type other than JSON: Apollo refuses the GET.
    const typed = await gw.raw(url, {
      headers: { 'x-apollo-operation-name': 'x', 'content-type': 'application/xml' },
    });
    expect(typed.status).not.toBe(200);
    expect(typed.headers.get('cache-status')).toBeNull();
  });

  it('keeps an answer as its headers go out: the same request sent before the body is read hits', async () => {
    // A compressed answer's headers reach the client before the compressor has ended, and a
    // widget may ask again at once (a CI run once saw that second request miss).
    const query = encodeURIComponent(
      '{ orgChart(maxDepth: 5) { nodes { id parentId unit { name kind head { title } } } } }',
    );
    const url = `${gw.origin}/graphql?query=${query}&v=${Date.now()}`;
    const headersOf = (paused: boolean) =>
      new Promise<{ status: string | undefined; res: http.IncomingMessage }>((resolve, reject) => {
        const req = http.get(
          url,
          { agent: false, headers: { 'accept-encoding': 'br', 'apollo-require-preflight': '1' } },
          (res) => {
            if (!paused) res.resume();
            resolve({ status: res.headers['cache-status'] as string | undefined, res });
          },
        );
        req.on('error', reject);
      });
    const first = await headersOf(true);
    expect(first.status).toMatch(/fwd=miss/);
    const second = await headersOf(false);
    first.res.resume();
    expect(second.status).toMatch(/; hit/);
  });

  it('never keeps an answer with errors', async () => {
    const query =
      '{ unit(slug: "no-such-unit-anywhere") { name } orgChart(root: "nope") { maxDepth } }';
    const first = await gw.gql(query);
    expect(first.body.errors?.length).toBeGreaterThan(0);
    const second = await gw.gql(query);
    expect(second.headers.get('cache-status')).toBe(MISS);
    expect(second.body.errors?.length).toBeGreaterThan(0);
  });
});

describe('the answer cache and the rate budget', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ RATE_LIMIT_POINTS: '1000' });
  });
  afterAll(() => gw.stop());

  it('leaves a request its budget cannot pay for to Apollo, which refuses it', async () => {
    const query = '{ orgChart(maxDepth: 1) { entries { unit { id name head { title } } } } }';
    const first = await gw.gql(query);
    const { requested, charged } = costOf(first);
    expect(requested).toBeGreaterThan(10);
    const affordable = Math.floor(1000 / charged);
    const statuses: number[] = [first.status];
    let refused: GqlResponse | null = null;
    for (let i = 1; i <= affordable; i++) {
      const res = await gw.gql(query);
      if (res.status === 429) {
        refused = res;
        break;
      }
      expect(res.headers.get('cache-status')).toMatch(HIT);
      statuses.push(res.status);
    }
    expect(statuses).toHaveLength(affordable);
    expect(refused).not.toBeNull();
    expect(refused!.body.errors![0].extensions!.code).toBe('RATE_LIMITED');
    expect(refused!.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('CACHE_MEMORY_MB=0', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ CACHE_MEMORY_MB: '0' });
  });
  afterAll(() => gw.stop());

  it('turns the first level off; Apollo’s response cache still answers', async () => {
    await gw.gql(CHART);
    const second = await gw.gql(CHART);
    expect(second.headers.get('cache-status')).toBeNull();
    expect(second.body.extensions!.sqlStatements).toBe(1);
  });
});
