import DataLoader from 'dataloader';
import { DataSource, FindOptionsOrder, FindOptionsWhere, In, ObjectLiteral } from 'typeorm';

/**
 * Largest batch one loader sends as a single `IN (…)`: well under SQLite's bound-parameter
 * limit and PostgreSQL's, while keeping one statement per level for ordinary pages.
 */
export const MAX_BATCH = 500;

/** Loads records by uuid, in key order, `null` for a missing key. */
export function byUuid<T extends ObjectLiteral & { uuid: string }>(
  db: DataSource,
  target: new () => T,
): DataLoader<string, T | null> {
  return new DataLoader(
    async (keys) => {
      const rows = await db.getRepository(target).findBy({ uuid: In([...keys]) } as never);
      const found = new Map(rows.map((r) => [r.uuid, r]));
      return keys.map((k) => found.get(k) ?? null);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

/** Loads records by a unique column (e.g. slug), in key order, `null` for a missing key. */
export function byUnique<T extends ObjectLiteral>(
  db: DataSource,
  target: new () => T,
  column: keyof T & string,
): DataLoader<string, T | null> {
  return new DataLoader(
    async (keys) => {
      const rows = await db.getRepository(target).findBy({ [column]: In([...keys]) } as never);
      const found = new Map(rows.map((r) => [r[column] as string, r]));
      return keys.map((k) => found.get(k) ?? null);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

/** Loads, for each key, every record whose `column` equals it (and that match `where`), in order. */
export function groupedBy<T extends ObjectLiteral>(
  db: DataSource,
  target: new () => T,
  column: keyof T & string,
  order: FindOptionsOrder<T>,
  where: FindOptionsWhere<T> = {},
): DataLoader<string, T[]> {
  return new DataLoader(
    async (keys) => {
      const rows = await db
        .getRepository(target)
        .find({ where: { ...where, [column]: In([...keys]) } as never, order });
      const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
      for (const row of rows) groups.get(row[column] as string)?.push(row);
      return keys.map((k) => groups.get(k) ?? []);
    },
    { maxBatchSize: MAX_BATCH },
  );
}
