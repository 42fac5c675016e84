import { startTestGateway, TestGateway } from '../helpers/gateway';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';

const SERVICES = toGlobalId('OrgUnit', seedUuid('OrgUnit', 'services-du-cabinet-seine-et-marne'));
const DIRECTION = toGlobalId(
  'OrgUnit',
  seedUuid('OrgUnit', 'direction-des-securites-seine-et-marne'),
);

/**
 * The "done when": a maintainer restructures the cabinet through the API — creates a
 * bureau, moves it, appoints a holder, archives it — and each step is visible in history and in
 * the audit log under the maintainer's key.
 */
describe('restructuring the cabinet through the API', () => {
  let gw: TestGateway;
  let editor: Record<string, string>;
  let admin: Record<string, string>;
  let editorActor: string;

  async function run<T = Record<string, { id: string; version: number }>>(
    query: string,
    input: object,
  ): Promise<T> {
    const res = await gw.gql(query, { input }, editor);
    expect(res.body.errors).toBeUndefined();
    const payload = Object.values(res.body.data as Record<string, { userErrors: unknown[] }>)[0];
    expect(payload.userErrors).toEqual([]);
    return payload as T;
  }

  beforeAll(async () => {
    gw = await startTestGateway();
    const e = await gw.auth.keys.create('Mainteneur de test', Role.EDITOR);
    editor = { authorization: `Bearer ${e.key}` };
    editorActor = `key:${e.record.id}`;
    const a = await gw.auth.keys.create('Administrateur de test', Role.ADMIN);
    admin = { authorization: `Bearer ${a.key}` };
  });
  afterAll(() => gw.stop());

  it('creates, moves, staffs and archives a bureau, each step in history and audit', async () => {
    const { unit } = await run<{ unit: { id: string } }>(
      `mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id } userErrors { code } } }`,
      {
        slug: 'bureau-test-restructuration',
        name: 'Bureau de test de la restructuration',
        kind: 'BUREAU',
        parentId: SERVICES,
      },
    );
    await run(
      `mutation($input: MoveUnitInput!) { moveUnit(input: $input) { unit { id } userErrors { code } } }`,
      {
        id: unit.id,
        expectedVersion: 1,
        parentId: DIRECTION,
      },
    );
    const { post } = await run<{ post: { id: string } }>(
      `mutation($input: CreatePostInput!) { createPost(input: $input) { post { id } userErrors { code } } }`,
      {
        slug: 'chef-bureau-test-restructuration',
        title: 'Chef du bureau de test',
        unitId: unit.id,
        isHead: true,
      },
    );
    const { appointment } = await run<{ appointment: { id: string; person: { id: string } } }>(
      `mutation($input: AppointInput!) { appoint(input: $input) { appointment { id person { id } } userErrors { code } } }`,
      {
        postId: post.id,
        startDate: '2026-01-05',
        newPerson: {
          slug: 'alice-testeuse',
          givenName: 'Alice',
          familyName: 'Testeuse',
          grade: 'attachée (fictive)',
        },
      },
    );
    const card = await gw.gql(
      `query($id: ID!) { node(id: $id) { ... on OrgUnit { parent { id } head { holderStatus holder { displayName } history { nodes { entityType operation } } } } } }`,
      { id: unit.id },
    );
    expect(card.body.data).toEqual({
      node: {
        parent: { id: DIRECTION },
        head: {
          holderStatus: 'HELD',
          holder: { displayName: 'Alice Testeuse' },
          history: {
            nodes: [
              { entityType: 'Appointment', operation: 'CREATED' },
              { entityType: 'Post', operation: 'CREATED' },
            ],
          },
        },
      },
    });
    await run(
      `mutation($input: ArchiveUnitInput!) { archiveUnit(input: $input) { unit { id } userErrors { code } } }`,
      {
        id: unit.id,
        expectedVersion: 2,
      },
    );

    const history = await gw.gql(
      `query($id: ID!) { node(id: $id) { ... on OrgUnit { archivedAt history { nodes { operation version changedFields { field before after } } } } } }`,
      { id: unit.id },
    );
    const node = (
      history.body.data as {
        node: {
          archivedAt: string;
          history: {
            nodes: Array<{
              operation: string;
              version: number;
              changedFields: Array<{ field: string; before: unknown; after: unknown }>;
            }>;
          };
        };
      }
    ).node;
    expect(node.archivedAt).toEqual(expect.any(String));
    expect(node.history.nodes.map((n) => [n.operation, n.version])).toEqual([
      ['ARCHIVED', 3],
      ['MOVED', 2],
      ['CREATED', 1],
    ]);
    expect(node.history.nodes[1].changedFields).toContainEqual({
      field: 'parentId',
      before: SERVICES,
      after: DIRECTION,
    });

    const audit = await gw.gql(
      `query($actor: String!) { auditLog(filter: { actor: $actor }, first: 20) { nodes { entityType entityId operation actor } } }`,
      { actor: editorActor },
      admin,
    );
    expect(audit.body.errors).toBeUndefined();
    const entries = (
      audit.body.data as {
        auditLog: {
          nodes: Array<{ entityType: string; entityId: string; operation: string; actor: string }>;
        };
      }
    ).auditLog.nodes;
    expect(entries.map((e) => [e.entityType, e.operation])).toEqual([
      ['OrgUnit', 'ARCHIVED'],
      ['Appointment', 'CREATED'],
      ['Person', 'CREATED'],
      ['Post', 'CREATED'],
      ['OrgUnit', 'MOVED'],
      ['OrgUnit', 'CREATED'],
    ]);
    expect(entries.every((e) => e.actor === editorActor)).toBe(true);
    expect(entries.find((e) => e.entityType === 'Appointment')!.entityId).toBe(appointment.id);

    const chart = await gw.gql(`{ orgChart(maxDepth: 5) { entries { unit { id } } } }`);
    const ids = (
      chart.body.data as { orgChart: { entries: Array<{ unit: { id: string } }> } }
    ).orgChart.entries.map((e) => e.unit.id);
    expect(ids).not.toContain(unit.id);
  });
});
