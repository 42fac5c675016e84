import path from 'node:path';
import { prepareDataset, type PreparedDataset } from '../bench/dataset';
import { startTarget, type Target } from '../bench/processes';

/** The data a page is drawn from: the seed files, or the synthetic national directory. */
export type Dataset = 'seed' | 'national';

/** Where the gateways of the screenshots and the front-end benchmark find their data. */
export interface GatewayOptions {
  /** Repository root: seeds/ and the cache of the national directory (bench/tmp/) are there. */
  root: string;
  database: 'sqlite' | 'postgres';
  /** PostgreSQL server where the databases are created, when `database` is postgres. */
  postgresUrl?: string;
  /** The gateway runs in this process (tests) rather than in a child of its own. */
  inline?: boolean;
  log?: (line: string) => void;
}

/**
 * Prepares a dataset as the bench does (the seed on a fresh database, the national directory
 * from its cache) and returns a function that starts a gateway on it, allowing `corsOrigin`.
 * Each started gateway is a new process state: no answer kept in its response cache.
 */
export async function prepareGateways(
  dataset: Dataset,
  corsOrigin: string,
  o: GatewayOptions,
): Promise<{ start(env?: Record<string, string>): Promise<Target>; dispose(): Promise<void> }> {
  const prepared: PreparedDataset = await prepareDataset({
    dataset,
    database: o.database,
    cacheDir: path.join(o.root, 'bench', 'tmp'),
    postgresUrl: o.postgresUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    seedsDir: path.join(o.root, 'seeds'),
    log: o.log,
  });
  const env = {
    DATABASE_URL: prepared.databaseUrl,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    SEED_ON_START: 'false',
    CORS_ORIGINS: corsOrigin,
    // Note: a benchmark loads many charts from one address; the budget is not what is measured.
    RATE_LIMIT_POINTS: '1000000000',
  };
  return {
    start: (extra = {}) => startTarget({ kind: 'gateway', env: { ...env, ...extra } }, !!o.inline),
    dispose: () => prepared.dispose(),
  };
}
