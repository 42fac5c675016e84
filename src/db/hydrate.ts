import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Turns raw rows (`SELECT t.*` from hand-written SQL, e.g. recursive CTEs) into entity instances,
 * converting each column the way TypeORM itself would (dates, booleans per dialect).
 */
export function hydrate<T extends ObjectLiteral>(
  db: DataSource | EntityManager,
  target: EntityTarget<T>,
  rows: ObjectLiteral[],
): T[] {
  const ds = 'connection' in db ? db.connection : db;
  const meta = ds.getMetadata(target);
  return rows.map((row) => {
    const entity = meta.create() as T;
    for (const column of meta.columns) {
      if (column.databaseName in row) {
        (entity as ObjectLiteral)[column.propertyName] = ds.driver.prepareHydratedValue(
          row[column.databaseName],
          column,
        );
      }
    }
    return entity;
  });
}

/** The positional parameter marker of the dialect: `$n` on PostgreSQL, `?` on SQLite. */
export function param(db: DataSource | EntityManager, n: number): string {
  const ds = 'connection' in db ? db.connection : db;
  return ds.options.type === 'postgres' ? `$${n}` : '?';
}
