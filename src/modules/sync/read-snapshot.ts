import Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';

/** Queries that all see one consistent state of the database. Parameters are written `?`. */
export interface ReadSnapshot {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * Runs `fn` on one consistent, read-only view of the database: a REPEATABLE READ transaction
 * on PostgreSQL; on SQLite a read transaction on a connection of its own (WAL lets it read one
 * state while the gateway keeps writing).
 */
export async function withReadSnapshot<T>(
  db: DataSource,
  fn: (snap: ReadSnapshot) => Promise<T>,
): Promise<T> {
  if (db.options.type === 'postgres') {
    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
      const snap: ReadSnapshot = {
        query: (sql, params = []) =>
          runner.query(
            sql.replace(
              /\?/g,
              (
                (n) => () =>
                  `$${++n}`
              )(0),
            ),
            params,
          ),
      };
      const result = await fn(snap);
      await runner.commitTransaction();
      return result;
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw e;
    } finally {
      await runner.release();
    }
  }
  const file = (db.options as { database: string }).database;
  if (file === ':memory:') {
    // Note: an in-memory database has no second connection; it is read as it is (tests only).
    return fn({ query: (sql, params = []) => db.query(sql, params) });
  }
  const conn = new Database(file, { readonly: true, fileMustExist: true });
  try {
    conn.exec('BEGIN');
    const snap: ReadSnapshot = {
      query: async <R>(sql: string, params: unknown[] = []) =>
        conn.prepare(sql).all(...params) as R[],
    };
    const result = await fn(snap);
    conn.exec('COMMIT');
    return result;
  } finally {
    conn.close();
  }
}
