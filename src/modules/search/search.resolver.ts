import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { Context } from '../../graphql/context';
import {
  connectionComplexity,
  Page,
  PAGE_DEFAULT,
  startAfter,
  toPage,
} from '../../graphql/connection';
import { checkText } from '../../graphql/arguments';
import { SearchArgs, SearchResultConnection } from './search.types';
import { SEARCHABLE_TYPE_NAMES } from './searchable-type';
import { recordTypeNamed } from '../node/record-types';

/** Ranked full-text search over the directory. */
@Resolver()
export class SearchResolver {
  @Query(() => SearchResultConnection, {
    complexity: connectionComplexity,
    description:
      'Ranked full-text search, case- and accent-insensitive, with French stemming: "securite routiere" finds « sécurité routière », "prefete" finds the préfet. Names and titles weigh more than descriptions.',
  })
  async search(@Args() args: SearchArgs, @Ctx() ctx: Context): Promise<Page<object>> {
    const query = checkText(ctx, args.query, 'query');
    const start = startAfter({ first: args.first, after: args.after });
    const types = args.types?.length ? args.types.map((t) => SEARCHABLE_TYPE_NAMES[t]) : null;
    const size = args.first ?? PAGE_DEFAULT;
    const { hits, total } = await ctx.services.search.search(ctx.db, query, types, start, size);
    const nodes = await Promise.all(
      hits.map((h) => recordTypeNamed(h.entityType)?.load(ctx, h.entityId) ?? null),
    );
    return toPage(
      nodes.filter((n): n is object => n != null),
      start,
      total,
    );
  }
}
