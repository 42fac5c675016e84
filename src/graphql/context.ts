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
  };
}
