import { ArgsType, ClassType, createUnionType, Field, Int } from 'type-graphql';
import { ConnectionType, PAGE_DEFAULT, PAGE_MAX } from '../../graphql/connection';
import { searchedTypes } from '../node/record-types';
import { SearchableType } from './searchable-type';

/** A search hit: any record type whose descriptor has a `search`. */
export const SearchResult = createUnionType({
  name: 'SearchResult',
  description: 'A record found by `search`.',
  // Note: a thunk, so that the members are read from the registry when the schema is built.
  types: () => searchedTypes().map((t) => t.entity as ClassType),
});

export const SearchResultConnection = ConnectionType(SearchResult, 'SearchResult', 'search result');

@ArgsType()
export class SearchArgs {
  @Field({
    description:
      'Words to look for, in French or not, with or without accents; every word must match, the last one as a prefix.',
  })
  query: string;

  @Field(() => [SearchableType], {
    nullable: true,
    description: 'Only these record types; default all.',
  })
  types?: SearchableType[] | null;

  @Field(() => Int, {
    nullable: true,
    description: `How many results (0 to ${PAGE_MAX}, default ${PAGE_DEFAULT}).`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return results after this cursor.' })
  after?: string | null;
}
