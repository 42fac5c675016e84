import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Services } from '../services';
import type { SqlTally } from '../db/sql-counter';
import { createOrgUnitLoaders } from '../modules/org-unit/org-unit.loaders';
import { createPostLoaders } from '../modules/post/post.loaders';
import { createPersonLoaders } from '../modules/person/person.loaders';
import { createMissionLoaders } from '../modules/mission/mission.loaders';
import { createRelationLoaders } from '../modules/relation/relation.loaders';
import { createSourceLoaders } from '../modules/source/source.loaders';
import { anonymous, Principal } from './principal';

const LOADER_MODULES = [
  createOrgUnitLoaders,
  createPostLoaders,
  createPersonLoaders,
  createMissionLoaders,
  createRelationLoaders,
  createSourceLoaders,
] as const;

/** Every per-request DataLoader, merged from the modules. */
export type Loaders = ReturnType<typeof createOrgUnitLoaders> &
  ReturnType<typeof createPostLoaders> &
  ReturnType<typeof createPersonLoaders> &
  ReturnType<typeof createMissionLoaders> &
  ReturnType<typeof createRelationLoaders> &
  ReturnType<typeof createSourceLoaders>;

/**
 * Which module makes each loader. Note: the factories only build DataLoaders, which touch the
 * database when they load, so calling them once without one just lists their names.
 */
const MODULE_OF = new Map<string, number>(
  LOADER_MODULES.flatMap((make, i) =>
    Object.keys(make(null as unknown as DataSource)).map((k) => [k, i] as const),
  ),
);

/** A request's loaders: each module's loaders are built on first use, once per request. */
class LazyLoaders {
  readonly built: Array<Record<string, unknown> | undefined> = [];
  constructor(readonly db: DataSource) {}
}
for (const [key, i] of MODULE_OF) {
  Object.defineProperty(LazyLoaders.prototype, key, {
    get(this: LazyLoaders) {
      return (this.built[i] ??= LOADER_MODULES[i](this.db) as Record<string, unknown>)[key];
    },
  });
}

/** The loaders of one request; a request pays only for the modules it touches. */
export function createLoaders(db: DataSource): Loaders {
  return new LazyLoaders(db) as unknown as Loaders;
}

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
 * A request's place in the answer cache, shared by the middleware (which reads the directory
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
  answer?: { data: string; cost: CostState; maxAgeSeconds: number };
}

/** What every resolver receives. */
export interface Context {
  db: DataSource;
  config: Config;
  services: Services;
  loaders: Loaders;
  sql: SqlTally;
  /** The request's calendar day (YYYY-MM-DD, UTC), the default date of "current" holders. */
  today: string;
  /** Who is calling. */
  principal: Principal;
  /** Cost of the operation and the caller's rate-limit budget. */
  cost: CostState;
  /** The request's place in the answer cache; null when that cache does not see it. */
  cacheSlot: CacheSlot | null;
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
  return {
    db,
    config,
    services,
    loaders: createLoaders(db),
    sql,
    today: cacheSlot?.today ?? new Date().toISOString().slice(0, 10),
    principal,
    cost: { requested: null, actual: null, paid: 0, budget: null },
    cacheSlot,
  };
}
