import type { EntityManager } from 'typeorm';
import type { Dialect } from '../../config';

/**
 * Most parameters one statement binds. SQLite's historical limit is 999 (newer builds allow
 * 32766); PostgreSQL's wire protocol allows 65535.
 */
export const MAX_PARAMETERS: Record<Dialect, number> = { sqlite: 999, postgres: 65_535 };

/** Builds the VALUES tuple of one row from its placeholders, e.g. to compute a column in SQL. */
export type RowSql = (marks: string[]) => string;

/**
 * Inserts rows with multi-row INSERT statements, as many rows per statement as the dialect's
 * parameter limit allows, and reports progress after each statement.
 */
export class BulkInserter {
  constructor(
    private readonly em: EntityManager,
    private readonly dialect: Dialect,
    private readonly progress: (rows: number) => void,
  ) {}

  async insert(
    table: string,
    columns: readonly string[],
    rows: Iterable<unknown[]>,
    rowSql: RowSql = (marks) => `(${marks.join(', ')})`,
    extraColumns: readonly string[] = [],
  ): Promise<void> {
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS[this.dialect] / columns.length));
    const head = `INSERT INTO "${table}" (${[...columns, ...extraColumns].map((c) => `"${c}"`).join(', ')}) VALUES `;
    let batch: unknown[][] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const params: unknown[] = [];
      const tuples = batch.map((row) => {
        const marks = row.map((value) => {
          params.push(this.dialect === 'sqlite' && typeof value === 'boolean' ? +value : value);
          return this.dialect === 'postgres' ? `$${params.length}` : '?';
        });
        return rowSql(marks);
      });
      await this.em.query(head + tuples.join(', '), params);
      this.progress(batch.length);
      batch = [];
    };
    for (const row of rows) {
      batch.push(row);
      if (batch.length === perStatement) await flush();
    }
    await flush();
  }
}
