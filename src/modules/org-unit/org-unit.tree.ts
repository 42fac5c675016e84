import type { DataSource, EntityManager } from 'typeorm';
import { hydrate, hydrateArrays, param } from '../../db/hydrate';
import { readRowArrays } from '../../db/read-rows';
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
 * Most levels a tree walk goes, up or down, whatever the data: the tree rules keep the tree
 * acyclic, and a walk still ends on a cycle written into the table by other means.
 */
export const TREE_DEPTH_LIMIT = 1000;

/**
 * The subtree under `rootUuid` down to `maxDepth` levels (the root at depth 0), in one recursive
 * statement, returned in depth-first order with siblings by position then name. Archived units
 * (and so what lies below them) are left out unless asked for.
 * Note: each unit has one parent, so a walk down can only meet a unit twice by coming back to the
 * root; never stepping onto the root again keeps every unit once, even on a corrupt cycle.
 */
export async function subtree(
  db: DataSource | EntityManager,
  rootUuid: string,
  maxDepth: number,
  includeArchived = false,
): Promise<UnitAtDepth[]> {
  const result = await readRowArrays(
    db,
    `WITH RECURSIVE tree(id, depth) AS (
       SELECT id, 0 FROM org_unit WHERE id = ${param(db, 1)}
       UNION ALL
       SELECT c.id, tree.depth + 1 FROM tree JOIN org_unit c ON c."parentId" = tree.id
       WHERE tree.depth < ${param(db, 2)} AND (${param(db, 3)} = 1 OR c."archivedAt" IS NULL)
         AND c.id <> ${param(db, 4)}
     )
     SELECT u.*, tree.depth AS "treeDepth" FROM tree ${drivingJoin(db)} org_unit u ON u.id = tree.id`,
    [rootUuid, Math.min(maxDepth, TREE_DEPTH_LIMIT), includeArchived ? 1 : 0, rootUuid],
  );
  const units = hydrateArrays(db, OrgUnit, result);
  const depthAt = result.columns.indexOf('treeDepth');
  const depthOf = new Map(units.map((u, i) => [u.uuid, Number(result.rows[i][depthAt])]));
  return depthFirst(units, rootUuid).map((unit) => ({
    unit,
    depth: depthOf.get(unit.uuid) ?? 0,
  }));
}

/**
 * The ancestors of each of several units, root first, in one recursive statement: the batch
 * function of the `unitAncestors` loader, also used alone to check for cycles.
 * Note: the statement collects each unit's chain as a set (UNION), which ends even on a corrupt
 * cycle; the chain's order is then walked from the unit up, each ancestor once, at most
 * TREE_DEPTH_LIMIT of them.
 */
export async function ancestorsOf(
  db: DataSource | EntityManager,
  uuids: readonly string[],
): Promise<OrgUnit[][]> {
  const marks = uuids.map((_, i) => param(db, i + 1)).join(', ');
  const rows: Array<Record<string, unknown>> = await db.query(
    `WITH RECURSIVE up(start, id) AS (
       SELECT id, id FROM org_unit WHERE id IN (${marks})
       UNION
       SELECT up.start, p."parentId" FROM up JOIN org_unit p ON p.id = up.id
       WHERE p."parentId" IS NOT NULL
     )
     SELECT u.*, up.start AS "ancestorOf" FROM up ${drivingJoin(db)} org_unit u ON u.id = up.id`,
    [...uuids],
  );
  const units = hydrate(db, OrgUnit, rows);
  const chains = new Map<string, Map<string, OrgUnit>>(uuids.map((id) => [id, new Map()]));
  rows.forEach((row, i) => chains.get(row.ancestorOf as string)?.set(units[i].uuid, units[i]));
  return uuids.map((id) => {
    const chain = chains.get(id)!;
    const out: OrgUnit[] = [];
    const seen = new Set([id]);
    for (let at = chain.get(id)?.parentId; at && !seen.has(at) && chain.has(at);) {
      if (out.length >= TREE_DEPTH_LIMIT) break;
      const unit = chain.get(at)!;
      out.push(unit);
      seen.add(at);
      at = unit.parentId;
    }
    return out.reverse();
  });
}

/**
 * Orders units so that each comes right before its subtree, siblings by position then name;
 * `rootUuid`, when given, comes first whatever its parent.
 */
export function depthFirst(units: OrgUnit[], rootUuid?: string): OrgUnit[] {
  const ids = new Set(units.map((u) => u.uuid));
  const children = new Map<string | null, OrgUnit[]>();
  for (const u of units) {
    const key = u.uuid !== rootUuid && u.parentId && ids.has(u.parentId) ? u.parentId : null;
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
