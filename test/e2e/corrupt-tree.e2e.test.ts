import { startTestGateway, TestGateway, usingPostgres } from '../helpers/gateway';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';
import { TREE_DEPTH_LIMIT } from '../../src/modules/org-unit/org-unit.tree';

/**
 * Tree reads on a corrupt tree: a cycle written straight into the table, which the tree rules
 * never let a write make. Every recursive read ends, lists each unit once, and leaves the pool
 * free: `ancestors`, `depth`, `descendants`, `orgChart`, `units(filter: { ancestorId })`.
 */

const SERVICES = toGlobalId('OrgUnit', seedUuid('OrgUnit', 'services-du-cabinet-seine-et-marne'));
const CREATE = `mutation($input: CreateUnitInput!) {
  createUnit(input: $input) { unit { id } userErrors { code } }
}`;

let gw: TestGateway;
const ids: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
const uuids: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };

beforeAll(async () => {
  gw = await startTestGateway();
  const editor = {
    authorization: `Bearer ${(await gw.auth.keys.create('corrupt', Role.EDITOR)).key}`,
  };
  // A under the services, B under A, C under B; then A is put under B behind the API's back.
  let parentId = SERVICES;
  for (const name of ['a', 'b', 'c'] as const) {
    const res = await gw.gql<{ createUnit: { unit: { id: string } } }>(
      CREATE,
      { input: { slug: `boucle-${name}`, name: `Boucle ${name}`, kind: 'BUREAU', parentId } },
      editor,
    );
    ids[name] = parentId = res.body.data!.createUnit.unit.id;
    uuids[name] = Buffer.from(ids[name], 'base64url').toString().split(':')[1];
  }
  const mark = usingPostgres ? ['$1', '$2'] : ['?', '?'];
  await gw.db.query(`UPDATE org_unit SET "parentId" = ${mark[0]} WHERE id = ${mark[1]}`, [
    uuids.b,
    uuids.a,
  ]);
});

afterAll(() => gw?.stop());

const idsOf = (list: Array<{ id: string }>) => list.map((u) => u.id);

describe(`recursive reads on a cycle written into the table (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('ancestors lists each unit once and ends', async () => {
    const res = await gw.gql<{
      nodes: Array<{ id: string; depth: number; ancestors: Array<{ id: string }> }>;
    }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on OrgUnit { depth ancestors { id } } } }`,
      {
        ids: [ids.a, ids.b, ids.c],
      },
    );
    expect(res.body.errors).toBeUndefined();
    const [a, b, c] = res.body.data!.nodes;
    // A → B → A…: the walk up stops when it comes back.
    expect(idsOf(a.ancestors)).toEqual([ids.b]);
    expect(idsOf(b.ancestors)).toEqual([ids.a]);
    // C → B → A → B…: C's chain is B, then A, root first.
    expect(idsOf(c.ancestors)).toEqual([ids.a, ids.b]);
    expect(c.depth).toBe(2);
    expect(c.ancestors.length).toBeLessThanOrEqual(TREE_DEPTH_LIMIT);
  });

  it('orgChart and descendants list each unit once, the root first', async () => {
    const res = await gw.gql<{
      orgChart: { entries: Array<{ depth: number; unit: { id: string } }> };
      node: { descendants: Array<{ id: string }> };
    }>(
      `query($root: String!, $id: ID!) {
        orgChart(root: $root, maxDepth: 20) { entries { depth unit { id } } }
        node(id: $id) { ... on OrgUnit { descendants(maxDepth: 20) { id } } }
      }`,
      { root: ids.a, id: ids.a },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.orgChart.entries.map((e) => [e.unit.id, e.depth])).toEqual([
      [ids.a, 0],
      [ids.b, 1],
      [ids.c, 2],
    ]);
    expect(idsOf(res.body.data!.node.descendants)).toEqual([ids.b, ids.c]);
  });

  it('units(filter: { ancestorId }) ends, lists each unit once, and leaves /ready answering', async () => {
    const query = `query($a: ID!) { units(first: 100, filter: { ancestorId: $a }) { nodes { id } } }`;
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        gw.gql<{ units: { nodes: Array<{ id: string }> } }>(query, { a: ids.a }),
      ),
    );
    for (const res of answers) {
      expect(res.body.errors).toBeUndefined();
      expect(idsOf(res.body.data!.units.nodes).sort()).toEqual([ids.b, ids.c].sort());
    }
    expect((await gw.raw('/ready')).status).toBe(200);
  });
});
