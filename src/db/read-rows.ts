import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
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

/** Rows as arrays of values, in the order of `columns`. */
export interface RowArrays {
  columns: string[];
  rows: unknown[][];
}

/** Each better-sqlite3 database's statements, prepared once per text, in array mode. */
const sqliteStatements = new WeakMap<BetterSqlite3.Database, Map<string, SqliteStatement>>();

interface SqliteStatement {
  statement: BetterSqlite3.Statement;
  columns: string[];
}

function sqliteStatement(conn: BetterSqlite3.Database, sql: string): SqliteStatement {
  let statements = sqliteStatements.get(conn);
  if (!statements) sqliteStatements.set(conn, (statements = new Map()));
  let prepared = statements.get(sql);
  if (!prepared) {
    const statement = conn.prepare(sql).raw(true);
    prepared = { statement, columns: statement.columns().map((c) => c.name) };
    statements.set(sql, prepared);
  }
  return prepared;
}

/**
 * `readRows`, with each row as an array of values in the order of `columns`: the read paths that
 * hydrate entities (`hydrateArrays`) then skip building an object per row, a third of a
 * statement's time on SQLite for a row of a dozen columns (docs/benchmarks.md, ninth round). On
 * SQLite, outside a transaction, through the better-sqlite3 connection itself (the one TypeORM
 * uses), each text prepared once; on PostgreSQL, the prepared statement of `readRows` in pg's
 * array mode. Counted and logged as TypeORM's queries are, failing with `QueryFailedError`.
 */
export async function readRowArrays(
  db: DataSource | EntityManager,
  sql: string,
  params: unknown[],
): Promise<RowArrays> {
  if (!('connection' in db) && db.options.type === 'better-sqlite3') {
    const conn = (db.driver as unknown as { databaseConnection: BetterSqlite3.Database })
      .databaseConnection;
    const values = params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
    db.logger.logQuery(sql, values);
    try {
      const { statement, columns } = sqliteStatement(conn, sql);
      return { columns, rows: statement.all(...values) as unknown[][] };
    } catch (err) {
      db.logger.logQueryError(err as Error, sql, values);
      throw new QueryFailedError(sql, values, err as Error);
    }
  }
  if (!('connection' in db) && preparesStatements(db)) {
    const pool = (db.driver as PostgresDriver).master as Pool;
    db.logger.logQuery(sql, params);
    try {
      const result = await pool.query<unknown[]>({
        name: statementName(sql),
        text: sql,
        values: params,
        rowMode: 'array',
      });
      return { columns: result.fields.map((f) => f.name), rows: result.rows };
    } catch (err) {
      db.logger.logQueryError(err as Error, sql, params);
      throw new QueryFailedError(sql, params, err as Error);
    }
  }
  const objects = await db.query<ObjectLiteral[]>(sql, params);
  const columns = objects.length ? Object.keys(objects[0]) : [];
  return { columns, rows: objects.map((o) => columns.map((c) => o[c] as unknown)) };
}
