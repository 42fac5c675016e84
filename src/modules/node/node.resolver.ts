import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Tagged } from '../../graphql/answer-tags';
import { Context } from '../../graphql/context';
import { BadUserInputError } from '../../graphql/errors';
import { fromGlobalId, NodeType } from './global-id';
import { Node } from './node.entity';
import { recordTypeNamed } from './record-types';

const MAX_IDS = 100;

/** Loads a record of a known type by uuid through the request's loaders. */
export function loadByType(ctx: Context, type: NodeType, uuid: string): Promise<Node | null> {
  return (recordTypeNamed(type)?.load(ctx, uuid) ?? Promise.resolve(null)) as Promise<Node | null>;
}

function loadNode(ctx: Context, id: string): Promise<Node | null> | null {
  const decoded = fromGlobalId(id);
  return decoded ? loadByType(ctx, decoded.type, decoded.uuid) : null;
}

/** Relay object identification: refetch any record by its global id. */
@Resolver()
export class NodeResolver {
  @Tagged()
  @Query(() => Node, {
    nullable: true,
    description: 'Any record by its global id. Null when the id is unknown or malformed.',
  })
  node(
    @Arg('id', () => ID, { description: 'A global id, as returned in any `id` field.' }) id: string,
    @Ctx() ctx: Context,
  ) {
    return loadNode(ctx, id);
  }

  @Tagged()
  @Query(() => [Node], {
    nullable: 'items',
    complexity: ({ args, childComplexity }) =>
      1 + childComplexity * Math.min(Array.isArray(args.ids) ? args.ids.length : 1, MAX_IDS),
    description: `Several records by global id (at most ${MAX_IDS}), in the order asked, with null for each unknown or malformed id.`,
  })
  nodes(
    @Arg('ids', () => [ID], { description: 'Global ids.' }) ids: string[],
    @Ctx() ctx: Context,
  ) {
    if (ids.length > MAX_IDS)
      throw new BadUserInputError(`ids holds more than ${MAX_IDS} ids.`, 'ids', { max: MAX_IDS });
    return Promise.all(ids.map((id) => loadNode(ctx, id)));
  }
}
