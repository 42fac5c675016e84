import { startTestGateway, TestGateway, usingPostgres } from '../helpers/gateway';
import { randomUUID } from 'node:crypto';
import { LoggedGateway, startLoggedGateway } from '../helpers/logged-gateway';
import { REDIS_URL, redisSuitesRun } from '../helpers/redis';

/**
 * `/metrics` over HTTP on a real gateway: protected by METRICS_TOKEN or served on METRICS_PORT
 * alone, off otherwise; its counters move with the requests (durations by operation, both cache
 * levels, SQL statements, rate-limit refusals), the operation label set stays bounded, and the
 * token never reaches the log.
 */

/** A fake token, plainly not a real one. */
const TOKEN = 'metrics-test-token-0123456789';

/** The sum of the samples of `name` whose labels include `labels`, in Prometheus text. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const has = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => has[k] === v)) sum += Number(match[3]);
  }
  return sum;
}

/** The distinct values of one label of a metric. */
function labelValues(text: string, name: string, label: string): Set<string> {
  const values = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const match = new RegExp(`${label}="([^"]*)"`).exec(line);
    if (match) values.add(match[1]);
  }
  return values;
}

async function post(origin: string, query: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  await res.arrayBuffer();
  return res;
}

describe('/metrics with METRICS_TOKEN', () => {
  let gw: LoggedGateway;
  const scrape = async (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    fetch(`${gw.origin}/metrics`, { headers });
  const read = async () => (await scrape()).text();

  beforeAll(async () => {
    gw = await startLoggedGateway({ METRICS_TOKEN: TOKEN }, 'trace');
  });
  afterAll(() => gw.stop());

  it('answers 401 without the token or with another one, the metrics with it', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer not-the-metrics-token' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: TOKEN },
      { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
    ]) {
      const res = await scrape(headers);
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain('annuaire_');
    }
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of [
      'annuaire_http_request_duration_seconds',
      'annuaire_cache_lookups_total',
      'annuaire_sql_statements_total',
      'annuaire_rate_limit_refusals_total',
      'annuaire_db_pool_connections',
      'nodejs_eventloop_lag_p99_seconds',
    ])
      expect(text).toContain(`# TYPE ${name}`);
  });

  it('counts requests by operation, lookups of both cache levels and SQL statements', async () => {
    const before = await read();
    const first = await post(gw.origin, 'query TopUnits { topUnits { id name } }');
    expect(first.headers.get('cache-status')).toMatch(/fwd=miss/);
    const second = await post(gw.origin, 'query TopUnits { topUnits { id name } }');
    expect(second.headers.get('cache-status')).toMatch(/; hit/);
    await fetch(`${gw.origin}/health`).then((r) => r.arrayBuffer());
    const after = await read();
    const delta = (name: string, labels?: Record<string, string>) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(
      delta('annuaire_http_request_duration_seconds_count', {
        route: 'graphql',
        operation: 'TopUnits',
        status: '200',
      }),
    ).toBe(2);
    expect(delta('annuaire_http_request_duration_seconds_count', { route: 'health' })).toBe(1);
    expect(delta('annuaire_cache_lookups_total', { level: 'answer', result: 'miss' })).toBe(1);
    expect(delta('annuaire_cache_lookups_total', { level: 'answer', result: 'hit' })).toBe(1);
    expect(delta('annuaire_cache_lookups_total', { level: 'apollo', result: 'miss' })).toBe(1);
    // Note: the miss read the directory version and the units; the hit, the version.
    expect(delta('annuaire_sql_statements_total')).toBeGreaterThanOrEqual(3);
  });

  it('labels at most 50 operation names beyond the published ones, the rest as other', async () => {
    for (let i = 0; i < 60; i++) await post(gw.origin, `query Made${i} { __typename }`);
    const names = labelValues(
      await read(),
      'annuaire_http_request_duration_seconds_count',
      'operation',
    );
    const made = [...names].filter((n) => n.startsWith('Made'));
    expect(made.length).toBeLessThanOrEqual(50);
    expect(made.length).toBeGreaterThan(0);
    expect(names.has('other')).toBe(true);
    // A published operation keeps its own label when the cap is reached.
    await post(gw.origin, 'query OrgChart { __typename }');
    expect(
      sample(await read(), 'annuaire_http_request_duration_seconds_count', {
        operation: 'OrgChart',
      }),
    ).toBe(1);
  });

  it('never writes the token to the log', async () => {
    await scrape();
    await scrape({ authorization: `Bearer ${TOKEN}` });
    await post(gw.origin, '{ __typename }', { authorization: `Bearer ${TOKEN}` });
    expect(gw.lines.length).toBeGreaterThan(0);
    expect(gw.lines.join('')).not.toContain(TOKEN);
  });
});

describe('/metrics on METRICS_PORT', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({
      METRICS_PORT: '0',
      RATE_LIMIT_POINTS: '300',
      RATE_LIMIT_MIN_COST: '100',
    });
  });
  afterAll(() => gw.stop());

  it('is served on its own listener, without a token, and not on the API port', async () => {
    expect(gw.metricsUrl).not.toBeNull();
    const res = await fetch(gw.metricsUrl!);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('# TYPE annuaire_sql_statements_total counter');
    expect((await gw.raw('/metrics')).status).toBe(404);
    const other = await fetch(new URL('/graphql', gw.metricsUrl!));
    expect(other.status).toBe(404);
  });

  it('counts the requests that the rate budget refuses', async () => {
    const read = () => fetch(gw.metricsUrl!).then((r) => r.text());
    const before = sample(await read(), 'annuaire_rate_limit_refusals_total', {
      budget: 'standard',
    });
    const statuses: number[] = [];
    // Note: a public read is kept by the HTTP answer cache after the first: when the budget
    // cannot pay for a kept answer, the request goes on to Apollo, which refuses it; counted
    // once. `{ __typename }` is not cacheable, and Apollo alone refuses it.
    for (const query of [...Array(5).fill('{ unit(slug: "onacvg") { name } }'), '{ __typename }'])
      statuses.push((await post(gw.origin, query)).status);
    expect(statuses).toContain(429);
    const refused = statuses.filter((s) => s === 429).length;
    const after = sample(await read(), 'annuaire_rate_limit_refusals_total', {
      budget: 'standard',
    });
    expect(after - before).toBe(refused);
  });

  it(`reports the pool in use ${usingPostgres ? 'on PostgreSQL' : '(none on SQLite)'}`, async () => {
    const text = await fetch(gw.metricsUrl!).then((r) => r.text());
    if (usingPostgres) {
      expect(sample(text, 'annuaire_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
      expect(text).toMatch(/annuaire_db_pool_connections\{state="waiting"\} \d+/);
    } else {
      expect(text).not.toMatch(/^annuaire_db_pool_connections\{/m);
    }
  });
});

(redisSuitesRun() ? describe : describe.skip)(
  '/metrics of the Apollo cache level, in Redis',
  () => {
    let gw: TestGateway;

    beforeAll(async () => {
      // Note: without the first level, every repeated public read reaches Apollo's response cache.
      gw = await startTestGateway({ METRICS_PORT: '0', CACHE_MEMORY_MB: '0', REDIS_URL });
    });
    afterAll(() => gw.stop());

    it('counts its misses and hits', async () => {
      const read = () => fetch(gw.metricsUrl!).then((r) => r.text());
      const before = await read();
      // Note: an alias of its own, so that no other run's entry in the shared Redis answers it.
      const query = `query TopUnits { u${randomUUID().replace(/-/g, '')}: topUnits { id } }`;
      for (let i = 0; i < 3; i++) expect((await post(gw.origin, query)).status).toBe(200);
      const after = await read();
      const delta = (labels: Record<string, string>) =>
        sample(after, 'annuaire_cache_lookups_total', labels) -
        sample(before, 'annuaire_cache_lookups_total', labels);
      expect(delta({ level: 'apollo', result: 'miss' })).toBe(1);
      expect(delta({ level: 'apollo', result: 'hit' })).toBe(2);
      expect(delta({ level: 'answer' })).toBe(0);
    });
  },
);

describe('/metrics with neither METRICS_TOKEN nor METRICS_PORT', () => {
  it('is not served', async () => {
    const gw = await startTestGateway({ NODE_ENV: 'production' });
    try {
      expect(gw.metricsUrl).toBeNull();
      const res = await gw.raw('/metrics');
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('annuaire_');
    } finally {
      await gw.stop();
    }
  });
});
