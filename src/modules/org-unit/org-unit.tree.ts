import type { DataSource, EntityManager } from 'typeorm';
import { hydrate, param } from '../../db/hydrate';
import { OrgUnit } from './org-unit.entity';

/**
 * Joins the few rows of a recursive CTE to org_unit by primary key. Note: SQLite's planner
 * otherwise scans the whole table and probes the CTE (about 6× slower at national scale);
 * `CROSS JOIN` fixes its join order. PostgreSQL plans this well by itself and has no such form.
 */
function drivingJoin(db: DataSource | EntityManager): string {
  const ds = 'connection' in db ? db.connection : db;
  return ds.options.type === 'postgres' ? 'JOIN' : 'CROSS JOIN';
}

/** A unit with its depth below the root of a tree query. */
export interface UnitAtDepth {
  unit: OrgUnit;
  depth: number;
}

/**
 * The subtree under `rootUuid` down to `maxDepth` levels (the root at depth 0), in one recursive
 * statement, returned in depth-first order with siblings by position then name. Archived units
 * (and so what lies below them) are left out unless asked for.
 */
export async function subtree(
  db: DataSource | EntityManager,
  rootUuid: string,
  maxDepth: number,
  includeArchived = false,
): Promise<UnitAtDepth[]> {
  const rows: Array<Record<string, unknown>> = await db.query(
    `WITH RECURSIVE tree(id, depth) AS (
       SELECT id, 0 FROM org_unit WHERE id = ${param(db, 1)}
       UNION ALL
       SELECT c.id, tree.depth + 1 FROM tree JOIN org_unit c ON c."parentId" = tree.id
       WHERE tree.depth < ${param(db, 2)} AND (${param(db, 3)} = 1 OR c."archivedAt" IS NULL)
     )
     SELECT u.*, tree.depth AS "treeDepth" FROM tree ${drivingJoin(db)} org_unit u ON u.id = tree.id`,
    [rootUuid, maxDepth, includeArchived ? 1 : 0],
  );
  const units = hydrate(db, OrgUnit, rows);
  const depthOf = new Map(rows.map((r) => [r.id as string, Number(r.treeDepth)]));
  return depthFirst(units).map((unit) => ({ unit, depth: depthOf.get(unit.uuid) ?? 0 }));
}

/**
 * The ancestors of each of several units, root first, in one recursive statement: the batch
 * function of the `unitAncestors` loader, also used alone to check for cycles.
 */
export async function ancestorsOf(
  db: DataSource | EntityManager,
  uuids: readonly string[],
): Promise<OrgUnit[][]> {
  const marks = uuids.map((_, i) => param(db, i + 1)).join(', ');
  const rows: Array<Record<string, unknown>> = await db.query(
    `WITH RECURSIVE up(start, id, height) AS (
       SELECT id, "parentId", 1 FROM org_unit WHERE id IN (${marks}) AND "parentId" IS NOT NULL
       UNION ALL
       SELECT up.start, p."parentId", up.height + 1 FROM up JOIN org_unit p ON p.id = up.id
       WHERE p."parentId" IS NOT NULL AND up.height < 1000
     )
     SELECT u.*, up.start AS "ancestorOf" FROM up ${drivingJoin(db)} org_unit u ON u.id = up.id ORDER BY up.height DESC`,
    [...uuids],
  );
  const units = hydrate(db, OrgUnit, rows);
  const groups = new Map<string, OrgUnit[]>(uuids.map((id) => [id, []]));
  rows.forEach((row, i) => groups.get(row.ancestorOf as string)?.push(units[i]));
  return uuids.map((id) => groups.get(id) ?? []);
}

/** Orders units so that each comes right before its subtree, siblings by position then name. */
export function depthFirst(units: OrgUnit[]): OrgUnit[] {
  const ids = new Set(units.map((u) => u.uuid));
  const children = new Map<string | null, OrgUnit[]>();
  for (const u of units) {
    const key = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    const list = children.get(key);
    if (list) list.push(u);
    else children.set(key, [u]);
  }
  for (const list of children.values()) list.sort(compareSiblings);
  const out: OrgUnit[] = [];
  const visit = (key: string | null) => {
    for (const u of children.get(key) ?? []) {
      out.push(u);
      visit(u.uuid);
    }
  };
  visit(null);
  return out;
}

/** Sibling order: position, then name, then uuid for a total order. */
export function compareSiblings(a: OrgUnit, b: OrgUnit): number {
  return (
    a.position - b.position || a.name.localeCompare(b.name, 'fr') || a.uuid.localeCompare(b.uuid)
  );
}
