import type { AnnuaireRecord } from './annuaire-record';
import type { ImportProblem } from './import-report';

/** Where the file places a unit: under which parent (national id), at which position. */
export interface Placement {
  parentId: string;
  position: number;
}

/** The hierarchy of a file, inverted from its parents' `Service Fils` lists. */
export interface HierarchyPlan {
  /** The parent of each record that some record of the file lists as its child. */
  placement: Map<string, Placement>;
  /** The records, every parent before its children. */
  order: AnnuaireRecord[];
}

/**
 * Inverts the `Service Fils` links of the file's records into parent links and orders the records
 * parents first. A child listed by two parents keeps the first; a link that would close a cycle
 * is dropped. Both are reported as warnings. Links to ids outside the file are left to the
 * writer, which looks for them in the directory.
 */
export function planHierarchy(records: AnnuaireRecord[], problems: ImportProblem[]): HierarchyPlan {
  const byId = new Map(records.map((r) => [r.id, r]));
  const placement = new Map<string, Placement>();
  for (const parent of records) {
    for (const [position, child] of parent.children.entries()) {
      if (!byId.has(child.id)) continue;
      const warn = (reason: string) =>
        problems.push({ index: parent.index, id: parent.id, kind: 'warning', reason });
      const taken = placement.get(child.id);
      if (child.id === parent.id) warn(`hierarchie[${child.at}] lists the service itself: ignored`);
      else if (taken && taken.parentId !== parent.id)
        warn(
          `hierarchie[${child.at}] lists ${child.id}, already listed by service[${byId.get(taken.parentId)!.index}]: the first is kept`,
        );
      else if (!taken) placement.set(child.id, { parentId: parent.id, position });
    }
  }
  const order: AnnuaireRecord[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of records) {
    const path: string[] = [];
    for (let id: string | undefined = start.id; id !== undefined && state.get(id) !== 'done';) {
      if (state.get(id) === 'visiting') {
        const child = byId.get(path[path.length - 1])!;
        const parent = byId.get(id)!;
        problems.push({
          index: parent.index,
          id: parent.id,
          kind: 'warning',
          reason: `listing ${child.id} as a child would close a cycle: that link is ignored`,
        });
        placement.delete(child.id);
        break;
      }
      state.set(id, 'visiting');
      path.push(id);
      id = placement.get(id)?.parentId;
    }
    for (const id of path.reverse()) {
      state.set(id, 'done');
      order.push(byId.get(id)!);
    }
  }
  return { placement, order };
}
