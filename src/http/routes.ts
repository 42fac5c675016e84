import type { RequestHandler } from 'express';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Authenticator } from '../graphql/principal';
import type { RateBudget } from './rate-limit';

/** What a module's HTTP routes get from the server: the shared budget and authenticator. */
export interface RouteDeps {
  db: DataSource;
  config: Config;
  log: Logger;
  budget: RateBudget;
  authenticate: Authenticator;
}

/** Routes a module mounts beside `/graphql` (the exports, for instance). */
export interface HttpRoute {
  /** Where they are mounted, e.g. `/export`. */
  path: string;
  /** Builds the handler once, when the server starts. */
  handler(deps: RouteDeps): RequestHandler;
}
