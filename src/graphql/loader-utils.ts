import DataLoader from 'dataloader';
import type { DataSource, ObjectLiteral } from 'typeorm';
import { hydrate, param } from '../db/hydrate';

/**
 * Largest batch one loader sends as a single `IN (…)`: well under SQLite's bound-parameter
 * limit and PostgreSQL's, while keeping one statement per level for ordinary pages.
 */
export const MAX_BATCH = 500;

/** Sort order of a loader's rows, by property name. */
export type LoaderOrder = Record<string, 'ASC' | 'DESC'>;

/**
 * The rows of `target` whose `column` is one of `keys`, as entities: plain SQL from the entity
 * metadata (prepared statements are cached by the driver), skipping TypeORM's query builder on
 * the hottest path of every request.
 */
async function selectIn<T extends ObjectLiteral>(
  db: DataSource,
  target: new () => T,
  column: string,
  keys: readonly string[],
  options: { order?: LoaderOrder; activeOnly?: boolean } = {},
): Promise<T[]> {
  const meta = db.getMetadata(target);
  const name = (property: string) =>
    `"${meta.findColumnsWithPropertyPath(property)[0].databaseName}"`;
  const marks = keys.map((_, i) => param(db, i + 1)).join(', ');
  let sql = `SELECT * FROM "${meta.tableName}" WHERE ${name(column)} IN (${marks})`;
  if (options.activeOnly) sql += ` AND "archivedAt" IS NULL`;
  if (options.order) {
    sql += ` ORDER BY ${Object.entries(options.order)
      .map(([property, direction]) => `${name(property)} ${direction}`)
      .join(', ')}`;
  }
  return hydrate(db, target, await db.query(sql, [...keys]));
}

/** Loads records by uuid, in key order, `null` for a missing key. */
export function byUuid<T extends ObjectLiteral & { uuid: string }>(
  db: DataSource,
  target: new () => T,
): DataLoader<string, T | null> {
  return byUnique(db, target, 'uuid');
}

/** Loads records by a unique column (e.g. slug), in key order, `null` for a missing key. */
export function byUnique<T extends ObjectLiteral>(
  db: DataSource,
  target: new () => T,
  column: keyof T & string,
): DataLoader<string, T | null> {
  return new DataLoader(
    async (keys) => {
      const rows = await selectIn(db, target, column, keys);
      const found = new Map(rows.map((r) => [r[column] as string, r]));
      return keys.map((k) => found.get(k) ?? null);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

/**
 * Loads, for each key, every record whose `column` equals it, in order; with `activeOnly`, the
 * archived ones are left out.
 */
export function groupedBy<T extends ObjectLiteral>(
  db: DataSource,
  target: new () => T,
  column: keyof T & string,
  order: LoaderOrder,
  options: { activeOnly?: boolean } = {},
): DataLoader<string, T[]> {
  return new DataLoader(
    async (keys) => {
      const rows = await selectIn(db, target, column, keys, { order, ...options });
      const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
      for (const row of rows) groups.get(row[column] as string)?.push(row);
      return keys.map((k) => groups.get(k) ?? []);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

/** The request state a loader group needs: the database and the request's loader groups. */
export interface LoaderScope {
  db: DataSource;
  loaders: RequestLoaders;
}

/**
 * One request's loader groups, each built on first use: a request pays only for the modules
 * it touches. A mutation replaces it after its writes, so the payload reads fresh records.
 */
export class RequestLoaders {
  private readonly groups = new Map<symbol, unknown>();

  /** The group under `key`, built by `create` the first time this request asks for it. */
  group<T>(key: symbol, create: () => T): T {
    let group = this.groups.get(key) as T | undefined;
    if (group === undefined) {
      group = create();
      this.groups.set(key, group);
    }
    return group;
  }
}

/**
 * Declares a module's group of per-request loaders: the accessor returned gives the group of a
 * request, typed as `create` returns it, and builds it once in that request on first use.
 */
export function loaderGroup<T>(
  name: string,
  create: (db: DataSource) => T,
): (scope: LoaderScope) => T {
  const key = Symbol(name);
  return (scope) => scope.loaders.group(key, () => create(scope.db));
}
