import Redis from 'ioredis';
import cluster from 'node:cluster';
import {
  RateLimiterAbstract,
  RateLimiterCluster,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../config';
import type { Logger } from '../logger';
import type { Principal } from '../graphql/principal';
import { Role } from '../graphql/role';
import type { RateLimitState } from '../graphql/context';
import { AuthFailureLimit } from './rate-limit-auth';
import { rateLimitRefusals } from '../metrics';

/** What charging an operation to a budget gave: the budget after it, and whether it may run. */
export type Charge =
  | { allowed: true; state: RateLimitState }
  | { allowed: false; state: RateLimitState; retryAfterSeconds: number };

/**
 * Budgets of query-cost points per caller (`principal.rateKey`) and window, with
 * rate-limiter-flexible: in this process's memory (in the cluster's primary for the workers of
 * WEB_CONCURRENCY), or in Redis when configured, so that every instance of the gateway draws on
 * the same budgets. SYNC callers have a larger budget. The
 * failed authentications of each client address are counted beside them (`authFailures`).
 */
export class RateBudget {
  private constructor(
    private readonly config: RateLimitConfig,
    private readonly limiters: { standard: RateLimiterAbstract; sync: RateLimiterAbstract },
    private readonly redis: Redis | null,
    readonly authFailures: AuthFailureLimit,
  ) {}

  /** Points that every request pays, whatever becomes of it. */
  get minimum(): number {
    return this.config.minCost;
  }

  /**
   * Builds the budgets; with `redisUrl`, connects to Redis first and fails when it does not
   * answer. Later Redis outages fall back to an in-memory budget per process.
   */
  static async create(
    config: RateLimitConfig,
    log: Logger,
    namespace: string,
  ): Promise<RateBudget> {
    const redis = config.redisUrl ? await connectRedis(config.redisUrl, log) : null;
    const limiter = (points: number, name: string): RateLimiterAbstract => {
      // Note: in Redis, under the deployment's namespace (`redisNamespace`).
      const keyPrefix = redis ? `${namespace}${name}` : `annuaire-${name}`;
      const options = { points, duration: config.windowSeconds, keyPrefix };
      if (redis)
        return new RateLimiterRedis({
          ...options,
          storeClient: redis,
          insuranceLimiter: new RateLimiterMemory(options),
        });
      // Note: in a worker of WEB_CONCURRENCY, the budgets are kept by the primary (src/cluster.ts).
      return cluster.isWorker
        ? new RateLimiterCluster({ ...options, timeoutMs: 2000 })
        : new RateLimiterMemory(options);
    };
    const budget = new RateBudget(
      config,
      {
        standard: limiter(config.points, 'rate'),
        sync: limiter(config.syncPoints, 'rate-sync'),
      },
      redis,
      new AuthFailureLimit(
        limiter(config.authFailures.limit, 'auth-failures'),
        config.authFailures,
      ),
    );
    return budget;
  }

  /**
   * Charges an operation's cost to the caller's budget. An operation that the budget cannot pay
   * for is refused and refunded, so that refused attempts do not use the budget up. A refusal is
   * counted in `annuaire_rate_limit_refusals_total` unless `countRefusal` is false (a charge
   * whose refusal another one will repeat for the same request).
   */
  async charge(
    principal: Principal,
    points: number,
    options: { countRefusal?: boolean } = {},
  ): Promise<Charge> {
    const { limiter, limit } = this.budgetOf(principal);
    if (points <= 0) return { allowed: true, state: await this.peek(principal) };
    try {
      const res = await limiter.consume(principal.rateKey, points);
      return { allowed: true, state: this.stateOf(res, limit) };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      if (options.countRefusal !== false)
        rateLimitRefusals.inc({ budget: principal.role === Role.SYNC ? 'sync' : 'standard' });
      const res = await limiter.reward(principal.rateKey, points);
      const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      return { allowed: false, state: this.stateOf(res, limit), retryAfterSeconds };
    }
  }

  /**
   * Charges what an operation cost beyond what it paid before running, once its answer is
   * known. Nothing is refused or refunded: the budget may go below zero's worth, and the caller's
   * next operations are refused until the window ends.
   */
  async chargeAfter(principal: Principal, points: number): Promise<RateLimitState> {
    const { limiter, limit } = this.budgetOf(principal);
    if (points <= 0) return this.peek(principal);
    try {
      return this.stateOf(await limiter.consume(principal.rateKey, points), limit);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      // Note: rate-limiter-flexible counts the points it refuses; here they stay counted.
      return this.stateOf(refusal, limit);
    }
  }

  /** The caller's budget, without charging anything. */
  async peek(principal: Principal): Promise<RateLimitState> {
    const { limiter, limit } = this.budgetOf(principal);
    return this.stateOf(await limiter.get(principal.rateKey), limit);
  }

  /** Closes the Redis connection, if any. */
  async close(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }

  private budgetOf(principal: Principal) {
    return principal.role === Role.SYNC
      ? { limiter: this.limiters.sync, limit: this.config.syncPoints }
      : { limiter: this.limiters.standard, limit: this.config.points };
  }

  /** A limiter's answer as a budget; no answer means no window has started. */
  private stateOf(res: RateLimiterRes | null, limit: number): RateLimitState {
    const windowMs = this.config.windowSeconds * 1000;
    const used = Math.max(0, Math.min(res?.consumedPoints ?? 0, limit));
    const msLeft = res && res.msBeforeNext >= 0 ? res.msBeforeNext : windowMs;
    return {
      limit,
      remaining: limit - used,
      used,
      resetAt: new Date(Date.now() + msLeft),
      windowSeconds: this.config.windowSeconds,
    };
  }
}

/**
 * The `RateLimit-*` headers of the IETF draft that report a budget (`RateLimit-Reset` in
 * seconds), as every response of the gateway carries them.
 */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  const resetSeconds = Math.max(0, Math.ceil((state.resetAt.getTime() - Date.now()) / 1000));
  return {
    'ratelimit-limit': String(state.limit),
    'ratelimit-remaining': String(state.remaining),
    'ratelimit-reset': String(resetSeconds),
    'ratelimit-policy': `${state.limit};w=${state.windowSeconds}`,
  };
}

/** A connected Redis client; throws when Redis does not answer. */
export async function connectRedis(
  url: string,
  log: Logger,
  purpose = 'rate-limit store',
): Promise<Redis> {
  // Note: without the offline queue, commands fail at once while Redis is away, and the
  // insurance limiter answers instead of requests waiting for a reconnection.
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  redis.on('error', (err) => log.warn({ err }, `${purpose} (Redis) error`));
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new Error(`REDIS_URL is set but Redis does not answer: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return redis;
}
