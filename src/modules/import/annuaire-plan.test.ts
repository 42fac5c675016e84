import { planHierarchy } from './annuaire-plan';
import type { AnnuaireRecord } from './annuaire-record';
import type { ImportProblem } from './import-report';

/** A record with only what planning reads. */
function record(index: number, id: string, children: string[] = []): AnnuaireRecord {
  return {
    index,
    id,
    name: id,
    acronym: null,
    kind: null,
    children: children.map((c, at) => ({ id: c, at })),
    underAuthority: [],
    holders: [],
    mission: null,
    modified: null,
    identifiers: [],
  };
}

describe('planHierarchy', () => {
  it('inverts Service Fils into parent links and orders parents first', () => {
    const problems: ImportProblem[] = [];
    const plan = planHierarchy(
      [record(0, 'leaf'), record(1, 'mid', ['leaf']), record(2, 'top', ['other', 'mid'])],
      problems,
    );
    expect(plan.order.map((r) => r.id)).toEqual(['top', 'mid', 'leaf']);
    expect(plan.placement.get('mid')).toEqual({ parentId: 'top', position: 1 });
    expect(plan.placement.has('top')).toBe(false);
    expect(problems).toEqual([]);
  });

  it('keeps the first of two parents, and drops the link that closes a cycle', () => {
    const problems: ImportProblem[] = [];
    const plan = planHierarchy(
      [record(0, 'a', ['b']), record(1, 'b', ['c']), record(2, 'c', ['a']), record(3, 'd', ['b'])],
      problems,
    );
    expect(plan.order).toHaveLength(4);
    const position = new Map(plan.order.map((r, i) => [r.id, i]));
    for (const [child, { parentId }] of plan.placement)
      expect(position.get(parentId)!).toBeLessThan(position.get(child)!);
    expect(problems.map((p) => p.index).sort()).toEqual([0, 3]);
    expect(problems.map((p) => p.reason).join('\n')).toMatch(/already listed by service\[0\]/);
    expect(problems.map((p) => p.reason).join('\n')).toMatch(/would close a cycle/);
  });
});
