import DataLoader from 'dataloader';
import type { DataSource, ObjectLiteral } from 'typeorm';
import { hydrateArrays, param } from '../db/hydrate';
import { readRowArrays } from '../db/read-rows';
import { AnswerTags, recordTag, subtreeTag, typeTag } from './answer-tags';

/**
 * Largest batch one loader sends as a single `IN (…)`: well under SQLite's bound-parameter
 * limit and PostgreSQL's, while keeping one statement per level for ordinary pages.
 */
export const MAX_BATCH = 500;

/**
 * The lengths an `IN (…)` list is padded to, by repeating its last key (which changes no
 * answer): a loader then sends a handful of statement texts instead of one per batch size, so
 * that the statements stay prepared (better-sqlite3's cache in TypeORM keeps 100; PostgreSQL's
 * named statements, one set per connection, stay few).
 */
const IN_LIST_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256, MAX_BATCH];

/** `keys`, padded to the next of `IN_LIST_SIZES`. */
export function paddedKeys(keys: readonly string[]): string[] {
  const size = IN_LIST_SIZES.find((s) => s >= keys.length) ?? keys.length;
  const out = [...keys];
  while (out.length < size) out.push(keys[keys.length - 1]);
  return out;
}

/** The parameter markers of `keys` padded (see `paddedKeys`), and the values they bind. */
export function inList(
  db: DataSource,
  keys: readonly string[],
): { marks: string; values: string[] } {
  const values = paddedKeys(keys);
  return { marks: values.map((_, i) => param(db, i + 1)).join(', '), values };
}

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
  options: { order?: LoaderOrder } & GroupOptions = {},
): Promise<T[]> {
  const meta = db.getMetadata(target);
  const name = (property: string) =>
    `"${meta.findColumnsWithPropertyPath(property)[0].databaseName}"`;
  const { marks, values } = inList(db, keys);
  let sql = `SELECT * FROM "${meta.tableName}" WHERE ${name(column)} IN (${marks})`;
  if (options.activeOnly) sql += ` AND "archivedAt" IS NULL`;
  if (options.where) sql += ` AND ${options.where}`;
  const params: unknown[] = values;
  if (options.covering) {
    const { from, to, day } = options.covering;
    sql += ` AND (${name(from)} IS NULL OR ${name(from)} <= ${param(db, values.length + 1)})`;
    sql += ` AND (${name(to)} IS NULL OR ${name(to)} >= ${param(db, values.length + 2)})`;
    params.push(day, day);
  }
  if (options.order) {
    sql += ` ORDER BY ${Object.entries(options.order)
      .map(([property, direction]) => `${name(property)} ${direction}`)
      .join(', ')}`;
  }
  return hydrateArrays(db, target, await readRowArrays(db, sql, params));
}

/**
 * A DataLoader that also keeps what its batches settled, so that a resolver can answer at once
 * (`now`) for a key already loaded, instead of through a promise: graphql-js then completes the
 * field, and the objects above it, without a microtask each. A chart read ahead (see
 * `readAheadHeads`) resolves its heads and holders this way.
 */
export class SettlingLoader<K, V> extends DataLoader<K, V> {
  private readonly settled: Map<K, V>;

  constructor(batch: (keys: readonly K[]) => Promise<V[]>, options?: DataLoader.Options<K, V>) {
    const settled = new Map<K, V>();
    super(async (keys) => {
      const values = await batch(keys);
      keys.forEach((k, i) => settled.set(k, values[i]));
      return values;
    }, options);
    this.settled = settled;
  }

  /** Whether a batch has settled the key's value. */
  hasSettled(key: K): boolean {
    return this.settled.has(key);
  }

  /** `then` of the key's value: at once when a batch has settled it, else after loading it. */
  now<R>(key: K, then: (value: V) => R | Promise<R>): R | Promise<R> {
    if (this.settled.has(key)) return then(this.settled.get(key) as V);
    return this.load(key).then(then);
  }

  prime(key: K, value: V | PromiseLike<V> | Error): this {
    // Note: as DataLoader, a primed key keeps its first value.
    const known = this.settled.has(key);
    super.prime(key, value);
    if (!known && !(value instanceof Error) && !isPromiseLike(value)) this.settled.set(key, value);
    return this;
  }

  clear(key: K): this {
    this.settled.delete(key);
    return super.clear(key);
  }

  clearAll(): this {
    this.settled.clear();
    return super.clearAll();
  }
}

const isPromiseLike = (v: unknown): v is PromiseLike<unknown> =>
  typeof (v as PromiseLike<unknown> | null)?.then === 'function';

/** Where a loader tags what it reads: the database and the request's answer tags. */
export interface LoaderSource {
  db: DataSource;
  tags: AnswerTags;
  /** The request's calendar day (YYYY-MM-DD), for the loaders of what holds on it. */
  today: string;
}

/**
 * Loads records by uuid, in key order, `null` for a missing key; tags each key's record (a
 * missing one too: its creation is logged under that uuid).
 */
export function byUuid<T extends ObjectLiteral & { uuid: string }>(
  source: LoaderSource,
  target: new () => T,
): SettlingLoader<string, T | null> {
  return new SettlingLoader(
    async (keys) => {
      for (const k of keys) source.tags.add(recordTag(target.name, k));
      const rows = await selectIn(source.db, target, 'uuid', keys);
      const found = new Map(rows.map((r) => [r.uuid, r]));
      return keys.map((k) => found.get(k) ?? null);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

/**
 * Loads records by a unique column (e.g. slug), in key order, `null` for a missing key; tags
 * each record found, and the whole type when a key finds none (any record may take it).
 */
export function byUnique<T extends ObjectLiteral & { uuid: string }>(
  source: LoaderSource,
  target: new () => T,
  column: keyof T & string,
): SettlingLoader<string, T | null> {
  return new SettlingLoader(
    async (keys) => {
      const rows = await selectIn(source.db, target, column, keys);
      const found = new Map(rows.map((r) => [r[column] as string, r]));
      for (const r of rows) source.tags.add(recordTag(target.name, r.uuid));
      if (rows.length < keys.length) source.tags.add(typeTag(target.name));
      return keys.map((k) => found.get(k) ?? null);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

/**
 * Which writes can change a group's members, its tag:
 * - `subtree`: the key is a unit that every member's change-log scope holds (the column is one
 *   of the record type's anchors, see its descriptor), so `sub:<key>` covers every member that
 *   comes, goes or changes;
 * - `type`: any write of the type (`type:<Type>`), for keys that are no anchor;
 * - `owner`: the key is the record whose own change-log entries log every change of the group
 *   (its citations, its identifiers in other systems), so the tag that covered that record when
 *   it was read covers the group: no tag of its own;
 * - `caller`: the caller tags the group itself, before loading it, with what it knows of the key
 *   (e.g. a post's unit: every appointment, mission or relation of a post has that unit in its
 *   change-log scope, so `sub:<unit of the post>` covers the post's group).
 */
export type Membership = 'subtree' | 'type' | 'owner' | 'caller';

/** Which records of a group a loader reads. */
export interface GroupOptions {
  /** Leave the archived records out. */
  activeOnly?: boolean;
  /**
   * A fixed SQL condition on the record's own columns, written in the entity's column names and
   * valid in both dialects (e.g. `"isHead" = true`): never built from a request's input.
   */
  where?: string;
  /**
   * Only the records whose period, between the `from` and `to` date columns (property names;
   * either may be null, an open bound), covers `day`: as `Appointment.covers` tests it.
   */
  covering?: { from: string; to: string; day: string };
}

/**
 * Loads, for each key, every record whose `column` equals it, in order; with `activeOnly`, the
 * archived ones are left out, and with `where`, those that fail it. Tags each group as
 * `membership` says.
 */
export function groupedBy<T extends ObjectLiteral>(
  source: LoaderSource,
  target: new () => T,
  column: keyof T & string,
  order: LoaderOrder,
  membership: Membership,
  options: GroupOptions = {},
): SettlingLoader<string, T[]> {
  return new SettlingLoader(
    async (keys) => {
      if (membership === 'subtree') for (const k of keys) source.tags.add(subtreeTag(k));
      else if (membership === 'type') source.tags.add(typeTag(target.name));
      const rows = await selectIn(source.db, target, column, keys, { order, ...options });
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
  /** The request's calendar day (YYYY-MM-DD). */
  today: string;
}

/**
 * One request's loader groups, each built on first use: a request pays only for the modules
 * it touches. A mutation replaces it after its writes, so the payload reads fresh records.
 */
export class RequestLoaders {
  private readonly groups = new Map<symbol, unknown>();

  /** @param tags where the request's loaders tag what they read. */
  constructor(readonly tags: AnswerTags) {}

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
  create: (source: LoaderSource) => T,
): (scope: LoaderScope) => T {
  const key = Symbol(name);
  return (scope) =>
    scope.loaders.group(key, () =>
      create({ db: scope.db, tags: scope.loaders.tags, today: scope.today }),
    );
}
