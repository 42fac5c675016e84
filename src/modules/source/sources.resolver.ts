import { type ClassType, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Tagged } from '../../graphql/answer-tags';
import { Context } from '../../graphql/context';
import { Source } from './source.entity';
import { sourceLoaders } from './source.loaders';

/**
 * The base class of the resolver of a record type that cites sources: it gives the type its
 * `sources` field, described as "Sources the `what` is drawn from.". Built per type by
 * type-graphql's resolver inheritance (as in its `resolvers-inheritance` example), so that the
 * field is written once for every such type.
 */
export function SourcesResolver<T extends { uuid: string }>(type: ClassType<T>, what: string) {
  // Note: each call makes its own base class, since type-graphql binds a base resolver's field
  // resolvers to the first subclass it finds.
  @Resolver(() => type)
  abstract class CitingRecordResolver {
    @Tagged()
    @FieldResolver(() => [Source], { description: `Sources the ${what} is drawn from.` })
    sources(@Root() record: T, @Ctx() ctx: Context): Promise<Source[]> {
      return sourceLoaders(ctx).sourcesOf.load(record.uuid);
    }
  }
  return CitingRecordResolver;
}
