import { startTestGateway, TestGateway } from '../helpers/gateway';
import { databaseFingerprint } from '../helpers/snapshot';
import { NodeType, toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';

/**
 * Text that the database cannot keep, sent to every mutation that takes text: NUL, a lone
 * surrogate and a control character each get `INVALID_VALUE` on the field's path, and the
 * directory and its change log stay as they were; query arguments get `BAD_USER_INPUT`. Tricky
 * but valid text comes back byte for byte, from the API and from the table.
 */

const seeded = (type: NodeType, slug: string) => toGlobalId(type, seedUuid(type, slug));
const CABINET = seeded('OrgUnit', 'cabinet-du-prefet-seine-et-marne');
const BUREAU = seeded('OrgUnit', 'bureau-representation-etat-seine-et-marne');

/** The refused strings: JSON.stringify sends the lone surrogate as the escape "\ud800". */
const BAD: Array<[string, string]> = [
  ['a NUL character', 'Bureau\u0000 du cabinet'],
  ['a lone surrogate', 'Bureau \ud800 du cabinet'],
  ['a control character', 'Bureau \u0007 du cabinet'],
];

/** The record field of each payload. */
const RECORD: Record<string, string> = {
  Unit: 'unit',
  Post: 'post',
  Person: 'person',
  Mission: 'mission',
  Responsibility: 'responsibility',
  Relation: 'relation',
  appoint: 'appointment',
};
const recordField = (mutation: string) =>
  RECORD[mutation] ?? RECORD[mutation.replace(/^(create|update)/, '')];

interface Result {
  record: { id: string; version: number } | null;
  userErrors: Array<{ field: string[]; message: string; code: string }>;
}

describe('text that the database cannot keep', () => {
  let gw: TestGateway;
  let auth: Record<string, string>;
  /** Records created for the update cases. */
  const made: Record<string, { id: string; version: number }> = {};

  beforeAll(async () => {
    gw = await startTestGateway();
    auth = { authorization: `Bearer ${(await gw.auth.keys.create('text', Role.EDITOR)).key}` };
    made.unit = await create('createUnit', {
      slug: 'bureau-des-textes',
      name: 'Bureau des textes',
      kind: 'BUREAU',
      parentId: CABINET,
    });
    made.post = await create('createPost', {
      slug: 'chef-des-textes',
      title: 'Chef des textes',
      unitId: made.unit.id,
    });
    made.person = await create('createPerson', { slug: 'texte-testeur', familyName: 'Testeur' });
    made.mission = await create('createMission', {
      slug: 'mission-des-textes',
      title: 'Mission des textes',
      ownerId: BUREAU,
    });
    made.responsibility = await create('createResponsibility', {
      slug: 'resp-des-textes',
      title: 'Responsabilité des textes',
      missionId: made.mission.id,
    });
    made.relation = await create('createRelation', {
      slug: 'relation-des-textes',
      type: 'SUPPORTS',
      fromUnitId: made.unit.id,
      toId: BUREAU,
    });
  });
  afterAll(() => gw.stop());

  async function mutate(mutation: string, input: Record<string, unknown>) {
    const inputType = `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`;
    return gw.gql<{ result: Result }>(
      `mutation($input: ${inputType}!) {
        result: ${mutation}(input: $input) {
          record: ${recordField(mutation)} { id version }
          userErrors { field message code }
        }
      }`,
      { input },
      auth,
    );
  }

  async function create(mutation: string, input: Record<string, unknown>) {
    const res = await mutate(mutation, input);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.result.userErrors).toEqual([]);
    return res.body.data!.result.record!;
  }

  /** Everything a write would change: every table and the change log. */
  async function state(): Promise<string> {
    const log = await gw.db.query('SELECT sequence, "entityId", version FROM change_log');
    return `${await databaseFingerprint(gw.db)}\n${JSON.stringify(log)}`;
  }

  /** Each mutation, an input holding `text` at the field named by the path after `input`. */
  const cases: Array<[string, (text: string) => Record<string, unknown>, string[]]> = [
    [
      'createUnit',
      (t) => ({ slug: 'bureau-refuse', name: t, kind: 'BUREAU', parentId: CABINET }),
      ['name'],
    ],
    ['updateUnit', (t) => ({ ...version('unit'), description: t }), ['description']],
    [
      'createPost',
      (t) => ({ slug: 'poste-refuse', title: 'Poste', description: t, unitId: CABINET }),
      ['description'],
    ],
    ['updatePost', (t) => ({ ...version('post'), title: t }), ['title']],
    ['createPerson', (t) => ({ slug: 'personne-refusee', familyName: t }), ['familyName']],
    ['updatePerson', (t) => ({ ...version('person'), office: t }), ['office']],
    [
      'appoint',
      (t) => ({ postId: made.post.id, personId: made.person.id, startDate: '2025-01-01', note: t }),
      ['note'],
    ],
    [
      'appoint',
      (t) => ({
        postId: made.post.id,
        startDate: '2025-01-01',
        newPerson: { slug: 'nouvelle-refusee', familyName: 'Nouvelle', givenName: t },
      }),
      ['newPerson', 'givenName'],
    ],
    ['createMission', (t) => ({ slug: 'mission-refusee', title: t, ownerId: BUREAU }), ['title']],
    ['updateMission', (t) => ({ ...version('mission'), description: t }), ['description']],
    [
      'createResponsibility',
      (t) => ({ slug: 'resp-refusee', title: 'Resp', reference: t, ownerId: BUREAU }),
      ['reference'],
    ],
    ['updateResponsibility', (t) => ({ ...version('responsibility'), title: t }), ['title']],
    [
      'createRelation',
      (t) => ({
        slug: 'relation-refusee',
        type: 'SUPPORTS',
        fromUnitId: CABINET,
        toId: BUREAU,
        description: t,
      }),
      ['description'],
    ],
    ['updateRelation', (t) => ({ ...version('relation'), description: t }), ['description']],
  ];
  const version = (what: string) => ({
    id: made[what].id,
    expectedVersion: made[what].version,
  });

  describe.each(BAD)('%s', (_name, text) => {
    it.each(
      cases.map(([m, input, field]) => [`${m} ${field.join('.')}`, m, input, field] as const),
    )(
      '%s is refused with INVALID_VALUE, writing nothing',
      async (_case, mutation, input, field) => {
        const before = await state();
        const res = await mutate(mutation, input(text));
        expect(res.status).toBe(200);
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data!.result).toEqual({
          record: null,
          userErrors: [
            {
              field: ['input', ...field],
              code: 'INVALID_VALUE',
              message: expect.stringMatching(new RegExp(`^${field.join('\\.')} holds ${_name}`)),
            },
          ],
        });
        expect(await state()).toBe(before);
      },
    );
  });

  it('refuses DEL, C1 controls and non-characters, and keeps tab, line feed and carriage return', async () => {
    for (const bad of ['a\u007fb', 'a\u0085b', 'a\u009fb', 'a\uffffb', 'a\ufffeb', 'a\ufdd0b']) {
      const res = await mutate('updateUnit', { ...version('unit'), description: bad });
      expect(res.body.data!.result.userErrors).toMatchObject([
        { field: ['input', 'description'], code: 'INVALID_VALUE' },
      ]);
    }
    const kept = await mutate('updateUnit', { ...version('unit'), description: 'a\tb\nc\r\nd' });
    expect(kept.body.data!.result.userErrors).toEqual([]);
    made.unit = kept.body.data!.result.record!;
  });

  it.each(BAD)('an API key name holding %s is refused, and no key is made', async (_n, text) => {
    const count = async () => (await gw.auth.keys.list()).length;
    const before = await count();
    await expect(gw.auth.keys.create(text, Role.AGENT)).rejects.toThrow(
      new RegExp(`^The key's name holds ${_n}`),
    );
    expect(await count()).toBe(before);
  });

  it.each(BAD)('query arguments holding %s get BAD_USER_INPUT', async (_name, text) => {
    const res = await gw.gql(
      `query($t: String!) {
        units(filter: { externalId: { scheme: "siret", value: $t } }) { totalCount }
      }`,
      { t: text },
    );
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'filter.externalId.value',
    });
  });

  it('refuses it in the arguments of nested fields and in string literals of the document', async () => {
    const nested = await gw.gql(
      `{ unit(slug: "cabinet-du-prefet-seine-et-marne") { children(after: "a\\u0000") { totalCount } } }`,
    );
    expect(nested.body.errors?.[0]).toMatchObject({
      path: ['unit', 'children'],
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' },
    });
    const before = await state();
    const literal = await gw.gql(
      `mutation { createPerson(input: { slug: "litterale", familyName: "a\\u0007b" }) {
        person { id } userErrors { field code }
      } }`,
      undefined,
      auth,
    );
    expect(literal.body.data).toEqual({
      createPerson: {
        person: null,
        userErrors: [{ field: ['input', 'familyName'], code: 'INVALID_VALUE' }],
      },
    });
    expect(await state()).toBe(before);
  });

  it('stores tricky but valid text as it was given, read back from the API and the table', async () => {
    const text = [
      'Tab\tand line\nand CRLF\r\n',
      'astral 🏛️ 𝔘𝔫𝔦𝔱é 👩🏽‍⚖️',
      'combining e\u0301 vs \u00e9, a\u0308',
      'right to left: العربية עברית \u200f, bidi \u202bembedding\u202c',
      'no-break\u00a0space, zero\u200bwidth, BOM \ufeff',
    ].join(' | ');
    const res = await mutate('updateUnit', { ...version('unit'), description: text });
    expect(res.body.data!.result.userErrors).toEqual([]);
    const read = await gw.gql<{ node: { description: string } }>(
      'query($id: ID!) { node(id: $id) { ... on OrgUnit { description } } }',
      { id: made.unit.id },
    );
    const [row] = await gw.db.query(
      `SELECT description FROM org_unit WHERE slug = 'bureau-des-textes'`,
    );
    for (const back of [read.body.data!.node.description, row.description as string])
      expect(Buffer.from(back, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true);
  });
});
