import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { QueryFailedError, type DataSource, type EntityManager, type ObjectLiteral } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { preparesStatements } from './data-source';

const statementNames = new Map<string, string>();

/** A statement's name on PostgreSQL, from its text: the same text, the same prepared statement. */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `annuaire_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * Runs a read of the API (a loader's batch, a subtree, child counts). On PostgreSQL, as a named
 * prepared statement that each connection parses and plans once (0.1–0.5 ms a statement,
 * measured on the national directory), counted and logged as TypeORM's own queries are, and
 * failing with TypeORM's `QueryFailedError`. On SQLite, in a transaction, or with
 * DATABASE_PREPARED_STATEMENTS off, through TypeORM, whose better-sqlite3 driver keeps its
 * prepared statements. Callers send a bounded set of texts (IN lists padded, see `inList`):
 * each text is one name, and one prepared statement per connection.
 */
export async function readRows(
  db: DataSource | EntityManager,
  sql: string,
  params: unknown[],
): Promise<ObjectLiteral[]> {
  // Note: an EntityManager is a transaction's: its statements stay on its connection.
  if ('connection' in db || !preparesStatements(db)) return db.query(sql, params);
  const pool = (db.driver as PostgresDriver).master as Pool;
  db.logger.logQuery(sql, params);
  try {
    return (await pool.query({ name: statementName(sql), text: sql, values: params })).rows;
  } catch (err) {
    db.logger.logQueryError(err as Error, sql, params);
    throw new QueryFailedError(sql, params, err as Error);
  }
}
