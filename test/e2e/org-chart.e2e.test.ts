import { startTestGateway, TestGateway } from '../helpers/gateway';
import { OrgChartDocument, TopUnitsDocument } from '../generated/graphql';
import { OrgUnit } from '../../src/modules/org-unit/org-unit.entity';

/** A chart's nodes and deprecated entries side by side, with the parent of its root unit. */
const BOTH = `query Both($root: String, $maxDepth: Int) {
  orgChart(root: $root, maxDepth: $maxDepth) {
    root { id parent { id } }
    entries { depth parentId hasChildren unit { id } }
    nodes { id depth parentId hasChildren unit { id } }
  }
}`;

interface Both {
  orgChart: {
    root: { id: string; parent: { id: string } | null };
    entries: Array<{
      depth: number;
      parentId: string | null;
      hasChildren: boolean;
      unit: { id: string };
    }>;
    nodes: Array<{
      id: string;
      depth: number;
      parentId: string | null;
      hasChildren: boolean;
      unit: { id: string };
    }>;
  };
}

/**
 * What d3.stratify() checks of a flat tree with its default accessors (`id`, `parentId`): one
 * root, unique ids, and every parent id naming a node of the list. Returns the problem, or null.
 */
function stratifyProblem(nodes: Array<{ id: string; parentId: string | null }>): string | null {
  const ids = new Set(nodes.map((n) => n.id));
  if (ids.size !== nodes.length) return 'duplicate id';
  const roots = nodes.filter((n) => n.parentId === null);
  if (roots.length !== 1) return `${roots.length} roots`;
  const missing = nodes.find((n) => n.parentId !== null && !ids.has(n.parentId));
  return missing ? `missing: ${missing.parentId}` : null;
}

describe('the chart API: top units and a self-contained flat tree', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // Note: reads follow an archive below, so the response cache must not answer them.
    gw = await startTestGateway({ CACHE_MAX_AGE: '0' });
  });
  afterAll(() => gw.stop());

  it('lists the three top units of the seed, by position then name', async () => {
    const res = await gw.gql(TopUnitsDocument);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.topUnits.map((u) => [u.slug, u.kind, u.hasChildren])).toEqual([
      ['prefecture-seine-et-marne', 'PREFECTURE', true],
      ['onacvg', 'OFFICE', false],
      ['commission-departementale-memoire-seine-et-marne', 'COMMISSION', false],
    ]);
  });

  it('charts the first top unit when no root is given', async () => {
    const [tops, chart] = await Promise.all([
      gw.gql(TopUnitsDocument),
      gw.gql(OrgChartDocument, { maxDepth: 0 }),
    ]);
    expect(chart.body.data!.orgChart.root.id).toBe(tops.body.data!.topUnits[0].id);
  });

  it('gives a subtree chart whose root has no parent id, while entries keep the old meaning', async () => {
    const res = await gw.gql<Both>(BOTH, {
      root: 'cabinet-du-prefet-seine-et-marne',
      maxDepth: 5,
    });
    expect(res.body.errors).toBeUndefined();
    const { root, entries, nodes } = res.body.data!.orgChart;
    expect(root.parent).not.toBeNull();
    expect(nodes[0]).toMatchObject({ id: root.id, depth: 0, parentId: null });
    expect(entries[0].parentId).toBe(root.parent!.id);
    expect(stratifyProblem(nodes)).toBeNull();
    // d3.stratify() throws "no root" on these.
    expect(stratifyProblem(entries.map((e) => ({ id: e.unit.id, parentId: e.parentId })))).toBe(
      '0 roots',
    );
    // Apart from the root's parent, the same records in the same order.
    expect(nodes.map((n) => n.id)).toEqual(nodes.map((n) => n.unit.id));
    expect(nodes.slice(1)).toEqual(entries.slice(1).map((e) => ({ ...e, id: e.unit.id })));
    expect(nodes.length).toBeGreaterThan(3);
  });

  it('gives a top unit chart whose nodes form a tree too', async () => {
    const res = await gw.gql<Both>(BOTH, { maxDepth: 20 });
    const { nodes } = res.body.data!.orgChart;
    expect(stratifyProblem(nodes)).toBeNull();
    expect(nodes.filter((n) => n.hasChildren).length).toBeGreaterThan(0);
  });

  it('marks entries deprecated with a reason that points to nodes', async () => {
    const res = await gw.gql<{
      __type: { fields: Array<{ name: string; isDeprecated: boolean; deprecationReason: string }> };
    }>(
      `{ __type(name: "OrgChart") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }`,
    );
    const fields = new Map(res.body.data!.__type.fields.map((f) => [f.name, f]));
    expect(fields.get('entries')).toMatchObject({ isDeprecated: true });
    expect(fields.get('entries')!.deprecationReason).toMatch(/`nodes`/);
    expect(fields.get('nodes')).toMatchObject({ isDeprecated: false });
  });

  it('leaves an archived top unit out', async () => {
    const onacvg = await gw.db.getRepository(OrgUnit).findOneByOrFail({ slug: 'onacvg' });
    await gw.db.transaction((em) =>
      gw.services.units.archive({ em, actor: 'test' }, onacvg.uuid, onacvg.version, false),
    );
    const res = await gw.gql(TopUnitsDocument);
    expect(res.body.data!.topUnits.map((u) => u.slug)).toEqual([
      'prefecture-seine-et-marne',
      'commission-departementale-memoire-seine-et-marne',
    ]);
  });
});
