import type {
  DataSource,
  EntityManager,
  EntityMetadata,
  EntityTarget,
  ObjectLiteral,
} from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

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
  const driver = ds.driver;
  const out = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const entity = meta.create() as ObjectLiteral;
    for (const c of columns) {
      if (c.raw in row) {
        entity[c.property] = c.asIs
          ? row[c.raw]
          : driver.prepareHydratedValue(row[c.raw], c.column);
      }
    }
    out[i] = entity as T;
  }
  return out;
}

/** The positional parameter marker of the dialect: `$n` on PostgreSQL, `?` on SQLite. */
export function param(db: DataSource | EntityManager, n: number): string {
  const ds = 'connection' in db ? db.connection : db;
  return ds.options.type === 'postgres' ? `$${n}` : '?';
}
