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
import { anonymous, Principal } from '../modules/auth/principal';
import type { RateLimitState } from '../http/rate-limit';

/** Every per-request DataLoader, merged from the modules. */
export function createLoaders(db: DataSource) {
  return {
    ...createOrgUnitLoaders(db),
    ...createPostLoaders(db),
    ...createPersonLoaders(db),
    ...createMissionLoaders(db),
    ...createRelationLoaders(db),
    ...createSourceLoaders(db),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** What a request costs and what is left of its caller's budget, filled in by the plugins. */
export interface CostState {
  /** The operation's complexity, once measured and within the limits; else null. */
  requested: number | null;
  /** The caller's rate-limit budget after this request; null until the limiter has answered. */
  budget: RateLimitState | null;
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
}

/** Builds a request's context: fresh loaders, shared services. */
export function createContext(
  db: DataSource,
  config: Config,
  services: Services,
  sql: SqlTally,
  principal: Principal = anonymous('unknown'),
): Context {
  return {
    db,
    config,
    services,
    loaders: createLoaders(db),
    sql,
    today: new Date().toISOString().slice(0, 10),
    principal,
    cost: { requested: null, budget: null },
  };
}
