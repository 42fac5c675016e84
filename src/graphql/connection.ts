import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import type { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { BadUserInputError } from './errors';
import type { GraphQLResolveInfo } from 'graphql';
import { below, selectedAt, type Selection } from './selection';

/** Largest and default page sizes of every connection. */
export const PAGE_MAX = 100;
export const PAGE_DEFAULT = 20;

/** Relay paging arguments shared by every connection field. */
@ArgsType()
export class PagingArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Return the first n items (0 to ${PAGE_MAX}, default ${PAGE_DEFAULT}).`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Return the last n items (0 to ${PAGE_MAX}).` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items before this cursor.' })
  before?: string | null;
}

/** Relay page information. */
@ObjectType({ description: 'Where a page stands in its connection (Relay).' })
export class PageInfo {
  @Field({ description: 'True when items follow this page.' })
  hasNextPage: boolean;

  @Field({ description: 'True when items precede this page.' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page.' })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the page.' })
  endCursor: string | null;
}

/** A page of a connection as resolvers return it. */
export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * Builds the `<Name>Connection` and `<Name>Edge` object types for a node type (or union).
 * Note: the same name must be asked for only once, or the schema would hold two types.
 */
export function ConnectionType<T extends object>(
  node: ClassType<T> | object,
  name: string,
  what: string,
) {
  @ObjectType(`${name}Edge`, { description: `An edge to one ${what}.` })
  class Edge {
    @Field({ description: 'Opaque cursor of this item, for `after` and `before`.' })
    cursor: string;

    @Field(() => node, { description: `The ${what}.` })
    node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${what} items (Relay connection).` })
  class Connection {
    @Field(() => [Edge], { description: 'The items of the page with their cursors.' })
    edges: Edge[];

    @Field(() => [node], { description: 'The items of the page, without cursors.' })
    nodes: T[];

    @Field(() => PageInfo, { description: 'Where the page stands.' })
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'Number of items in the whole connection, across pages.' })
    totalCount: number;
  }
  return Connection;
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string, arg: string): number {
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString()
    : '';
  const m = /^o:(\d{1,9})$/.exec(text);
  if (!m) throw new BadUserInputError(`${arg} is not a valid cursor.`, arg);
  return Number(m[1]);
}

function checkSize(value: number | null | undefined, arg: string): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < 0 || value > PAGE_MAX) {
    throw new BadUserInputError(`${arg} must be between 0 and ${PAGE_MAX}; got ${value}.`, arg, {
      max: PAGE_MAX,
    });
  }
}

/** Checks paging arguments; throws BAD_USER_INPUT naming the bad argument. */
export function validatePaging(args: PagingArgs): void {
  checkSize(args.first, 'first');
  checkSize(args.last, 'last');
  if (args.first != null && args.last != null) {
    throw new BadUserInputError('Give first or last, not both.', 'last');
  }
  if (args.after != null) decodeCursor(args.after, 'after');
  if (args.before != null) decodeCursor(args.before, 'before');
}

/** Where a forward-only page starts: just after the `after` cursor, or at 0. */
export function startAfter(args: PagingArgs): number {
  validatePaging(args);
  return args.after != null ? decodeCursor(args.after, 'after') + 1 : 0;
}

/** The slice [start, end) that paging arguments select from `total` ordered items. */
export function pageWindow(args: PagingArgs, total: number): { start: number; end: number } {
  validatePaging(args);
  let start = args.after != null ? Math.min(decodeCursor(args.after, 'after') + 1, total) : 0;
  let end = args.before != null ? Math.min(decodeCursor(args.before, 'before'), total) : total;
  end = Math.max(start, end);
  if (args.first != null) end = Math.min(end, start + args.first);
  else if (args.last != null) start = Math.max(start, end - args.last);
  else end = Math.min(end, start + PAGE_DEFAULT);
  return { start, end };
}

/** Wraps the items of a window as a connection page. */
export function toPage<T>(items: T[], start: number, total: number): Page<T> {
  const edges = items.map((node, i) => ({ cursor: encodeCursor(start + i), node }));
  return {
    edges,
    nodes: items,
    totalCount: total,
    pageInfo: {
      hasPreviousPage: start > 0,
      hasNextPage: start + items.length < total,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** Pages an in-memory list. */
export function pageOf<T>(all: T[], args: PagingArgs): Page<T> {
  const { start, end } = pageWindow(args, all.length);
  return toPage(all.slice(start, end), start, all.length);
}

/**
 * Whether an operation asks a connection field for its `totalCount` (through aliases, fragments
 * and `@skip`/`@include`): `page` is the field's own selection (`selectedAt(info, [])`).
 */
export function asksTotalCount(page: Selection): boolean {
  return below(page, 'totalCount').length > 0;
}

/** Whether the operation asks the resolver's connection field for its `totalCount`. */
export function countAsked(info: GraphQLResolveInfo): boolean {
  return asksTotalCount(selectedAt(info, []));
}

/**
 * Pages an ordered query: one COUNT and one windowed SELECT; without `counted` (the operation
 * does not ask `totalCount`) and paging forward (`first`, `after`), the window's SELECT alone,
 * one row longer to tell whether a next page follows.
 * Note: past the end, an empty window still counts, so that `hasPreviousPage` says what it says
 * with the count (false on an empty connection, whatever `after` was).
 */
export async function pageQuery<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  args: PagingArgs,
  counted = true,
): Promise<Page<T>> {
  validatePaging(args);
  if (!counted && args.last == null && args.before == null) {
    const start = startAfter(args);
    const size = args.first ?? PAGE_DEFAULT;
    const rows = await qb
      .offset(start)
      .limit(size + 1)
      .getMany();
    if (rows.length > 0 || start === 0) {
      const page = toPage(rows.slice(0, size), start, Number.NaN);
      page.pageInfo.hasNextPage = rows.length > size;
      return page;
    }
  }
  const total = await qb.clone().orderBy().getCount();
  const { start, end } = pageWindow(args, total);
  const items =
    end > start
      ? await qb
          .offset(start)
          .limit(end - start)
          .getMany()
      : [];
  return toPage(items, start, total);
}

/** Complexity of a connection field: its children times the page size asked for. */
export const connectionComplexity: ComplexityEstimator = ({ args, childComplexity }) => {
  // Note: an out-of-range size is capped here so that it reaches the resolver's BAD_USER_INPUT.
  const size = Number(args.first ?? args.last ?? PAGE_DEFAULT);
  return 1 + childComplexity * Math.min(Math.max(Number.isFinite(size) ? size : 0, 0), PAGE_MAX);
};

/** Complexity of an unpaged list field, assumed to hold about ten items. */
export const listComplexity: ComplexityEstimator = ({ childComplexity }) =>
  1 + childComplexity * 10;
