import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { Context } from '../../graphql/context';
import { ChangeConnection, ChangesArgs } from './change-feed.types';
import { changesPage, FEED_DEFAULT, FEED_MAX } from './change-feed';
import { requireSyncAccess } from './sync-access';

const feedComplexity: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = Number(args.first ?? FEED_DEFAULT);
  return 1 + childComplexity * Math.min(Math.max(Number.isFinite(size) ? size : 0, 1), FEED_MAX);
};

/** The change feed that other directories follow to stay in step. */
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
}
