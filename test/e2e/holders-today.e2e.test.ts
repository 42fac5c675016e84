import { startTestGateway, TestGateway } from '../helpers/gateway';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';

const CABINET = toGlobalId('OrgUnit', seedUuid('OrgUnit', 'cabinet-du-prefet-seine-et-marne'));

/** A day `days` from today, YYYY-MM-DD (UTC, as the gateway's `today`). */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Today's holder of a post is read from the appointments covering today alone
 * (`appointmentsByPostToday`), its history from all of them: whichever the path (a chart read
 * ahead, a post alone, the history asked before or after the holder, another date), the holder
 * is the appointment that covers the day, and the history stays whole.
 */
describe("today's holders", () => {
  let gw: TestGateway;
  let auth: Record<string, string>;
  let post: string;
  const people: Record<string, string> = {};

  async function write(mutation: string, input: Record<string, unknown>, field: string) {
    const res = await gw.gql<Record<string, Record<string, { id: string }> & { userErrors: [] }>>(
      `mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { ${field} { id } userErrors { code field } } }`,
      { input },
      auth,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data![mutation].userErrors).toEqual([]);
    return res.body.data![mutation][field].id;
  }

  beforeAll(async () => {
    gw = await startTestGateway();
    const { key } = await gw.auth.keys.create('holders editor', Role.EDITOR);
    auth = { authorization: `Bearer ${key}` };
    const unit = await write(
      'createUnit',
      {
        slug: 'bureau-fictif-des-titulaires',
        name: 'Bureau fictif',
        kind: 'BUREAU',
        parentId: CABINET,
      },
      'unit',
    );
    post = await write(
      'createPost',
      { unitId: unit, slug: 'chef-fictif-des-titulaires', title: 'Chef fictif', isHead: true },
      'post',
    );
    for (const [name, [startDate, endDate]] of Object.entries({
      past: [day(-400), day(-200)],
      current: [day(-199), day(300)],
      future: [day(301), null],
    })) {
      people[name] = await write(
        'createPerson',
        { slug: `personne-fictive-${name}`, givenName: 'Fictive', familyName: name },
        'person',
      );
      await write(
        'appoint',
        { postId: post, personId: people[name], startDate, endDate },
        'appointment',
      );
    }
  });
  afterAll(() => gw.stop());

  async function data<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await gw.gql<T>(query, variables);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!;
  }

  it('holds today in a chart read ahead, in the history asked before or after, and at other dates', async () => {
    const chart = await data<{
      orgChart: {
        entries: Array<{
          unit: {
            id: string;
            head: { holderStatus: string; holder: { id: string } | null } | null;
          };
        }>;
      };
    }>(
      `query($root: String!) { orgChart(root: $root, maxDepth: 1) { entries { unit { id head { holderStatus holder { id } } } } } }`,
      { root: CABINET },
    );
    const entry = chart.orgChart.entries.find((e) => e.unit.head?.holder?.id === people.current);
    expect(entry?.unit.head).toEqual({ holderStatus: 'HELD', holder: { id: people.current } });

    const HISTORY = 'appointments { person { id } }';
    const HOLDER = 'holder { id } holderStatus';
    for (const selection of [`${HOLDER} ${HISTORY}`, `${HISTORY} ${HOLDER}`, HOLDER]) {
      const { node } = await data<{
        node: { holder: { id: string }; holderStatus: string; appointments?: unknown[] };
      }>(`query($id: ID!) { node(id: $id) { ... on Post { ${selection} } } }`, { id: post });
      expect({ selection, holder: node.holder, status: node.holderStatus }).toEqual({
        selection,
        holder: { id: people.current },
        status: 'HELD',
      });
      if (selection.includes('appointments'))
        expect(node.appointments).toEqual([
          { person: { id: people.future } },
          { person: { id: people.current } },
          { person: { id: people.past } },
        ]);
    }
    for (const [at, holder] of [
      [day(-300), people.past],
      [day(400), people.future],
      [day(0), people.current],
    ]) {
      const { node } = await data<{ node: { today: { id: string }; then: { id: string } } }>(
        `query($id: ID!, $at: LocalDate) { node(id: $id) { ... on Post { today: holder { id } then: holder(at: $at) { id } } } }`,
        { id: post, at },
      );
      expect({ at, node }).toEqual({
        at,
        node: { today: { id: people.current }, then: { id: holder } },
      });
    }
  });

  it('finds no holder today between two appointments', async () => {
    // Note: the gap is today: the current appointment ends yesterday, the next starts tomorrow.
    const { key } = await gw.auth.keys.create('holders editor 2', Role.EDITOR);
    auth = { authorization: `Bearer ${key}` };
    const unit = await write(
      'createUnit',
      {
        slug: 'bureau-fictif-vacant',
        name: 'Bureau fictif vacant',
        kind: 'BUREAU',
        parentId: CABINET,
      },
      'unit',
    );
    const vacant = await write(
      'createPost',
      { unitId: unit, slug: 'chef-fictif-vacant', title: 'Chef fictif vacant', isHead: true },
      'post',
    );
    await write(
      'appoint',
      { postId: vacant, personId: people.past, startDate: day(-30), endDate: day(-1) },
      'appointment',
    );
    await write(
      'appoint',
      { postId: vacant, personId: people.future, startDate: day(1) },
      'appointment',
    );
    const { node } = await data<{ node: { holder: null; holderStatus: string } }>(
      `query($id: ID!) { node(id: $id) { ... on Post { holder { id } holderStatus } } }`,
      { id: vacant },
    );
    expect(node).toEqual({ holder: null, holderStatus: 'VACANT' });
  });
});
