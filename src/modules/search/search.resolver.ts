import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { Tagged, typeTag } from '../../graphql/answer-tags';
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
  @Tagged()
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
    // Note: the index changes with a write of any searched type; a document may hold another
    // searched record's text (a post's, its unit's name), so every searched type is a tag.
    for (const name of Object.values(SEARCHABLE_TYPE_NAMES)) ctx.answerTags.add(typeTag(name));
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
