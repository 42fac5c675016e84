import type {
  DataSource,
  EntityManager,
  EntityMetadata,
  EntityTarget,
  ObjectLiteral,
} from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { RowArrays } from './read-rows';

/**
 * Column types whose raw value both drivers hand back unchanged (`prepareHydratedValue` has no
 * branch for them), when the column has no transformer: their value is copied as it comes.
 * Every other column (dates, booleans, numbers, JSON, enums) goes through the driver.
 */
const AS_IS = new Set<unknown>([String, 'varchar', 'character varying', 'text', 'uuid', 'integer']);

/** How one entity's columns are read from a raw row, worked out once per metadata. */
interface Plan {
  columns: Array<{ raw: string; property: string; column: ColumnMetadata; asIs: boolean }>;
}

const plans = new WeakMap<EntityMetadata, Plan>();

function planOf(meta: EntityMetadata): Plan {
  let plan = plans.get(meta);
  if (!plan) {
    plan = {
      columns: meta.columns.map((column) => ({
        raw: column.databaseName,
        property: column.propertyName,
        column,
        asIs: !column.transformer && !column.embeddedMetadata && AS_IS.has(column.type),
      })),
    };
    plans.set(meta, plan);
  }
  return plan;
}

/** Whether `hydrate` copies the column's raw value as it comes (for the test of that list). */
export function copiedAsIs(meta: EntityMetadata, propertyName: string): boolean {
  return planOf(meta).columns.find((c) => c.property === propertyName)?.asIs ?? false;
}

/**
 * Turns raw rows (`SELECT t.*` from hand-written SQL, e.g. recursive CTEs) into entity instances,
 * converting each column the way TypeORM itself would (dates, booleans per dialect). The columns
 * that need no conversion are copied without asking the driver: the read paths hydrate
 * thousands of values per request, and the driver's test of every type for every value was
 * 6 % of an org chart's CPU.
 */
export function hydrate<T extends ObjectLiteral>(
  db: DataSource | EntityManager,
  target: EntityTarget<T>,
  rows: ObjectLiteral[],
): T[] {
  const ds = 'connection' in db ? db.connection : db;
  const meta = ds.getMetadata(target);
  const { columns } = planOf(meta);
  const convert = valueConverter(ds);
  const out = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const entity = meta.create() as ObjectLiteral;
    for (const c of columns) {
      if (c.raw in row) entity[c.property] = c.asIs ? row[c.raw] : convert(row[c.raw], c.column);
    }
    out[i] = entity as T;
  }
  return out;
}

/** How an entity's columns are read from rows of arrays with `columns`, worked out once. */
const arrayPlans = new WeakMap<
  EntityMetadata,
  Map<string, Array<Plan['columns'][number] & { at: number }>>
>();

function arrayPlanOf(meta: EntityMetadata, columns: readonly string[]) {
  let byColumns = arrayPlans.get(meta);
  if (!byColumns) arrayPlans.set(meta, (byColumns = new Map()));
  const key = columns.join('\u0000');
  let plan = byColumns.get(key);
  if (!plan) {
    plan = planOf(meta).columns.flatMap((c) => {
      const at = columns.indexOf(c.raw);
      return at < 0 ? [] : [{ ...c, at }];
    });
    byColumns.set(key, plan);
  }
  return plan;
}

/**
 * `hydrate` for rows of arrays (`readRowArrays`): the same entities, the same conversions; the
 * columns that are not the entity's (e.g. a tree's depth) are left for the caller to read.
 */
export function hydrateArrays<T extends ObjectLiteral>(
  db: DataSource | EntityManager,
  target: EntityTarget<T>,
  { columns, rows }: RowArrays,
): T[] {
  const ds = 'connection' in db ? db.connection : db;
  const meta = ds.getMetadata(target);
  const plan = arrayPlanOf(meta, columns);
  const convert = valueConverter(ds);
  const out = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const entity = meta.create() as ObjectLiteral;
    for (const c of plan) entity[c.property] = c.asIs ? row[c.at] : convert(row[c.at], c.column);
    out[i] = entity as T;
  }
  return out;
}

/**
 * The driver's conversion of a raw value to the entity's, with SQLite's datetimes as TypeORM
 * writes them (`YYYY-MM-DD HH:MM:SS`, milliseconds optional) turned into the very ISO text that
 * TypeORM's driver builds from them, without its two regular expressions and its replace.
 */
function valueConverter(ds: DataSource): (value: unknown, column: ColumnMetadata) => unknown {
  const driver = ds.driver;
  if (ds.options.type !== 'better-sqlite3')
    return (value, column) => driver.prepareHydratedValue(value, column);
  return (value, column) =>
    typeof value === 'string' &&
    !column.transformer &&
    (column.type === 'datetime' || column.type === Date) &&
    isSqliteDatetime(value)
      ? new Date(`${value.slice(0, 10)}T${value.slice(11)}Z`)
      : driver.prepareHydratedValue(value, column);
}

/** Digits at these places of `YYYY-MM-DD HH:MM:SS.mmm`. */
const DATETIME_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/** Whether `value` is `YYYY-MM-DD HH:MM:SS`, or with `.mmm`: what TypeORM turns into ISO + `Z`. */
export function isSqliteDatetime(value: string): boolean {
  if (value.length !== 19 && value.length !== 23) return false;
  const c = (i: number) => value.charCodeAt(i);
  if (c(4) !== 45 || c(7) !== 45 || c(10) !== 32 || c(13) !== 58 || c(16) !== 58) return false;
  for (const i of DATETIME_DIGITS) if (c(i) < 48 || c(i) > 57) return false;
  if (value.length === 23) {
    if (c(19) !== 46) return false;
    for (let i = 20; i < 23; i++) if (c(i) < 48 || c(i) > 57) return false;
  }
  return true;
}

/** The positional parameter marker of the dialect: `$n` on PostgreSQL, `?` on SQLite. */
export function param(db: DataSource | EntityManager, n: number): string {
  const ds = 'connection' in db ? db.connection : db;
  return ds.options.type === 'postgres' ? `$${n}` : '?';
}
