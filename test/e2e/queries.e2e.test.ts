import { randomUUID } from 'node:crypto';
import { startTestGateway, TestGateway } from '../helpers/gateway';
import { NodeRefetchDocument, PostCardDocument, UnitCardDocument } from '../generated/graphql';
import { NodeType, toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';

/** Slugs of the seeded units, in their seed (and list) order. */
const U = {
  prefecture: 'prefecture-seine-et-marne',
  cabinet: 'cabinet-du-prefet-seine-et-marne',
  direction: 'direction-des-securites-seine-et-marne',
  services: 'services-du-cabinet-seine-et-marne',
  communication: 'bureau-communication-interministerielle-seine-et-marne',
  representation: 'bureau-representation-etat-seine-et-marne',
  onacvg: 'onacvg',
  commission: 'commission-departementale-memoire-seine-et-marne',
};
const ALL_UNITS = Object.values(U);
const PREFET = 'prefet-seine-et-marne';
const DIRECTEUR = 'directeur-cabinet-prefet-seine-et-marne';
const LAVIGNE = 'frederic-lavigne';
const SOURCE = 'pref77-le-cabinet-du-prefet';

/** The global id of a seeded record, from its type and seed key. */
const gid = (type: NodeType, key: string) => toGlobalId(type, seedUuid(type, key));

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

interface Slugs {
  totalCount: number;
  nodes: Array<{ slug: string }>;
}
interface Titles {
  totalCount: number;
  nodes: Array<{ title: string }>;
}
interface GqlError {
  message: string;
  extensions?: Record<string, unknown>;
}

describe('Query root fields and filters on the seeded directory', () => {
  let gw: TestGateway;
  let startedAt: number;
  let readyAt: number;
  beforeAll(async () => {
    startedAt = Date.now();
    gw = await startTestGateway();
    readyAt = Date.now();
  });
  afterAll(() => gw.stop());

  /** Runs an operation that must succeed and returns its data. */
  async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const res = await gw.gql<T>(query, variables);
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(200);
    return res.body.data!;
  }

  /** Runs an operation that must fail and returns its only error. */
  async function failure(query: string, variables?: Record<string, unknown>): Promise<GqlError> {
    const res = await gw.gql(query, variables);
    expect(res.body.errors).toHaveLength(1);
    return res.body.errors![0];
  }

  const slugs = (conn: Slugs) => conn.nodes.map((n) => n.slug);
  const titles = (conn: Titles) => conn.nodes.map((n) => n.title);

  describe('units', () => {
    const UNITS = `query($filter: OrgUnitFilter) {
      units(filter: $filter, first: 100) { totalCount nodes { slug } }
    }`;
    const units = async (filter?: Record<string, unknown>) =>
      (await data<{ units: Slugs }>(UNITS, { filter })).units;

    it('lists every unit by position then name, without a filter', async () => {
      const all = await units();
      expect(slugs(all)).toEqual(ALL_UNITS);
      expect(all.totalCount).toBe(8);
    });

    it.each([
      ['PREFECTURE', [U.prefecture]],
      ['CABINET', [U.cabinet]],
      ['DIRECTORATE', [U.direction]],
      ['SERVICE', [U.services]],
      ['BUREAU', [U.communication, U.representation]],
      ['OFFICE', [U.onacvg]],
      ['COMMISSION', [U.commission]],
    ])('filters by kind %s', async (kind, expected) => {
      const page = await units({ kind });
      expect(slugs(page)).toEqual(expected);
      expect(page.totalCount).toBe(expected.length);
    });

    it.each([
      [U.prefecture, [U.cabinet]],
      [U.cabinet, [U.direction, U.services]],
      [U.services, [U.communication, U.representation]],
      [U.direction, []],
    ])('filters by parentId: the direct children of %s', async (parent, expected) => {
      expect(slugs(await units({ parentId: gid('OrgUnit', parent) }))).toEqual(expected);
    });

    it.each([
      [U.prefecture, [U.cabinet, U.direction, U.services, U.communication, U.representation]],
      [U.cabinet, [U.direction, U.services, U.communication, U.representation]],
      [U.services, [U.communication, U.representation]],
      [U.representation, []],
      [U.onacvg, []],
    ])(
      'filters by ancestorId: the whole subtree under %s, itself excluded',
      async (top, expected) => {
        const page = await units({ ancestorId: gid('OrgUnit', top) });
        expect(slugs(page)).toEqual(expected);
        expect(page.totalCount).toBe(expected.length);
      },
    );

    it.each([
      ['securites', [U.direction]],
      ['SÉCURITÉS', [U.direction]],
      ['Sécurité', [U.direction]],
      ['communication interministerielle', [U.communication]],
      ['bureau representation', [U.representation]],
      ['representa', [U.services, U.representation]],
      ['ONACVG', [U.onacvg, U.commission]],
      ['anciens combattants', [U.onacvg]],
      ['zzzz', []],
    ])('filters by text "%s", accent- and case-insensitive', async (text, expected) => {
      const page = await units({ text });
      expect(slugs(page)).toEqual(expected);
      expect(page.totalCount).toBe(expected.length);
    });

    it('combines filters with AND', async () => {
      const prefecture = gid('OrgUnit', U.prefecture);
      expect(slugs(await units({ ancestorId: prefecture, kind: 'BUREAU' }))).toEqual([
        U.communication,
        U.representation,
      ]);
      expect(
        slugs(await units({ parentId: gid('OrgUnit', U.cabinet), text: 'securites' })),
      ).toEqual([U.direction]);
      expect(slugs(await units({ parentId: gid('OrgUnit', U.cabinet), kind: 'BUREAU' }))).toEqual(
        [],
      );
    });

    it('gives nothing for a well-formed id that names no unit', async () => {
      const unknown = toGlobalId('OrgUnit', randomUUID());
      expect(slugs(await units({ parentId: unknown }))).toEqual([]);
      expect(slugs(await units({ ancestorId: unknown }))).toEqual([]);
    });

    it.each([
      ['parentId', 'not-an-id'],
      ['parentId', gid('Post', DIRECTEUR)],
      ['ancestorId', 'not-an-id'],
      ['ancestorId', gid('Person', LAVIGNE)],
    ])('rejects a %s that is not a unit id (%s) with BAD_USER_INPUT', async (field, value) => {
      const error = await failure(UNITS, { filter: { [field]: value } });
      expect(error.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName: `filter.${field}`,
      });
    });

    it('lists the directorates and the bureaus', async () => {
      const res = await data<{ directorates: Slugs; bureaus: Slugs }>(
        `{ directorates { totalCount nodes { slug kind } } bureaus { totalCount nodes { slug kind } } }`,
      );
      expect(slugs(res.directorates)).toEqual([U.direction]);
      expect(res.directorates.totalCount).toBe(1);
      expect(slugs(res.bureaus)).toEqual([U.communication, U.representation]);
      expect(res.bureaus.totalCount).toBe(2);
    });
  });

  describe('unit', () => {
    it('finds the same unit by slug and by id', async () => {
      const bySlug = await gw.gql(UnitCardDocument, { slug: U.cabinet });
      const cabinet = bySlug.body.data!.unit!;
      expect(cabinet.name).toBe('Cabinet du préfet');
      const byId = await data<{ unit: { slug: string; name: string; id: string } }>(
        `query($id: ID) { unit(id: $id) { id slug name } }`,
        { id: cabinet.id },
      );
      expect(byId.unit).toEqual({ id: cabinet.id, slug: U.cabinet, name: 'Cabinet du préfet' });
    });

    it.each([
      ['an unknown slug', { slug: 'no-such-unit' }],
      ['an unknown id', { id: toGlobalId('OrgUnit', randomUUID()) }],
      ['the id of a post', { id: gid('Post', DIRECTEUR) }],
      ['a malformed id', { id: 'not-an-id' }],
    ])('gives null for %s', async (_what, variables) => {
      const res = await data<{ unit: null }>(
        `query($id: ID, $slug: String) { unit(id: $id, slug: $slug) { id } }`,
        variables,
      );
      expect(res.unit).toBeNull();
    });

    it.each([
      ['neither id nor slug', {}],
      ['both id and slug', { id: gid('OrgUnit', U.cabinet), slug: U.cabinet }],
    ])('rejects %s with BAD_USER_INPUT', async (_what, variables) => {
      const error = await failure(
        `query($id: ID, $slug: String) { unit(id: $id, slug: $slug) { id } }`,
        variables,
      );
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('post and posts', () => {
    it('finds the same post by slug and by id', async () => {
      const bySlug = await gw.gql(PostCardDocument, { slug: DIRECTEUR });
      const post = bySlug.body.data!.post!;
      expect(post.id).toBe(gid('Post', DIRECTEUR));
      const byId = await data<{ post: { slug: string; title: string } }>(
        `query($id: ID) { post(id: $id) { slug title } }`,
        { id: post.id },
      );
      expect(byId.post).toEqual({ slug: DIRECTEUR, title: 'Directeur de cabinet du préfet' });
    });

    it('gives null for an unknown slug, an unknown id and the id of a unit', async () => {
      const res = await data<Record<string, null>>(
        `query($unknown: ID, $unit: ID) {
          a: post(slug: "no-such-post") { id }
          b: post(id: $unknown) { id }
          c: post(id: $unit) { id }
        }`,
        { unknown: toGlobalId('Post', randomUUID()), unit: gid('OrgUnit', U.cabinet) },
      );
      expect(res).toEqual({ a: null, b: null, c: null });
    });

    it('rejects both id and slug with BAD_USER_INPUT', async () => {
      const error = await failure(`query($id: ID) { post(id: $id, slug: "x") { id } }`, {
        id: gid('Post', DIRECTEUR),
      });
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    });

    const POSTS = `query($filter: PostFilter) { posts(filter: $filter) { totalCount nodes { slug } } }`;
    const posts = async (filter?: Record<string, unknown>) =>
      (await data<{ posts: Slugs }>(POSTS, { filter })).posts;

    it('lists every post by title', async () => {
      expect(slugs(await posts())).toEqual([DIRECTEUR, PREFET]);
    });

    it.each([
      ['unitId of the cabinet', { unitId: gid('OrgUnit', U.cabinet) }, [DIRECTEUR]],
      ['unitId of the prefecture', { unitId: gid('OrgUnit', U.prefecture) }, [PREFET]],
      ['unitId of a bureau', { unitId: gid('OrgUnit', U.communication) }, []],
      ['isHead: true', { isHead: true }, [DIRECTEUR, PREFET]],
      ['isHead: false', { isHead: false }, []],
      ['text "directeur"', { text: 'directeur' }, [DIRECTEUR]],
      ['text "prefete" (stem of préfet)', { text: 'prefete' }, [DIRECTEUR, PREFET]],
      [
        'text "prefete" and the prefecture',
        { text: 'prefete', unitId: gid('OrgUnit', U.prefecture) },
        [PREFET],
      ],
      ['text "ressources humaines"', { text: 'ressources humaines' }, [DIRECTEUR]],
    ])('filters by %s', async (_what, filter, expected) => {
      const page = await posts(filter);
      expect(slugs(page)).toEqual(expected);
      expect(page.totalCount).toBe(expected.length);
    });

    it('rejects a unitId that is not a unit id with BAD_USER_INPUT', async () => {
      const error = await failure(POSTS, { filter: { unitId: gid('Post', PREFET) } });
      expect(error.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName: 'filter.unitId',
      });
    });
  });

  describe('person and people', () => {
    it('finds a person by id', async () => {
      const res = await data<{ person: Record<string, unknown> }>(
        `query($id: ID!) { person(id: $id) { id slug givenName familyName displayName grade } }`,
        { id: gid('Person', LAVIGNE) },
      );
      expect(res.person).toEqual({
        id: gid('Person', LAVIGNE),
        slug: LAVIGNE,
        givenName: 'Frédéric',
        familyName: 'Lavigne',
        displayName: 'Frédéric Lavigne',
        grade: 'sous-préfet',
      });
    });

    it('gives null for an unknown id and for the id of a post', async () => {
      const res = await data<Record<string, null>>(
        `query($a: ID!, $b: ID!) { a: person(id: $a) { id } b: person(id: $b) { id } }`,
        { a: toGlobalId('Person', randomUUID()), b: gid('Post', DIRECTEUR) },
      );
      expect(res).toEqual({ a: null, b: null });
    });

    const PEOPLE = `query($filter: PersonFilter) { people(filter: $filter) { totalCount nodes { slug } } }`;

    it.each([
      ['no filter', undefined, [LAVIGNE]],
      ['text "lavigne"', { text: 'lavigne' }, [LAVIGNE]],
      ['text "FREDERIC" (accent-insensitive)', { text: 'FREDERIC' }, [LAVIGNE]],
      ['text "sous prefet" (the grade)', { text: 'sous prefet' }, [LAVIGNE]],
      ['text "dupont"', { text: 'dupont' }, []],
      ['grade "sous-préfet"', { grade: 'sous-préfet' }, [LAVIGNE]],
      ['grade "préfet" (exact match only)', { grade: 'préfet' }, []],
      ['grade and text', { grade: 'sous-préfet', text: 'lavigne' }, [LAVIGNE]],
    ])('filters by %s', async (_what, filter, expected) => {
      const res = await data<{ people: Slugs }>(PEOPLE, { filter });
      expect(slugs(res.people)).toEqual(expected);
      expect(res.people.totalCount).toBe(expected.length);
    });
  });

  describe('mission and missions', () => {
    it('finds a mission by id, with its owner, carrier and responsibilities', async () => {
      const res = await data<{ mission: Record<string, unknown> }>(
        `query($id: ID!) { mission(id: $id) {
          id slug title position
          owner { __typename ... on OrgUnit { slug } ... on Post { slug } }
          carriedOutBy { slug }
          responsibilities { slug }
        } }`,
        { id: gid('Mission', 'cabinet-77-securite-biens-personnes') },
      );
      expect(res.mission).toEqual({
        id: gid('Mission', 'cabinet-77-securite-biens-personnes'),
        slug: 'cabinet-77-securite-biens-personnes',
        title: 'Garantir la sécurité des biens et des personnes dans le département',
        position: 2,
        owner: { __typename: 'OrgUnit', slug: U.cabinet },
        carriedOutBy: { slug: U.direction },
        responsibilities: [],
      });
    });

    it('gives null for an unknown id and for the id of a responsibility', async () => {
      const res = await data<Record<string, null>>(
        `query($a: ID!, $b: ID!) { a: mission(id: $a) { id } b: mission(id: $b) { id } }`,
        {
          a: toGlobalId('Mission', randomUUID()),
          b: gid('Responsibility', 'directeur-cabinet-77-plan-orsec'),
        },
      );
      expect(res).toEqual({ a: null, b: null });
    });

    const MISSIONS = `query($filter: MissionFilter) {
      missions(filter: $filter, first: 100) { totalCount nodes { slug } }
    }`;

    it.each([
      [
        'no filter',
        undefined,
        [
          'directeur-cabinet-77-missions-traditionnelles',
          'directeur-cabinet-77-securite-personnes-biens',
          'cabinet-77-securite-biens-personnes',
          'cabinet-77-representation-communication-etat',
          'bureau-communication-77-valoriser-action-etat',
          'onacvg-77-concours-cabinet',
        ],
      ],
      [
        'ownerId of a unit (the cabinet)',
        { ownerId: gid('OrgUnit', U.cabinet) },
        ['cabinet-77-securite-biens-personnes', 'cabinet-77-representation-communication-etat'],
      ],
      [
        'ownerId of a post (the directeur de cabinet)',
        { ownerId: gid('Post', DIRECTEUR) },
        [
          'directeur-cabinet-77-missions-traditionnelles',
          'directeur-cabinet-77-securite-personnes-biens',
        ],
      ],
      ['ownerId of a post without missions', { ownerId: gid('Post', PREFET) }, []],
      [
        'carriedOutById of the Direction des sécurités',
        { carriedOutById: gid('OrgUnit', U.direction) },
        ['cabinet-77-securite-biens-personnes'],
      ],
      [
        'carriedOutById of the services du cabinet',
        { carriedOutById: gid('OrgUnit', U.services) },
        ['cabinet-77-representation-communication-etat'],
      ],
      [
        'text "evenements politiques"',
        { text: 'evenements politiques' },
        ['directeur-cabinet-77-missions-traditionnelles'],
      ],
      [
        'text "ceremonies patriotiques"',
        { text: 'ceremonies patriotiques' },
        ['onacvg-77-concours-cabinet'],
      ],
      [
        'ownerId and text',
        { ownerId: gid('OrgUnit', U.cabinet), text: 'representation' },
        ['cabinet-77-representation-communication-etat'],
      ],
    ])('filters by %s', async (_what, filter, expected) => {
      const res = await data<{ missions: Slugs }>(MISSIONS, { filter });
      expect(slugs(res.missions)).toEqual(expected);
      expect(res.missions.totalCount).toBe(expected.length);
    });

    it.each([
      ['ownerId', gid('Person', LAVIGNE)],
      ['ownerId', 'not-an-id'],
      ['carriedOutById', gid('Post', DIRECTEUR)],
    ])('rejects a %s of the wrong type (%s) with BAD_USER_INPUT', async (field, value) => {
      const error = await failure(MISSIONS, { filter: { [field]: value } });
      expect(error.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName: `filter.${field}`,
      });
    });
  });

  describe('responsibility and responsibilities', () => {
    it('finds a responsibility by id, with its reference, mission and owner', async () => {
      const res = await data<{ responsibility: Record<string, unknown> }>(
        `query($id: ID!) { responsibility(id: $id) {
          slug title reference
          mission { slug }
          owner { __typename ... on Post { slug } ... on OrgUnit { slug } }
        } }`,
        { id: gid('Responsibility', 'directeur-cabinet-77-plan-orsec') },
      );
      expect(res.responsibility).toEqual({
        slug: 'directeur-cabinet-77-plan-orsec',
        title: 'Plan « organisation de la réponse de sécurité civile »',
        reference: 'ORSEC',
        mission: { slug: 'directeur-cabinet-77-securite-personnes-biens' },
        owner: { __typename: 'Post', slug: DIRECTEUR },
      });
    });

    it('gives null for an unknown id and for the id of a mission', async () => {
      const res = await data<Record<string, null>>(
        `query($a: ID!, $b: ID!) { a: responsibility(id: $a) { id } b: responsibility(id: $b) { id } }`,
        {
          a: toGlobalId('Responsibility', randomUUID()),
          b: gid('Mission', 'onacvg-77-concours-cabinet'),
        },
      );
      expect(res).toEqual({ a: null, b: null });
    });

    const RESPONSIBILITIES = `query($filter: ResponsibilityFilter) {
      responsibilities(filter: $filter, first: 100) { totalCount nodes { title } }
    }`;

    it.each([
      [
        'ownerId of a unit that holds them directly',
        { ownerId: gid('OrgUnit', U.direction) },
        [
          'La défense et la protection civile',
          'La sécurité',
          "L'ordre public et la radicalisation",
          'La sécurité routière',
          'La réglementation en matière de sécurité',
        ],
      ],
      [
        'ownerId of a unit that holds them through its mission',
        { ownerId: gid('OrgUnit', U.onacvg) },
        [
          'Promotion de la mémoire',
          'Préparation des cérémonies patriotiques',
          'Actions éducatives',
        ],
      ],
      [
        'ownerId of a post, through its missions (in any order: ties of position sort by collation)',
        { ownerId: gid('Post', DIRECTEUR) },
        [
          'Lutte contre les violences urbaines et scolaires',
          'Suivi des événements politiques',
          'Élaboration des plans de secours',
          'Relations publiques dans le département',
          'Plan « organisation de la réponse de sécurité civile »',
          "Plans particuliers d'intervention sur les sites SEVESO seuil haut",
          'Sécurité lors des manifestations exceptionnelles',
          'Sécurité routière',
        ],
      ],
      [
        'missionId',
        { missionId: gid('Mission', 'bureau-communication-77-valoriser-action-etat') },
        [
          'Communication institutionnelle',
          'Communication évènementielle',
          'Communication de crise',
        ],
      ],
      [
        'reference "ORSEC"',
        { reference: 'ORSEC' },
        ['Plan « organisation de la réponse de sécurité civile »'],
      ],
      ['reference "orsec" (exact match only)', { reference: 'orsec' }, []],
      [
        'text "securite routiere"',
        { text: 'securite routiere' },
        ['La sécurité routière', 'Sécurité routière'],
      ],
      [
        'text "tour de france"',
        { text: 'tour de france' },
        ['Sécurité lors des manifestations exceptionnelles'],
      ],
      [
        'text "PPI" (the reference is searched too)',
        { text: 'PPI' },
        [
          'Élaboration des plans de secours',
          "Plans particuliers d'intervention sur les sites SEVESO seuil haut",
        ],
      ],
      [
        'ownerId and reference',
        { ownerId: gid('Post', DIRECTEUR), reference: 'PDASR' },
        ['Sécurité routière'],
      ],
      [
        'ownerId and text',
        { ownerId: gid('OrgUnit', U.direction), text: 'securite routiere' },
        ['La sécurité routière'],
      ],
    ])('filters by %s', async (what, filter, expected) => {
      const res = await data<{ responsibilities: Titles }>(RESPONSIBILITIES, { filter });
      const found = titles(res.responsibilities);
      if (what.includes('in any order')) expect([...found].sort()).toEqual([...expected].sort());
      else expect(found).toEqual(expected);
      expect(res.responsibilities.totalCount).toBe(expected.length);
    });

    it('lists all 23 responsibilities without a filter', async () => {
      const res = await data<{ responsibilities: Titles }>(RESPONSIBILITIES, {});
      expect(res.responsibilities.totalCount).toBe(23);
      expect(res.responsibilities.nodes).toHaveLength(23);
    });

    it('rejects a missionId that is not a mission id with BAD_USER_INPUT', async () => {
      const error = await failure(RESPONSIBILITIES, {
        filter: { missionId: gid('OrgUnit', U.cabinet) },
      });
      expect(error.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName: 'filter.missionId',
      });
    });
  });

  describe('node and nodes', () => {
    /** One id of every Node type, found through the API rather than computed. */
    async function oneIdOfEachType(): Promise<Record<string, string>> {
      const res = await data<{
        post: {
          id: string;
          unit: { id: string };
          holder: { id: string };
          appointments: Array<{ id: string }>;
          missions: Array<{ id: string; responsibilities: Array<{ id: string }> }>;
          relations: Array<{ id: string }>;
          sources: Array<{ id: string }>;
        };
      }>(
        `query($slug: String!) { post(slug: $slug) {
          id unit { id } holder { id } appointments { id }
          missions { id responsibilities { id } } relations { id } sources { id }
        } }`,
        { slug: DIRECTEUR },
      );
      const p = res.post;
      return {
        OrgUnit: p.unit.id,
        Post: p.id,
        Person: p.holder.id,
        Appointment: p.appointments[0].id,
        Mission: p.missions[0].id,
        Responsibility: p.missions[0].responsibilities[0].id,
        Relation: p.relations[0].id,
        Source: p.sources[0].id,
      };
    }

    const NODE = `query($id: ID!) { node(id: $id) {
      __typename id version createdAt updatedAt
      ... on Appointment { note person { slug } post { slug } }
      ... on Relation { slug type }
      ... on Source { slug title }
      ... on OrgUnit { slug }
      ... on Post { slug }
      ... on Person { slug }
      ... on Mission { slug }
      ... on Responsibility { slug }
    } }`;

    it.each([
      'OrgUnit',
      'Post',
      'Person',
      'Appointment',
      'Mission',
      'Responsibility',
      'Relation',
      'Source',
    ])('refetches a %s by its id', async (type) => {
      const ids = await oneIdOfEachType();
      const res = await data<{ node: { __typename: string; id: string; version: number } }>(NODE, {
        id: ids[type],
      });
      expect(res.node).toMatchObject({ __typename: type, id: ids[type], version: 1 });
    });

    it('refetches an appointment, a relation and a source with their own fields', async () => {
      const ids = await oneIdOfEachType();
      const node = async (id: string) => (await data<{ node: unknown }>(NODE, { id })).node;
      expect(await node(ids.Appointment)).toMatchObject({
        person: { slug: LAVIGNE },
        post: { slug: DIRECTEUR },
        note: expect.stringContaining('Frédéric Lavigne, sous-préfet'),
      });
      expect(await node(ids.Relation)).toMatchObject({
        slug: 'cabinet-77-sous-autorite-directeur-cabinet',
        type: 'UNDER_AUTHORITY_OF',
      });
      expect(await node(ids.Source)).toMatchObject({ slug: SOURCE, title: 'Le cabinet du préfet' });
    });

    it('agrees with the typed NodeRefetch operation', async () => {
      const res = await gw.gql(NodeRefetchDocument, { id: gid('OrgUnit', U.direction) });
      expect(res.body.data!.node).toMatchObject({
        __typename: 'OrgUnit',
        slug: U.direction,
        name: 'Direction des sécurités',
      });
    });

    it.each([
      ['an unknown id of a known type', toGlobalId('OrgUnit', randomUUID())],
      [
        'the uuid of a unit under the type Post',
        toGlobalId('Post', seedUuid('OrgUnit', U.cabinet)),
      ],
      ['a malformed id', 'not-an-id'],
      ['an empty id', ''],
      ['an id of an unknown type', Buffer.from(`Building:${randomUUID()}`).toString('base64url')],
    ])('gives null for %s', async (_what, id) => {
      const res = await data<{ node: null }>(`query($id: ID!) { node(id: $id) { id } }`, { id });
      expect(res.node).toBeNull();
    });

    it('refetches several records in the order asked, with null for unknown and malformed ids', async () => {
      const ids = await oneIdOfEachType();
      const types = Object.keys(ids).reverse();
      const asked = [
        ...types.map((t) => ids[t]),
        toGlobalId('Mission', randomUUID()),
        'garbage!',
        ids.OrgUnit,
      ];
      const res = await data<{ nodes: Array<{ __typename: string; id: string } | null> }>(
        `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`,
        { ids: asked },
      );
      expect(res.nodes).toEqual([
        ...types.map((t) => ({ __typename: t, id: ids[t] })),
        null,
        null,
        { __typename: 'OrgUnit', id: ids.OrgUnit },
      ]);
    });

    it('gives an empty list for no ids, and rejects more than 100 ids', async () => {
      const empty = await data<{ nodes: unknown[] }>(`{ nodes(ids: []) { id } }`);
      expect(empty.nodes).toEqual([]);
      const error = await failure(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
        ids: Array.from({ length: 101 }, () => gid('OrgUnit', U.cabinet)),
      });
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'ids' });
    });
  });

  describe('the tree of units', () => {
    const TREE = `query($slug: String!, $kind: OrgUnitKind, $maxDepth: Int) { unit(slug: $slug) {
      depth childCount hasChildren
      ancestors { slug }
      children(kind: $kind) { totalCount nodes { slug } }
      descendants(kind: $kind, maxDepth: $maxDepth) { slug }
    } }`;
    interface Tree {
      unit: {
        depth: number;
        childCount: number;
        hasChildren: boolean;
        ancestors: Array<{ slug: string }>;
        children: Slugs;
        descendants: Array<{ slug: string }>;
      };
    }
    const tree = async (slug: string, args: Record<string, unknown> = {}) =>
      (await data<Tree>(TREE, { slug, ...args })).unit;

    it.each([
      [U.prefecture, 0, [], 1],
      [U.cabinet, 1, [U.prefecture], 2],
      [U.direction, 2, [U.prefecture, U.cabinet], 0],
      [U.services, 2, [U.prefecture, U.cabinet], 2],
      [U.communication, 3, [U.prefecture, U.cabinet, U.services], 0],
      [U.onacvg, 0, [], 0],
    ])(
      'places %s at depth %i, ancestors root-first, with its child count',
      async (slug, depth, ancestors, count) => {
        const unit = await tree(slug);
        expect(unit.depth).toBe(depth);
        expect(unit.ancestors.map((a) => a.slug)).toEqual(ancestors);
        expect(unit.childCount).toBe(count);
        expect(unit.hasChildren).toBe(count > 0);
        expect(unit.children.totalCount).toBe(count);
      },
    );

    it('gives the ancestors of several units in one request, each root-first', async () => {
      const res = await data<{
        units: { nodes: Array<{ slug: string; ancestors: Array<{ slug: string }> }> };
      }>(`{ units(first: 100) { nodes { slug ancestors { slug } } } }`);
      const bySlug = Object.fromEntries(
        res.units.nodes.map((u) => [u.slug, u.ancestors.map((a) => a.slug)]),
      );
      expect(bySlug).toEqual({
        [U.prefecture]: [],
        [U.cabinet]: [U.prefecture],
        [U.direction]: [U.prefecture, U.cabinet],
        [U.services]: [U.prefecture, U.cabinet],
        [U.communication]: [U.prefecture, U.cabinet, U.services],
        [U.representation]: [U.prefecture, U.cabinet, U.services],
        [U.onacvg]: [],
        [U.commission]: [],
      });
    });

    it('gives the children by position, and only those of a kind when asked', async () => {
      expect(slugs((await tree(U.cabinet)).children)).toEqual([U.direction, U.services]);
      const directorates = (await tree(U.cabinet, { kind: 'DIRECTORATE' })).children;
      expect(slugs(directorates)).toEqual([U.direction]);
      expect(directorates.totalCount).toBe(1);
      expect(slugs((await tree(U.cabinet, { kind: 'BUREAU' })).children)).toEqual([]);
      expect(slugs((await tree(U.services, { kind: 'BUREAU' })).children)).toEqual([
        U.communication,
        U.representation,
      ]);
    });

    it('gives the descendants depth-first, to a depth and of a kind', async () => {
      const all = [U.cabinet, U.direction, U.services, U.communication, U.representation];
      const names = async (args: Record<string, unknown>) =>
        (await tree(U.prefecture, args)).descendants.map((d) => d.slug);
      expect(await names({})).toEqual(all);
      expect(await names({ maxDepth: 1 })).toEqual([U.cabinet]);
      expect(await names({ maxDepth: 2 })).toEqual([U.cabinet, U.direction, U.services]);
      expect(await names({ maxDepth: 3 })).toEqual(all);
      expect(await names({ kind: 'BUREAU' })).toEqual([U.communication, U.representation]);
      expect(await names({ kind: 'BUREAU', maxDepth: 2 })).toEqual([]);
      expect((await tree(U.direction)).descendants).toEqual([]);
    });

    it.each([0, -1, 21])(
      'rejects descendants(maxDepth: %i) with BAD_USER_INPUT',
      async (maxDepth) => {
        const error = await failure(
          `query($m: Int) { unit(slug: "${U.prefecture}") { descendants(maxDepth: $m) { slug } } }`,
          { m: maxDepth },
        );
        expect(error.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argumentName: 'maxDepth',
        });
      },
    );
  });

  describe('posts, holders and appointments', () => {
    const HOLDER = `query($slug: String!, $at: LocalDate) { post(slug: $slug) {
      holder(at: $at) { slug displayName }
      holderStatus(at: $at)
      appointments { startDate endDate isCurrent(at: $at) person { slug } post { slug } }
    } }`;
    interface Holder {
      post: {
        holder: { slug: string; displayName: string } | null;
        holderStatus: string;
        appointments: Array<{
          startDate: string | null;
          endDate: string | null;
          isCurrent: boolean;
          person: { slug: string } | null;
          post: { slug: string };
        }>;
      };
    }

    it.each([undefined, '1900-01-01', '2022-12-05', '2100-12-31'])(
      'names Frédéric Lavigne as directeur de cabinet on any date (%s): his appointment has no dates',
      async (at) => {
        const { post } = await data<Holder>(HOLDER, { slug: DIRECTEUR, at });
        expect(post.holder).toEqual({ slug: LAVIGNE, displayName: 'Frédéric Lavigne' });
        expect(post.holderStatus).toBe('HELD');
        expect(post.appointments).toEqual([
          {
            startDate: null,
            endDate: null,
            isCurrent: true,
            person: { slug: LAVIGNE },
            post: { slug: DIRECTEUR },
          },
        ]);
      },
    );

    it.each([undefined, '1900-01-01', '2100-12-31'])(
      'has the préfet post held by someone unnamed on any date (%s)',
      async (at) => {
        const { post } = await data<Holder>(HOLDER, { slug: PREFET, at });
        expect(post.holder).toBeNull();
        expect(post.holderStatus).toBe('HELD_BY_UNKNOWN');
        expect(post.appointments).toEqual([
          {
            startDate: null,
            endDate: null,
            isCurrent: true,
            person: null,
            post: { slug: PREFET },
          },
        ]);
      },
    );

    it('rejects a date that is not YYYY-MM-DD', async () => {
      const res = await gw.gql(HOLDER, { slug: DIRECTEUR, at: '05/12/2022' });
      expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it.each([undefined, '1900-01-01', '2100-12-31'])(
      'gives the posts Frédéric Lavigne holds (%s), and his appointments',
      async (at) => {
        const res = await data<{
          person: {
            posts: Array<{ slug: string }>;
            appointments: Array<{ post: { slug: string } }>;
          };
        }>(
          `query($id: ID!, $at: LocalDate) { person(id: $id) {
            posts(at: $at) { slug } appointments { post { slug } }
          } }`,
          { id: gid('Person', LAVIGNE), at },
        );
        expect(res.person.posts).toEqual([{ slug: DIRECTEUR }]);
        expect(res.person.appointments).toEqual([{ post: { slug: DIRECTEUR } }]);
      },
    );
  });

  describe('owners, missions and relations', () => {
    it('gives a mission its owner as a Post or an OrgUnit', async () => {
      const res = await data<{
        missions: { nodes: Array<{ slug: string; owner: Record<string, string> }> };
      }>(
        `{ missions(first: 100) { nodes { slug owner {
          __typename ... on Post { title } ... on OrgUnit { name }
        } } } }`,
      );
      const owners = Object.fromEntries(res.missions.nodes.map((m) => [m.slug, m.owner]));
      expect(owners).toEqual({
        'directeur-cabinet-77-missions-traditionnelles': {
          __typename: 'Post',
          title: 'Directeur de cabinet du préfet',
        },
        'directeur-cabinet-77-securite-personnes-biens': {
          __typename: 'Post',
          title: 'Directeur de cabinet du préfet',
        },
        'cabinet-77-securite-biens-personnes': { __typename: 'OrgUnit', name: 'Cabinet du préfet' },
        'cabinet-77-representation-communication-etat': {
          __typename: 'OrgUnit',
          name: 'Cabinet du préfet',
        },
        'bureau-communication-77-valoriser-action-etat': {
          __typename: 'OrgUnit',
          name: 'Bureau de la communication interministérielle',
        },
        'onacvg-77-concours-cabinet': {
          __typename: 'OrgUnit',
          name: 'Office national des anciens combattants et des victimes de guerre',
        },
      });
    });

    it('gives a responsibility its owner (the mission’s when it has one) and its mission', async () => {
      const res = await data<{
        responsibilities: {
          nodes: Array<{
            slug: string;
            owner: { __typename: string; slug: string };
            mission: { slug: string } | null;
          }>;
        };
      }>(
        `{ responsibilities(first: 100) { nodes {
          slug mission { slug }
          owner { __typename ... on Post { slug } ... on OrgUnit { slug } }
        } } }`,
      );
      const bySlug = new Map(res.responsibilities.nodes.map((r) => [r.slug, r]));
      expect(bySlug.get('directeur-cabinet-77-securite-routiere')).toEqual({
        slug: 'directeur-cabinet-77-securite-routiere',
        owner: { __typename: 'Post', slug: DIRECTEUR },
        mission: { slug: 'directeur-cabinet-77-securite-personnes-biens' },
      });
      expect(bySlug.get('onacvg-77-actions-educatives')).toEqual({
        slug: 'onacvg-77-actions-educatives',
        owner: { __typename: 'OrgUnit', slug: U.onacvg },
        mission: { slug: 'onacvg-77-concours-cabinet' },
      });
      expect(bySlug.get('direction-securites-77-securite-routiere')).toEqual({
        slug: 'direction-securites-77-securite-routiere',
        owner: { __typename: 'OrgUnit', slug: U.direction },
        mission: null,
      });
      const counts = { Post: 0, OrgUnit: 0, withMission: 0 };
      for (const r of res.responsibilities.nodes) {
        counts[r.owner.__typename as 'Post' | 'OrgUnit'] += 1;
        if (r.mission) counts.withMission += 1;
      }
      expect(counts).toEqual({ Post: 8, OrgUnit: 15, withMission: 14 });
    });

    it('gives the relations pointing to a post, with their from and to ends', async () => {
      const res = await data<{
        post: {
          relations: Array<{
            slug: string;
            type: string;
            from: { slug: string };
            to: { __typename: string; slug: string };
          }>;
        };
      }>(
        `query($slug: String!) { post(slug: $slug) { relations {
          slug type from { slug } to { __typename ... on Post { slug } ... on OrgUnit { slug } }
        } } }`,
        { slug: DIRECTEUR },
      );
      const to = { __typename: 'Post', slug: DIRECTEUR };
      expect(res.post.relations).toEqual([
        {
          slug: 'cabinet-77-sous-autorite-directeur-cabinet',
          type: 'UNDER_AUTHORITY_OF',
          from: { slug: U.cabinet },
          to,
        },
        {
          slug: 'direction-securites-77-sous-autorite-directeur-cabinet',
          type: 'UNDER_AUTHORITY_OF',
          from: { slug: U.direction },
          to,
        },
        {
          slug: 'services-cabinet-77-sous-autorite-directeur-cabinet',
          type: 'UNDER_AUTHORITY_OF',
          from: { slug: U.services },
          to,
        },
      ]);
      const prefet = await data<{ post: { relations: unknown[] } }>(
        `{ post(slug: "${PREFET}") { relations { slug } } }`,
      );
      expect(prefet.post.relations).toEqual([]);
    });

    it('gives a relation to a unit its OrgUnit end', async () => {
      const res = await data<{
        node: { from: { slug: string }; to: { __typename: string; slug: string }; type: string };
      }>(
        `query($id: ID!) { node(id: $id) { ... on Relation {
          type from { slug } to { __typename ... on OrgUnit { slug } ... on Post { slug } }
        } } }`,
        { id: gid('Relation', 'onacvg-77-concours-cabinet') },
      );
      expect(res.node).toEqual({
        type: 'SUPPORTS',
        from: { slug: U.onacvg },
        to: { __typename: 'OrgUnit', slug: U.cabinet },
      });
    });
  });

  describe('sources, timestamps and versions', () => {
    const RECORD_FIELDS = 'id createdAt updatedAt version';
    const SOURCES = `sources { slug title publisher url sourceDate }`;
    const EXPECTED_SOURCES = [
      {
        slug: SOURCE,
        title: 'Le cabinet du préfet',
        publisher: 'Préfecture de Seine-et-Marne',
        url: null,
        sourceDate: '2022-12-05',
      },
    ];

    interface RecordFields {
      id: string;
      createdAt: string;
      updatedAt: string;
      version: number;
      sources?: unknown;
    }

    /** Every seeded record of every type, with its sources (Source itself has none). */
    async function everyRecord(): Promise<Record<string, RecordFields[]>> {
      const res = await data<{
        units: { nodes: RecordFields[] };
        posts: {
          nodes: Array<RecordFields & { appointments: RecordFields[]; relations: RecordFields[] }>;
        };
        people: { nodes: RecordFields[] };
        missions: { nodes: RecordFields[] };
        responsibilities: { nodes: RecordFields[] };
        node: RecordFields;
        onacvg: { relations: Array<{ relation: RecordFields }> };
      }>(
        `query($source: ID!) {
          units(first: 100) { nodes { ${RECORD_FIELDS} ${SOURCES} } }
          posts(first: 100) { nodes {
            ${RECORD_FIELDS} ${SOURCES}
            appointments { ${RECORD_FIELDS} ${SOURCES} }
            relations { ${RECORD_FIELDS} ${SOURCES} }
          } }
          people(first: 100) { nodes { ${RECORD_FIELDS} ${SOURCES} } }
          missions(first: 100) { nodes { ${RECORD_FIELDS} ${SOURCES} } }
          responsibilities(first: 100) { nodes { ${RECORD_FIELDS} ${SOURCES} } }
          onacvg: unit(slug: "onacvg") { relations { relation { ${RECORD_FIELDS} ${SOURCES} } } }
          node(id: $source) { ${RECORD_FIELDS} }
        }`,
        { source: gid('Source', SOURCE) },
      );
      return {
        OrgUnit: res.units.nodes,
        Post: res.posts.nodes.map(({ appointments: _a, relations: _r, ...post }) => post),
        Appointment: res.posts.nodes.flatMap((p) => p.appointments),
        Relation: [
          ...res.posts.nodes.flatMap((p) => p.relations),
          ...res.onacvg.relations.map((r) => r.relation),
        ],
        Person: res.people.nodes,
        Mission: res.missions.nodes,
        Responsibility: res.responsibilities.nodes,
        Source: [res.node],
      };
    }

    it('finds every seeded record', async () => {
      const records = await everyRecord();
      expect(
        Object.fromEntries(Object.entries(records).map(([t, list]) => [t, list.length])),
      ).toEqual({
        OrgUnit: 8,
        Post: 2,
        Appointment: 2,
        Relation: 4,
        Person: 1,
        Mission: 6,
        Responsibility: 23,
        Source: 1,
      });
    });

    it('cites the source page on every record of every type', async () => {
      const records = await everyRecord();
      for (const [type, list] of Object.entries(records)) {
        if (type === 'Source') continue;
        for (const record of list) {
          expect({ type, id: record.id, sources: record.sources }).toEqual({
            type,
            id: record.id,
            sources: EXPECTED_SOURCES,
          });
        }
      }
    });

    it('gives every seeded record ISO date-times, set when seeded, and version 1', async () => {
      const records = await everyRecord();
      // Note: SQLite keeps whole seconds, and the bounds allow for a clock skew of a minute
      // between the database and the test: what they catch is a shift by a time zone.
      const from = startedAt - 60_000;
      const to = readyAt + 60_000;
      for (const [type, list] of Object.entries(records)) {
        for (const r of list) {
          const what = `${type} ${r.id}`;
          expect([what, r.createdAt]).toEqual([what, expect.stringMatching(ISO_DATE_TIME)]);
          expect([what, r.updatedAt]).toEqual([what, expect.stringMatching(ISO_DATE_TIME)]);
          expect([what, r.version]).toEqual([what, 1]);
          const created = Date.parse(r.createdAt);
          const updated = Date.parse(r.updatedAt);
          expect(created).toBeGreaterThanOrEqual(from);
          expect(created).toBeLessThanOrEqual(to);
          expect(updated).toBeGreaterThanOrEqual(created);
          expect(updated).toBeLessThanOrEqual(to);
        }
      }
    });
  });
});
