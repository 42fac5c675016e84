import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { SqlTally } from '../db/sql-counter';
import { AnswerTags } from './answer-tags';
import { RequestLoaders } from './loader-utils';
import { anonymous, Principal } from './principal';

/**
 * The services, built once at start-up and handed to every request: each module adds its own
 * by augmenting this interface in its `<name>.module.ts`, so this file names none.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Services {}

/** What a request costs and what is left of its caller's budget, filled in by the plugins. */
export interface CostState {
  /** The operation's complexity, once measured and within the limits; else null. */
  requested: number | null;
  /** What the answer cost, counted on its data once executed (see `answerCost`); else null. */
  actual: number | null;
  /** Points charged to the caller's budget for this request so far. */
  paid: number;
  /** The caller's rate-limit budget after this request; null until the limiter has answered. */
  budget: RateLimitState | null;
}

/** A caller's query-cost budget in the current window. */
export interface RateLimitState {
  /** Points per window for this caller. */
  limit: number;
  /** Points left in the window. */
  remaining: number;
  /** Points spent in the window. */
  used: number;
  /** When the window ends and the budget is whole again. */
  resetAt: Date;
  windowSeconds: number;
}

/**
 * A request's place in the HTTP answer cache, shared by the middleware (which reads the directory
 * version and looks the answer up) and the plugin (which hands over an answer to keep).
 */
export interface CacheSlot {
  /** The head of the change log when the request arrived: the directory version it reads. */
  head: number;
  /** The request's calendar day (YYYY-MM-DD, UTC), part of the key: the context's `today`. */
  today: string;
  /**
   * The answer to keep, once the request has produced a public, cacheable one, with the request's
   * cost, read once the response has gone out (the rate limiter charges its actual cost last).
   */
  answer?: { data: string; cost: CostState; maxAgeSeconds: number; tags: string[] };
}

/**
 * The streaming connection an operation runs on (a subscription over WebSocket or Server-Sent
 * Events), as its source of events sees it.
 */
export interface StreamChannel {
  /** Bytes the transport holds that the client has not taken yet. */
  buffered(): number;
  /**
   * Most bytes that may wait for this subscriber, in the transport and the source together;
   * past it, the subscriber reads the change log at its own pace.
   */
  readonly bufferLimit: number;
}

/** What every resolver receives. */
export interface Context {
  db: DataSource;
  config: Config;
  services: Services;
  /** The request's DataLoaders, grouped per module (see `loaderGroup`). */
  loaders: RequestLoaders;
  /** What the answer read, for the caches' invalidation (see `AnswerTags`). */
  answerTags: AnswerTags;
  sql: SqlTally;
  /** The request's calendar day (YYYY-MM-DD, UTC), the default date of "current" holders. */
  today: string;
  /** Who is calling. */
  principal: Principal;
  /** Cost of the operation and the caller's rate-limit budget. */
  cost: CostState;
  /** The request's place in the HTTP answer cache; null when that cache does not see it. */
  cacheSlot: CacheSlot | null;
  /** The streaming connection of a subscription; null for a plain HTTP request. */
  stream?: StreamChannel | null;
  /**
   * Whether nobody waits for the answer any more: the request's deadline answered it, or its
   * client closed the connection. Absent outside a plain HTTP request.
   */
  abandoned?: () => boolean;
}

/**
 * Gives a long-lived context (a subscription's) fresh loaders and answer tags, and today's date,
 * before each event it executes: nothing read for one event is served stale to the next, and what
 * the loaders keep does not grow with the life of the subscription.
 */
export function refreshContext(ctx: Context): void {
  ctx.answerTags = new AnswerTags();
  ctx.loaders = new RequestLoaders(ctx.answerTags);
  ctx.today = new Date().toISOString().slice(0, 10);
}

/** Builds a request's context: fresh loaders, shared services. */
export function createContext(
  db: DataSource,
  config: Config,
  services: Services,
  sql: SqlTally,
  principal: Principal = anonymous('unknown'),
  cacheSlot: CacheSlot | null = null,
): Context {
  const answerTags = new AnswerTags();
  return {
    db,
    config,
    services,
    loaders: new RequestLoaders(answerTags),
    answerTags,
    sql,
    today: cacheSlot?.today ?? new Date().toISOString().slice(0, 10),
    principal,
    cost: { requested: null, actual: null, paid: 0, budget: null },
    cacheSlot,
  };
}
