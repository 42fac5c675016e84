import { Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Context } from '../../graphql/context';
import { Role } from '../../graphql/role';
import { Uncached } from '../../graphql/cache-policy';

@ObjectType({
  description:
    "The caller's query-cost budget, like GitHub's `rateLimit`: each operation costs its " +
    'estimated complexity, a minimum at least, and what its answer really returned beyond ' +
    'that (also in `extensions.cost` and the RateLimit-* headers of every response); past ' +
    'the budget operations are refused with RATE_LIMITED until the reset.',
})
export class RateLimit {
  @Field(() => Int, { description: 'Points per window for this caller.' })
  limit: number;

  @Field(() => Int, { description: 'Points left in the current window, after this request.' })
  remaining: number;

  @Field(() => Int, { description: 'Points spent in the current window, this request included.' })
  used: number;

  @Field(() => DateTimeISOResolver, {
    description: 'When the current window ends and the budget is whole again.',
  })
  resetAt: Date;

  @Field(() => Int, { description: 'Length of a window, in seconds.' })
  windowSeconds: number;
}

@ObjectType({ description: 'Who the caller is, as the gateway sees it.' })
export class Viewer {
  @Field({ description: 'True when the request carried valid credentials.' })
  authenticated: boolean;

  @Field(() => Role, { description: "The caller's role." })
  role: Role;

  @Field(() => String, {
    nullable: true,
    description: 'How credentials were given: API_KEY or OIDC; null for anonymous callers.',
  })
  credential: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Name of the key, or name (or subject) of the token; null for anonymous callers.',
  })
  name: string | null;

  @Field({ description: 'How the change log records this caller, e.g. `key:<id>`.' })
  actor: string;

  @Field(() => RateLimit, {
    nullable: true,
    description:
      "The caller's rate-limit budget, read without further cost; null when the request was not " +
      'rate-limited.',
  })
  rateLimit: RateLimit | null;
}

/** `me`: the caller's own identity and rate-limit budget. */
@Resolver(() => Viewer)
export class MeResolver {
  // Note: who the caller is, and their budget, is never the same for two requests.
  @Uncached()
  @Query(() => Viewer, {
    description: 'Who the caller is: role, credential and name, and their rate-limit budget.',
  })
  me(@Ctx() ctx: Context): Viewer {
    const p = ctx.principal;
    return {
      authenticated: p.kind !== 'anonymous',
      role: p.role,
      credential: p.kind === 'key' ? 'API_KEY' : p.kind === 'oidc' ? 'OIDC' : null,
      name: p.name,
      actor: p.actor,
      // Note: the rate-limit plugin charged this request before execution; this is what it left.
      rateLimit: ctx.cost.budget,
    };
  }
}
