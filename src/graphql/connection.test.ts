import { GraphQLError } from 'graphql';
import {
  PAGE_DEFAULT,
  PAGE_MAX,
  pageOf,
  pageWindow,
  PagingArgs,
  toPage,
  validatePaging,
} from './connection';

/** The cursor that the connection gives the item at `offset`. */
const cursorAt = (offset: number) => toPage([offset], offset, offset + 1).edges[0].cursor;

/** Runs `fn` and returns the GraphQLError it throws. */
function errorOf(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GraphQLError);
    return e as GraphQLError;
  }
  throw new Error('expected an error');
}

describe('validatePaging', () => {
  it.each<[string, PagingArgs]>([
    ['no argument', {}],
    ['null arguments', { first: null, after: null, last: null, before: null }],
    ['first: 0', { first: 0 }],
    [`first: ${PAGE_MAX}`, { first: PAGE_MAX }],
    [`last: ${PAGE_MAX}`, { last: PAGE_MAX }],
    ['cursors given back by a page', { first: 2, after: cursorAt(3), before: cursorAt(9) }],
  ])('accepts %s', (_what, args) => {
    expect(() => validatePaging(args)).not.toThrow();
  });

  it.each<[string, PagingArgs, string]>([
    ['a negative first', { first: -1 }, 'first'],
    ['first above the maximum', { first: PAGE_MAX + 1 }, 'first'],
    ['a fractional first', { first: 1.5 }, 'first'],
    ['a negative last', { last: -1 }, 'last'],
    ['last above the maximum', { last: PAGE_MAX + 1 }, 'last'],
    ['first and last together', { first: 1, last: 1 }, 'last'],
  ])('rejects %s with BAD_USER_INPUT naming the argument', (_what, args, argument) => {
    const error = errorOf(() => validatePaging(args));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: argument });
  });

  it('says what the limits of a page size are', () => {
    const error = errorOf(() => validatePaging({ first: 1000 }));
    expect(error.message).toBe(`first must be between 0 and ${PAGE_MAX}; got 1000.`);
    expect(error.extensions.max).toBe(PAGE_MAX);
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['an empty string', ''],
    ['base64 of something else', Buffer.from('x:1').toString('base64url')],
    ['a negative offset', Buffer.from('o:-1').toString('base64url')],
    ['an offset of ten digits', Buffer.from('o:1234567890').toString('base64url')],
    ['an offset with trailing text', Buffer.from('o:1x').toString('base64url')],
    ['a cursor longer than 40 characters', 'A'.repeat(41)],
    ['standard base64 with padding', Buffer.from('o:12').toString('base64')],
  ])('rejects %s as a cursor, naming after or before', (_what, cursor) => {
    expect(errorOf(() => validatePaging({ after: cursor })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'after',
    });
    expect(errorOf(() => validatePaging({ before: cursor })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'before',
    });
  });
});

describe('pageWindow', () => {
  it.each<[string, PagingArgs, number, { start: number; end: number }]>([
    ['no argument: the default page', {}, 50, { start: 0, end: PAGE_DEFAULT }],
    ['no argument on a short list', {}, 8, { start: 0, end: 8 }],
    ['no argument on an empty list', {}, 0, { start: 0, end: 0 }],
    ['first', { first: 3 }, 8, { start: 0, end: 3 }],
    ['first beyond the end', { first: 30 }, 8, { start: 0, end: 8 }],
    ['first: 0', { first: 0 }, 8, { start: 0, end: 0 }],
    ['after', { first: 3, after: cursorAt(2) }, 8, { start: 3, end: 6 }],
    ['after alone: the default page size', { after: cursorAt(0) }, 50, { start: 1, end: 21 }],
    ['after the last item', { first: 3, after: cursorAt(7) }, 8, { start: 8, end: 8 }],
    [
      'after a cursor far past the end',
      { first: 3, after: cursorAt(500) },
      8,
      { start: 8, end: 8 },
    ],
    ['before', { before: cursorAt(3) }, 8, { start: 0, end: 3 }],
    ['before the first item', { before: cursorAt(0) }, 8, { start: 0, end: 0 }],
    ['before a cursor past the end', { before: cursorAt(500) }, 8, { start: 0, end: 8 }],
    ['after and before', { after: cursorAt(1), before: cursorAt(5) }, 8, { start: 2, end: 5 }],
    [
      'after at or past before',
      { after: cursorAt(5), before: cursorAt(3) },
      8,
      { start: 6, end: 6 },
    ],
    ['first with before', { first: 2, before: cursorAt(6) }, 8, { start: 0, end: 2 }],
    ['last', { last: 3 }, 8, { start: 5, end: 8 }],
    ['last longer than the list', { last: 30 }, 8, { start: 0, end: 8 }],
    ['last: 0', { last: 0 }, 8, { start: 8, end: 8 }],
    ['last with before', { last: 2, before: cursorAt(5) }, 8, { start: 3, end: 5 }],
    ['last with after', { last: 10, after: cursorAt(4) }, 8, { start: 5, end: 8 }],
    [
      'last with after and before',
      { last: 2, after: cursorAt(0), before: cursorAt(7) },
      8,
      {
        start: 5,
        end: 7,
      },
    ],
  ])('%s', (_what, args, total, window) => {
    expect(pageWindow(args, total)).toEqual(window);
  });

  it('validates its arguments', () => {
    expect(errorOf(() => pageWindow({ first: -1 }, 8)).extensions.argumentName).toBe('first');
    expect(errorOf(() => pageWindow({ after: 'nope' }, 8)).extensions.argumentName).toBe('after');
  });
});

describe('toPage', () => {
  it('gives each item the cursor of its offset in the whole list', () => {
    const page = toPage(['d', 'e', 'f'], 3, 8);
    expect(page.nodes).toEqual(['d', 'e', 'f']);
    expect(page.edges.map((e) => e.node)).toEqual(page.nodes);
    expect(page.edges.map((e) => e.cursor)).toEqual([cursorAt(3), cursorAt(4), cursorAt(5)]);
    expect(page.totalCount).toBe(8);
    expect(page.pageInfo).toEqual({
      hasPreviousPage: true,
      hasNextPage: true,
      startCursor: cursorAt(3),
      endCursor: cursorAt(5),
    });
  });

  it('tells the first and the last page', () => {
    expect(toPage(['a', 'b'], 0, 4).pageInfo).toMatchObject({
      hasPreviousPage: false,
      hasNextPage: true,
    });
    expect(toPage(['c', 'd'], 2, 4).pageInfo).toMatchObject({
      hasPreviousPage: true,
      hasNextPage: false,
    });
    expect(toPage(['a'], 0, 1).pageInfo).toMatchObject({
      hasPreviousPage: false,
      hasNextPage: false,
    });
  });

  it('gives an empty page null cursors', () => {
    expect(toPage([], 0, 0)).toEqual({
      edges: [],
      nodes: [],
      totalCount: 0,
      pageInfo: { hasPreviousPage: false, hasNextPage: false, startCursor: null, endCursor: null },
    });
    expect(toPage([], 8, 8).pageInfo).toEqual({
      hasPreviousPage: true,
      hasNextPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it('gives cursors that are opaque and distinct', () => {
    const cursors = toPage([...'abcdefghijkl'], 0, 12).edges.map((e) => e.cursor);
    expect(new Set(cursors).size).toBe(12);
    for (const c of cursors) expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('pageOf', () => {
  const all = [...'abcdefgh'];

  it('walks a list forwards with first and after, without gap or duplicate', () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i += 1) {
      const page: ReturnType<typeof pageOf<string>> = pageOf(all, { first: 3, after });
      seen.push(...page.nodes);
      expect(page.totalCount).toBe(8);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
  });

  it('walks a list backwards with last and before, without gap or duplicate', () => {
    const pages: string[][] = [];
    let before: string | null = null;
    for (let i = 0; i < 10; i += 1) {
      const page: ReturnType<typeof pageOf<string>> = pageOf(all, { last: 3, before });
      pages.push(page.nodes);
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(pages).toEqual([
      ['f', 'g', 'h'],
      ['c', 'd', 'e'],
      ['a', 'b'],
    ]);
  });
});
