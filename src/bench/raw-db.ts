import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { Pool } from 'pg';
import type { Dialect } from '../config';

/**
 * The database as the B1 baseline reads it: raw prepared statements, no ORM. SQL is written
 * with `?` placeholders and `${db.list}` for a list parameter; both dialects run the same text.
 */
export interface RawDb {
  dialect: Dialect;
  /** SQL literal for true in a boolean column. */
  readonly yes: string;
  /** Condition that `column` is in the list given as the next parameter (pass `db.listParam`). */
  inList(column: string): string;
  listParam(values: readonly string[]): unknown;
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** better-sqlite3, read-only, with every statement prepared once. */
export function openSqliteRaw(file: string): RawDb {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const statements = new Map<string, Database.Statement>();
  return {
    dialect: 'sqlite',
    yes: '1',
    inList: (column) => `${column} IN (SELECT value FROM json_each(?))`,
    listParam: (values) => JSON.stringify(values),
    async all<T>(sql: string, params: unknown[] = []) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = db.prepare(sql);
        statements.set(sql, statement);
      }
      return statement.all(...params) as T[];
    },
    async close() {
      db.close();
    },
  };
}

/** node-postgres with a pool of ten (as the gateway's) and named prepared statements. */
export function openPostgresRaw(url: string): RawDb {
  const pool = new Pool({ connectionString: url, max: 10 });
  // Note: pg's Pool.end() resolves before its clients have disconnected, so dropping the
  // database right after can still reach an idle client; without a listener that error would
  // crash the process. A broken idle client matters to nobody here: the next query reports it.
  pool.on('error', () => undefined);
  const texts = new Map<string, { name: string; text: string }>();
  return {
    dialect: 'postgres',
    yes: 'true',
    inList: (column) => `${column} = ANY(?)`,
    listParam: (values) => values,
    async all<T>(sql: string, params: unknown[] = []) {
      let prepared = texts.get(sql);
      if (!prepared) {
        let n = 0;
        const text = sql.replace(/\?/g, () => `$${++n}`);
        prepared = {
          name: `b1_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`,
          text,
        };
        texts.set(sql, prepared);
      }
      const result = await pool.query({ ...prepared, values: params });
      return result.rows as T[];
    },
    async close() {
      await pool.end();
    },
  };
}
