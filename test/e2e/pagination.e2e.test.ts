import { startTestGateway, TestGateway } from '../helpers/gateway';
import { SearchDocument, UnitsDocument } from '../generated/graphql';

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Page {
  totalCount: number;
  pageInfo: PageInfo;
  edges: Array<{ cursor: string; node: { slug: string } }>;
  nodes: Array<{ slug: string }>;
}

const PAGE_FIELDS = `totalCount
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { slug } }
  nodes { slug }`;

const UNITS = `query($first: Int, $after: String, $last: Int, $before: String) {
  units(first: $first, after: $after, last: $last, before: $before) { ${PAGE_FIELDS} }
}`;

/** The seeded units in list order (position, then name). */
const ALL_UNITS = [
  'prefecture-seine-et-marne',
  'cabinet-du-prefet-seine-et-marne',
  'direction-des-securites-seine-et-marne',
  'services-du-cabinet-seine-et-marne',
  'bureau-communication-interministerielle-seine-et-marne',
  'bureau-representation-etat-seine-et-marne',
  'onacvg',
  'commission-departementale-memoire-seine-et-marne',
];

describe('Relay connections', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.stop());

  async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const res = await gw.gql<T>(query, variables);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!;
  }

  const units = async (args: Record<string, unknown>) =>
    (await data<{ units: Page }>(UNITS, args)).units;

  /** The invariants of every page: edges and nodes agree, and so do cursors and pageInfo. */
  function expectConsistent(page: Page): void {
    expect(page.nodes).toEqual(page.edges.map((e) => e.node));
    expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
    expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1]?.cursor ?? null);
    expect(new Set(page.edges.map((e) => e.cursor)).size).toBe(page.edges.length);
  }

  const slugs = (page: Page) => page.nodes.map((n) => n.slug);

  /** Every unit with its cursor, from one page of 100. */
  async function everyCursor(): Promise<string[]> {
    const page = await units({ first: 100 });
    expect(slugs(page)).toEqual(ALL_UNITS);
    return page.edges.map((e) => e.cursor);
  }

  describe('the default page and first', () => {
    it('gives 20 items by default, then the rest after its endCursor', async () => {
      const QUERY = `query($after: String) { responsibilities(after: $after) {
        ${PAGE_FIELDS.replace(/slug/g, 'title')}
      } }`;
      type TitlePage = Omit<Page, 'edges' | 'nodes'> & {
        edges: Array<{ cursor: string; node: { title: string } }>;
        nodes: Array<{ title: string }>;
      };
      const first = (await data<{ responsibilities: TitlePage }>(QUERY)).responsibilities;
      expect(first.totalCount).toBe(23);
      expect(first.edges).toHaveLength(20);
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const rest = (
        await data<{ responsibilities: TitlePage }>(QUERY, { after: first.pageInfo.endCursor })
      ).responsibilities;
      expect(rest.totalCount).toBe(23);
      expect(rest.edges).toHaveLength(3);
      expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      const titles = [...first.nodes, ...rest.nodes].map((n) => n.title);
      expect(new Set(titles).size).toBe(23);
    });

    it('gives the first n items', async () => {
      const page = await units({ first: 3 });
      expectConsistent(page);
      expect(slugs(page)).toEqual(ALL_UNITS.slice(0, 3));
      expect(page.totalCount).toBe(8);
      expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    });

    it('gives every item when first exceeds the count', async () => {
      const page = await units({ first: 100 });
      expectConsistent(page);
      expect(slugs(page)).toEqual(ALL_UNITS);
      expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    });

    it('gives an empty page with the total for first: 0', async () => {
      const page = await units({ first: 0 });
      expect(page.edges).toEqual([]);
      expect(page.nodes).toEqual([]);
      expect(page.totalCount).toBe(8);
      expect(page.pageInfo).toEqual({
        hasNextPage: true,
        hasPreviousPage: false,
        startCursor: null,
        endCursor: null,
      });
    });
  });

  describe('walking pages', () => {
    it('walks every unit with first: 3 and after, without duplicate or gap', async () => {
      const pages: Page[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i += 1) {
        const page: Page = await units({ first: 3, after });
        expectConsistent(page);
        pages.push(page);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(pages.map(slugs)).toEqual([
        ALL_UNITS.slice(0, 3),
        ALL_UNITS.slice(3, 6),
        ALL_UNITS.slice(6, 8),
      ]);
      expect(pages.map((p) => p.totalCount)).toEqual([8, 8, 8]);
      expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, false]);
      expect(pages.map((p) => p.pageInfo.hasPreviousPage)).toEqual([false, true, true]);
      const cursors = await everyCursor();
      expect(pages.flatMap((p) => p.edges.map((e) => e.cursor))).toEqual(cursors);
      expect(pages[2].pageInfo.endCursor).toBe(cursors[7]);
    });

    it('gives an empty last page after the endCursor of the last page', async () => {
      const cursors = await everyCursor();
      const page = await units({ first: 3, after: cursors[7] });
      expect(page.edges).toEqual([]);
      expect(page.nodes).toEqual([]);
      expect(page.totalCount).toBe(8);
      expect(page.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: true,
        startCursor: null,
        endCursor: null,
      });
    });

    it('walks every unit backwards with last: 3 and before', async () => {
      const pages: Page[] = [];
      let before: string | null = null;
      for (let i = 0; i < 10; i += 1) {
        const page: Page = await units({ last: 3, before });
        expectConsistent(page);
        pages.push(page);
        if (!page.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor;
      }
      expect(pages.map(slugs)).toEqual([
        ALL_UNITS.slice(5, 8),
        ALL_UNITS.slice(2, 5),
        ALL_UNITS.slice(0, 2),
      ]);
      expect(pages.map((p) => p.totalCount)).toEqual([8, 8, 8]);
      expect(pages.map((p) => p.pageInfo.hasPreviousPage)).toEqual([true, true, false]);
      expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([false, true, true]);
    });
  });

  describe('last and before', () => {
    it('gives the last n items', async () => {
      const page = await units({ last: 3 });
      expectConsistent(page);
      expect(slugs(page)).toEqual(ALL_UNITS.slice(5));
      expect(page.totalCount).toBe(8);
      expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    });

    it('gives the items before a cursor', async () => {
      const cursors = await everyCursor();
      const page = await units({ before: cursors[3] });
      expectConsistent(page);
      expect(slugs(page)).toEqual(ALL_UNITS.slice(0, 3));
      expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    });

    it('gives the last n items before a cursor', async () => {
      const cursors = await everyCursor();
      const page = await units({ last: 2, before: cursors[5] });
      expectConsistent(page);
      expect(slugs(page)).toEqual(ALL_UNITS.slice(3, 5));
      expect(page.edges.map((e) => e.cursor)).toEqual(cursors.slice(3, 5));
      expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    });

    it('gives the items between after and before', async () => {
      const cursors = await everyCursor();
      const page = await units({ after: cursors[1], before: cursors[6] });
      expect(slugs(page)).toEqual(ALL_UNITS.slice(2, 6));
      const firstTwo = await units({ first: 2, after: cursors[1], before: cursors[6] });
      expect(slugs(firstTwo)).toEqual(ALL_UNITS.slice(2, 4));
      const lastTwo = await units({ last: 2, after: cursors[1], before: cursors[6] });
      expect(slugs(lastTwo)).toEqual(ALL_UNITS.slice(4, 6));
    });

    it('gives an empty page before the first cursor, and for last: 0', async () => {
      const cursors = await everyCursor();
      const before = await units({ before: cursors[0] });
      expect(before.edges).toEqual([]);
      expect(before.totalCount).toBe(8);
      expect(before.pageInfo).toMatchObject({ hasPreviousPage: false, startCursor: null });
      const none = await units({ last: 0 });
      expect(none.edges).toEqual([]);
      expect(none.totalCount).toBe(8);
    });
  });

  describe('cursors', () => {
    it('gives each unit the same cursor on every page it appears on', async () => {
      const cursors = await everyCursor();
      const middle = await units({ first: 2, after: cursors[2] });
      expect(middle.edges.map((e) => e.cursor)).toEqual(cursors.slice(3, 5));
      const typed = await gw.gql(UnitsDocument, { first: 2, after: cursors[2] });
      expect(typed.body.data!.units.edges.map((e) => [e.cursor, e.node.slug])).toEqual([
        [cursors[3], ALL_UNITS[3]],
        [cursors[4], ALL_UNITS[4]],
      ]);
      expect(typed.body.data!.units.pageInfo.endCursor).toBe(cursors[4]);
    });

    it.each([
      ['a malformed after', { after: 'not a cursor' }, 'after'],
      ['a malformed before', { before: '!!' }, 'before'],
      ['first above 100', { first: 101 }, 'first'],
      ['a negative first', { first: -1 }, 'first'],
      ['a negative last', { last: -2 }, 'last'],
      ['first and last together', { first: 1, last: 1 }, 'last'],
    ])('rejects %s with BAD_USER_INPUT naming the argument', async (_what, args, argument) => {
      const res = await gw.gql(UNITS, args);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName: argument,
      });
    });
  });

  describe('children', () => {
    const CHILDREN = `query($slug: String!, $first: Int, $after: String, $last: Int, $before: String, $kind: OrgUnitKind) {
      unit(slug: $slug) {
        children(first: $first, after: $after, last: $last, before: $before, kind: $kind) { ${PAGE_FIELDS} }
      }
    }`;
    const children = async (args: Record<string, unknown>) =>
      (await data<{ unit: { children: Page } }>(CHILDREN, args)).unit.children;

    it('pages the children of a unit one by one', async () => {
      const one = await children({ slug: 'services-du-cabinet-seine-et-marne', first: 1 });
      expectConsistent(one);
      expect(slugs(one)).toEqual(['bureau-communication-interministerielle-seine-et-marne']);
      expect(one.totalCount).toBe(2);
      expect(one.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

      const two = await children({
        slug: 'services-du-cabinet-seine-et-marne',
        first: 1,
        after: one.pageInfo.endCursor,
      });
      expectConsistent(two);
      expect(slugs(two)).toEqual(['bureau-representation-etat-seine-et-marne']);
      expect(two.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

      const three = await children({
        slug: 'services-du-cabinet-seine-et-marne',
        first: 1,
        after: two.pageInfo.endCursor,
      });
      expect(three.edges).toEqual([]);
      expect(three.totalCount).toBe(2);
      expect(three.pageInfo.hasNextPage).toBe(false);
    });

    it('pages the children backwards with last and before', async () => {
      const last = await children({ slug: 'cabinet-du-prefet-seine-et-marne', last: 1 });
      expect(slugs(last)).toEqual(['services-du-cabinet-seine-et-marne']);
      expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      const before = await children({
        slug: 'cabinet-du-prefet-seine-et-marne',
        last: 1,
        before: last.pageInfo.startCursor,
      });
      expect(slugs(before)).toEqual(['direction-des-securites-seine-et-marne']);
      expect(before.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    });

    it('counts and pages only the children of the kind asked for', async () => {
      const page = await children({
        slug: 'cabinet-du-prefet-seine-et-marne',
        kind: 'SERVICE',
        first: 5,
      });
      expect(slugs(page)).toEqual(['services-du-cabinet-seine-et-marne']);
      expect(page.totalCount).toBe(1);
      expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    });

    it('gives an empty connection for a unit without children, and first: 0 its total', async () => {
      const none = await children({ slug: 'onacvg' });
      expect(none).toMatchObject({ totalCount: 0, edges: [], nodes: [] });
      expect(none.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: null,
        endCursor: null,
      });
      const zero = await children({ slug: 'services-du-cabinet-seine-et-marne', first: 0 });
      expect(zero).toMatchObject({ totalCount: 2, edges: [], nodes: [] });
    });

    it('rejects a malformed cursor with BAD_USER_INPUT', async () => {
      const res = await gw.gql(CHILDREN, { slug: 'onacvg', after: '%%%' });
      expect(res.body.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName: 'after',
      });
    });
  });

  describe('without totalCount', () => {
    /** A connection field that pages a query, with the arguments each accepts, and one item field. */
    const CONNECTIONS: Array<[string, string, string]> = [
      ['units', '', 'slug'],
      ['units', '(filter: { text: "zzzqqq" })', 'slug'],
      ['directorates', '', 'slug'],
      ['posts', '', 'title'],
      ['people', '', 'displayName'],
      ['missions', '', 'title'],
      ['responsibilities', '', 'title'],
    ];
    const cursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');

    /** The page `field` answers for `args`, with and without `totalCount`. */
    async function both(field: string, filter: string, item: string, args: object) {
      const paging = Object.entries(args)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join(', ');
      const call = filter
        ? `${field}${filter.replace(/\)$/, paging ? `, ${paging})` : ')')}`
        : `${field}${paging ? `(${paging})` : ''}`;
      const fields = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { ${item} } }`;
      const counted = await data<Record<string, Page>>(`{ ${call} { totalCount ${fields} } }`);
      const bare = await data<Record<string, Page>>(`{ ${call} { ${fields} } }`);
      return { counted: counted[field], bare: bare[field] };
    }

    it('pages every connection as with it, past the end and on empty connections too', async () => {
      for (const [field, filter, item] of CONNECTIONS) {
        const { counted: all } = await both(field, filter, item, { first: 100 });
        const n = all.totalCount;
        const cases: object[] = [{}, { first: 0 }, { first: 1 }, { first: n }, { first: n + 1 }];
        for (const offset of [0, Math.max(n - 2, 0), Math.max(n - 1, 0), n, n + 5])
          for (const first of [0, 1, 2, 20]) cases.push({ first, after: cursor(offset) });
        cases.push({ last: 2 }, { first: 2, before: cursor(Math.min(n, 3)) });
        for (const args of cases) {
          const { counted, bare } = await both(field, filter, item, args);
          const { totalCount, ...rest } = counted;
          expect(typeof totalCount).toBe('number');
          expect({ field, filter, args, page: bare }).toEqual({ field, filter, args, page: rest });
        }
      }
    });
  });

  describe('search', () => {
    const search = async (variables: { query: string; first?: number; after?: string | null }) => {
      const res = await gw.gql(SearchDocument, variables);
      expect(res.body.errors).toBeUndefined();
      return res.body.data!.search;
    };
    const ids = (page: Awaited<ReturnType<typeof search>>) =>
      page.nodes.map((n) => `${n.__typename}:${'id' in n ? n.id : ''}`);

    it('walks every hit with first and after, in rank order, without duplicate or gap', async () => {
      const all = await search({ query: 'securite', first: 100 });
      expect(all.totalCount).toBe(10);
      expect(all.nodes).toHaveLength(10);
      expect(all.pageInfo.hasNextPage).toBe(false);

      const walked: string[] = [];
      const totals: number[] = [];
      const hasNext: boolean[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i += 1) {
        const page: Awaited<ReturnType<typeof search>> = await search({
          query: 'securite',
          first: 3,
          after,
        });
        walked.push(...ids(page));
        totals.push(page.totalCount);
        hasNext.push(page.pageInfo.hasNextPage);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(walked).toEqual(ids(all));
      expect(new Set(walked).size).toBe(10);
      expect(totals).toEqual([10, 10, 10, 10]);
      expect(hasNext).toEqual([true, true, true, false]);
    });

    it('gives an empty page, with the total, after the last hit', async () => {
      const all = await search({ query: 'securite', first: 100 });
      const past = await search({ query: 'securite', first: 3, after: all.pageInfo.endCursor });
      expect(past.nodes).toEqual([]);
      expect(past.totalCount).toBe(10);
      expect(past.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    });

    it('gives the total number of hits for first: 0', async () => {
      const page = await search({ query: 'securite', first: 0 });
      expect(page.nodes).toEqual([]);
      expect(page.totalCount).toBe(10);
      expect(page.pageInfo.hasNextPage).toBe(true);
    });

    it.each([
      ['first above 100', { first: 101 }, 'first'],
      ['a malformed after', { after: 'nope!' }, 'after'],
    ])('rejects %s with BAD_USER_INPUT', async (_what, args, argument) => {
      const res = await gw.gql(SearchDocument, { query: 'securite', ...args });
      expect(res.body.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName: argument,
      });
    });
  });
});
