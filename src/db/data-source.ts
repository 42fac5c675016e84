import path from 'node:path';
import fs from 'node:fs';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { CountingLogger } from './sql-counter';
import { MIGRATIONS } from './migrations/index';
import { SQLITE_DRIVER_BUSY_MS } from './write-transaction';

const preparing = new WeakSet<DataSource>();

/**
 * True when `readRows` sends the reads on `db` as named prepared statements: PostgreSQL with
 * DATABASE_PREPARED_STATEMENTS on (the default).
 */
export function preparesStatements(db: DataSource): boolean {
  return preparing.has(db);
}

/**
 * Builds the data source shared by the server, the CLI and the tests, over the entities the
 * composition root lists. `synchronize` is never used: the schema comes from the committed
 * migrations.
 */
export function createDataSource(
  config: Config,
  log: Logger,
  entities: readonly Function[],
): DataSource {
  const common = {
    entities: [...entities],
    migrations: MIGRATIONS[config.database.dialect],
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logger: new CountingLogger(log),
  };
  let options: DataSourceOptions;
  if (config.database.dialect === 'postgres') {
    // Note: PostgreSQL cancels a statement past statement_timeout (0: never), so that one slow
    // request cannot hold a pooled connection for ever; see isStatementTimeout.
    const statement_timeout = config.database.statementTimeoutMs;
    options = {
      ...common,
      type: 'postgres',
      url: config.database.url,
      extra: { max: 10, ...(statement_timeout > 0 ? { statement_timeout } : {}) },
    };
  } else {
    const file = config.database.sqlitePath ?? ':memory:';
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    options = {
      ...common,
      type: 'better-sqlite3',
      database: file,
      enableWAL: file !== ':memory:',
      // Note: the driver's wait blocks the event loop; writeTransaction waits longer, asleep.
      timeout: SQLITE_DRIVER_BUSY_MS,
    };
  }
  const db = new DataSource(options);
  if (config.database.dialect === 'postgres' && config.database.preparedStatements)
    preparing.add(db);
  return db;
}
