import { startTestGateway, TestGateway, usingPostgres } from '../helpers/gateway';
import { lockUnits, waitingOnLocks } from '../helpers/postgres-locks';

const METRICS_TOKEN = 'metrics-token-for-costly-operation-tests';
/** Costly under the settings below (its estimate is checked), and so is a chart. */
const PAGE = '{ units(first: 50) { nodes { name } } }';
const COST = 100;
/** Costly too, and refused in execution: its root does not exist. */
const UNKNOWN_CHART = '{ orgChart(root: "unite-inconnue", maxDepth: 5) { maxDepth } }';

/** The value of the first line of `gw`'s metrics that starts with `prefix`; 0 without one. */
async function metric(gw: TestGateway, prefix: string): Promise<number> {
  const res = await gw.raw('/metrics', {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const line = (await res.text()).split('\n').find((l) => l.startsWith(prefix));
  return line ? Number(line.split(' ').pop()) : 0;
}
const abandonedOf = (gw: TestGateway) => metric(gw, 'annuaire_costly_operations_abandoned_total ');

/** QUERY_COSTLY_COST and QUERY_COSTLY_AT_ONCE over HTTP: one costly operation at a time. */
describe('costly operations run in turn', () => {
  let gw: TestGateway;

  const gauge = (state: 'running' | 'waiting') =>
    metric(gw, `annuaire_costly_operations{state="${state}"}`);
  const abandoned = () => abandonedOf(gw);

  beforeAll(async () => {
    gw = await startTestGateway({
      QUERY_COSTLY_COST: String(COST),
      QUERY_COSTLY_AT_ONCE: '1',
      CACHE_MAX_AGE: '0',
      METRICS_TOKEN,
    });
  });
  afterAll(() => gw.stop());

  it('answers every costly operation sent at once, failed ones too, and gives every place back', async () => {
    const page = await gw.gql(PAGE);
    expect((page.body.extensions?.cost as { requested: number }).requested).toBeGreaterThanOrEqual(
      COST,
    );
    const unknown = await gw.gql(UNKNOWN_CHART);
    expect(
      (unknown.body.extensions?.cost as { requested: number }).requested,
    ).toBeGreaterThanOrEqual(COST);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => gw.gql(i % 3 === 2 ? UNKNOWN_CHART : PAGE)),
    );
    for (const [i, res] of answers.entries()) {
      if (i % 3 === 2)
        expect(res.body.errors?.[0].extensions?.code).toBe(
          unknown.body.errors?.[0].extensions?.code,
        );
      else expect(res.body).toMatchObject({ data: page.body.data });
    }
    // Note: a place kept by a failed operation would leave this one waiting for ever.
    expect((await gw.gql(PAGE)).body.data).toEqual(page.body.data);
    expect(await gauge('running')).toBe(0);
    expect(await gauge('waiting')).toBe(0);
  });

  (usingPostgres ? it : it.skip)(
    'holds a second costly operation back while the first runs, and lets a cheap one through',
    async () => {
      const lock = await lockUnits(gw);
      let first, second;
      try {
        first = gw.gql(PAGE);
        while ((await waitingOnLocks(lock.client)) < 1) await new Promise((r) => setTimeout(r, 10));
        second = gw.gql(PAGE);
        while ((await gauge('waiting')) < 1) await new Promise((r) => setTimeout(r, 10));
        expect(await gauge('running')).toBe(1);
        // Note: a cheap operation does not wait for the costly one.
        expect((await gw.gql('{ __typename }')).body.data).toEqual({ __typename: 'Query' });
        expect(await waitingOnLocks(lock.client)).toBe(1);
      } finally {
        await lock.release();
      }
      const [a, b] = await Promise.all([first, second]);
      expect(a.body.errors).toBeUndefined();
      expect(b.body.data).toEqual(a.body.data);
      expect(await gauge('waiting')).toBe(0);
    },
  );

  (usingPostgres ? it : it.skip)(
    'drops a waiting costly operation whose client went away, without running it',
    async () => {
      const before = await abandoned();
      const lock = await lockUnits(gw);
      let first, third;
      const gone = new AbortController();
      try {
        first = gw.gql(PAGE);
        while ((await waitingOnLocks(lock.client)) < 1) await new Promise((r) => setTimeout(r, 10));
        const second = fetch(gw.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: PAGE }),
          signal: gone.signal,
        }).catch(() => 'aborted');
        while ((await gauge('waiting')) < 1) await new Promise((r) => setTimeout(r, 10));
        third = gw.gql(PAGE);
        while ((await gauge('waiting')) < 2) await new Promise((r) => setTimeout(r, 10));
        gone.abort();
        expect(await second).toBe('aborted');
        // Note: time for the server to see the connection closed (a round trip, then a pause).
        await gw.gql('{ __typename }');
        await new Promise((r) => setTimeout(r, 200));
        expect(await waitingOnLocks(lock.client)).toBe(1);
      } finally {
        await lock.release();
      }
      const [a, c] = await Promise.all([first, third]);
      expect(a.body.errors).toBeUndefined();
      expect(c.body.data).toEqual(a.body.data);
      expect(await abandoned()).toBe(before + 1);
      expect(await gauge('waiting')).toBe(0);
      expect(await gauge('running')).toBe(0);
    },
  );
});

/** A costly operation still waiting at its request's deadline never runs. */
(usingPostgres ? describe : describe.skip)('costly operations past their deadline', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      QUERY_COSTLY_COST: String(COST),
      QUERY_COSTLY_AT_ONCE: '1',
      CACHE_MAX_AGE: '0',
      REQUEST_TIMEOUT_MS: '600',
      METRICS_TOKEN,
    });
  });
  afterAll(() => gw.stop());

  const abandoned = () => abandonedOf(gw);

  it('answers both REQUEST_TIMEOUT, and drops the waiting one unrun when its turn comes', async () => {
    const lock = await lockUnits(gw);
    let answers;
    try {
      const first = gw.gql(PAGE);
      while ((await waitingOnLocks(lock.client)) < 1) await new Promise((r) => setTimeout(r, 10));
      answers = await Promise.all([first, gw.gql(PAGE)]);
    } finally {
      await lock.release();
    }
    for (const res of answers) {
      expect(res.status).toBe(503);
      expect(res.body.errors?.[0].extensions?.code).toBe('REQUEST_TIMEOUT');
    }
    // Note: the first, unblocked, ends its late run; then the second's turn comes.
    for (let i = 0; i < 100 && (await abandoned()) < 1; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await abandoned()).toBe(1);
    expect((await gw.gql(PAGE)).body.errors).toBeUndefined();
  });
});
