import type { Pool, QueryConfig } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { startTestGateway, TestGateway, usingPostgres } from '../helpers/gateway';
import { paddedKeys } from '../../src/graphql/loader-utils';

/** Units, each asking for its head: the heads loader gets one batch of `n` units. */
const page = (n: number) => `{ units(first: ${n}) { nodes { name head { title } } } }`;

/** The SQL texts a gateway's statements were logged with while `fn` ran. */
async function logged(gw: TestGateway, fn: () => Promise<unknown>): Promise<string[]> {
  const spy = jest.spyOn(gw.db.logger, 'logQuery');
  try {
    await fn();
    return spy.mock.calls.map((c) => c[0]);
  } finally {
    spy.mockRestore();
  }
}

const headStatements = (texts: string[]) =>
  texts.filter((t) => t.startsWith('SELECT * FROM "post"'));
const marks = (sql: string) => (sql.match(/\?|\$\d+/g) ?? []).length;

describe('loader statements', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ CACHE_MAX_AGE: '0' });
  });
  afterAll(() => gw.stop());

  it('pad IN lists to a few lengths by repeating the last key', () => {
    expect(paddedKeys(['a'])).toEqual(['a']);
    expect(paddedKeys(['a', 'b', 'c'])).toEqual(['a', 'b', 'c', 'c']);
    expect(paddedKeys(Array.from({ length: 33 }, (_, i) => `k${i}`))).toHaveLength(64);
    expect(paddedKeys(Array.from({ length: 500 }, (_, i) => `k${i}`))).toHaveLength(500);
  });

  it('send one text for batches of neighbouring sizes, with the same answers', async () => {
    const answers: unknown[] = [];
    const texts = await logged(gw, async () => {
      for (const n of [3, 4, 5]) {
        const res = await gw.gql(page(n));
        expect(res.body.errors).toBeUndefined();
        answers.push(res.body.data);
      }
    });
    const [three, four, five] = headStatements(texts);
    expect(three).toBe(four);
    expect(marks(three)).toBe(4);
    expect(marks(five)).toBe(8);
    // The padded batch answers as the exact one: the first three units of each page agree.
    const heads = (d: unknown) =>
      (d as { units: { nodes: Array<{ head: unknown }> } }).units.nodes.map((u) => u.head);
    expect(heads(answers[1]).slice(0, 3)).toEqual(heads(answers[0]));
    expect(heads(answers[2]).slice(0, 4)).toEqual(heads(answers[1]));
  });

  (usingPostgres ? it : it.skip)(
    'go to PostgreSQL as named prepared statements, one name per text, with the subtree and the child counts (PostgreSQL)',
    async () => {
      const pool = (gw.db.driver as PostgresDriver).master as Pool;
      const spy = jest.spyOn(pool, 'query');
      let sent: QueryConfig[];
      try {
        for (const n of [3, 4, 3]) expect((await gw.gql(page(n))).body.errors).toBeUndefined();
        const chart = await gw.gql('{ orgChart(maxDepth: 2) { entries { hasChildren } } }');
        expect(chart.body.errors).toBeUndefined();
        sent = spy.mock.calls.flatMap((c) =>
          typeof c[0] === 'object' ? [c[0] as QueryConfig] : [],
        );
      } finally {
        spy.mockRestore();
      }
      const heads = sent.filter((q) => q.text.startsWith('SELECT * FROM "post"'));
      expect(heads).toHaveLength(3);
      expect(heads[0].name).toMatch(/^annuaire_[0-9a-f]{32}$/);
      expect(new Set(heads.map((q) => q.name)).size).toBe(1);
      // The chart's subtree and its children's counts too.
      const subtree = sent.filter((q) => q.text.startsWith('WITH RECURSIVE tree'));
      const counts = sent.filter((q) => q.text.startsWith('SELECT "parentId", COUNT(*)'));
      expect(subtree).toHaveLength(1);
      expect(counts).toHaveLength(1);
      expect(subtree[0].name).toMatch(/^annuaire_/);
      expect(counts[0].name).toMatch(/^annuaire_/);
    },
  );
});

(usingPostgres ? describe : describe.skip)('with DATABASE_PREPARED_STATEMENTS=false', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ CACHE_MAX_AGE: '0', DATABASE_PREPARED_STATEMENTS: 'false' });
  });
  afterAll(() => gw.stop());

  it('sends the loader statements unnamed, through TypeORM (PostgreSQL)', async () => {
    const pool = (gw.db.driver as PostgresDriver).master as Pool;
    const spy = jest.spyOn(pool, 'query');
    try {
      expect((await gw.gql(page(3))).body.errors).toBeUndefined();
      const named = spy.mock.calls.filter(
        (c) => typeof c[0] === 'object' && 'name' in (c[0] as object),
      );
      expect(named).toHaveLength(0);
    } finally {
      spy.mockRestore();
    }
  });
});
