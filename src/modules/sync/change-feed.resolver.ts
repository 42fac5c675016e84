import { Args, ArgsType, Ctx, Field, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { Context } from '../../graphql/context';
import { Change, ChangeConnection, ChangesArgs } from './change-feed.types';
import { changesPage, FEED_DEFAULT, FEED_MAX } from './change-feed';
import { requireSyncAccess } from './sync-access';
import { EntityType } from './entity-type';

const feedComplexity: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = Number(args.first ?? FEED_DEFAULT);
  return 1 + childComplexity * Math.min(Math.max(Number.isFinite(size) ? size : 0, 1), FEED_MAX);
};

/**
 * A subscription costs what a full page of the feed costs: each event executes its selection
 * once, and a replay sends pages of them.
 */
const subscriptionComplexity: ComplexityEstimator = ({ childComplexity }) =>
  1 + childComplexity * FEED_DEFAULT;

@ArgsType()
export class DirectoryChangesArgs {
  @Field(() => String, {
    nullable: true,
    description:
      'Replay the log from this cursor (a `Change.cursor`, an `endCursor` of `changes`, or the `asOf` of a snapshot), then go live, with no gap and no duplicate. Absent: live from the current head.',
  })
  after?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'Only changes of records in the subtree of this unit, including records that moved in or out of it.',
  })
  subtree?: string | null;

  @Field(() => [EntityType], { nullable: true, description: 'Only changes of these record types.' })
  types?: EntityType[] | null;
}

/** The change feed that other directories follow to stay in step, polled or pushed. */
@Resolver()
export class ChangeFeedResolver {
  @Query(() => ChangeConnection, {
    complexity: feedComplexity,
    description:
      'The change feed, in commit order: every create, update, move, archive, restore and delete, never skipped nor repeated. Start from a snapshot’s `asOf` (GET /export/snapshot.ndjson), then pass each `pageInfo.endCursor` as `after`.',
  })
  changes(@Args() args: ChangesArgs, @Ctx() ctx: Context): Promise<ChangeConnection> {
    requireSyncAccess(ctx);
    return changesPage(ctx, args);
  }

  @Subscription(() => Change, {
    complexity: subscriptionComplexity,
    description:
      'The change feed, pushed: the same changes in the same order and shape as `changes`, each as it commits, on any instance. With `after`, the log is first replayed from that cursor; a cursor older than the retained log ends the stream with SYNC_CURSOR_EXPIRED. Served over WebSocket on /graphql (graphql-transport-ws) and Server-Sent Events on /graphql/stream; the same access rule as `changes` (SYNC_ACCESS).',
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      requireSyncAccess(ctx);
      const hub = ctx.services.changeHub;
      if (!hub || !ctx.stream) throw new Error('directoryChanges runs on a streaming transport.');
      return hub.subscribe(ctx, args as DirectoryChangesArgs);
    },
  })
  directoryChanges(@Root() change: Change, @Args() _args: DirectoryChangesArgs): Change {
    return change;
  }
}
