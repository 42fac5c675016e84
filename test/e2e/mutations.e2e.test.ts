import { startTestGateway, TestGateway } from '../helpers/gateway';
import { databaseFingerprint } from '../helpers/snapshot';
import { fromGlobalId, NodeType, toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';
import { ChangeEntry } from '../../src/modules/changelog/change-entry.entity';

/** The record field of each mutation's payload. */
const RECORD_FIELD: Record<string, string> = {
  createUnit: 'unit',
  archiveUnit: 'unit',
  createPost: 'post',
  updatePost: 'post',
  archivePost: 'post',
  restorePost: 'post',
  createPerson: 'person',
  updatePerson: 'person',
  appoint: 'appointment',
  endAppointment: 'appointment',
  createMission: 'mission',
  updateMission: 'mission',
  deleteMission: 'mission',
  createResponsibility: 'responsibility',
  updateResponsibility: 'responsibility',
  deleteResponsibility: 'responsibility',
  createRelation: 'relation',
  updateRelation: 'relation',
  deleteRelation: 'relation',
};

interface UserError {
  field: string[];
  message: string;
  code: string;
}

/** The fields every test reads from a record; the others are picked per test. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Rec = { id: string; version: number } & Record<string, any>;

/** The global id of a seeded record. */
const seeded = (type: NodeType, slug: string) => toGlobalId(type, seedUuid(type, slug));

const PREFECTURE = seeded('OrgUnit', 'prefecture-seine-et-marne');
const CABINET = seeded('OrgUnit', 'cabinet-du-prefet-seine-et-marne');
const BUREAU = seeded('OrgUnit', 'bureau-representation-etat-seine-et-marne');
const PREFET = seeded('Post', 'prefet-seine-et-marne');
const DIRCAB = seeded('Post', 'directeur-cabinet-prefet-seine-et-marne');
const LAVIGNE = seeded('Person', 'frederic-lavigne');

/**
 * Every editor write of posts, people, appointments, missions, responsibilities and relations,
 * on a real server: the payload shows the new state, the change log names the key, and every
 * refused write leaves the directory and the log as they were.
 */
describe('mutations of posts, people, appointments, missions, responsibilities and relations', () => {
  let gw: TestGateway;
  let auth: Record<string, string>;
  let actor: string;
  beforeAll(async () => {
    gw = await startTestGateway();
    const { key, record } = await gw.auth.keys.create('test editor', Role.EDITOR);
    auth = { authorization: `Bearer ${key}` };
    actor = `key:${record.id}`;
  });
  afterAll(() => gw.stop());

  /** Runs a mutation as the editor; fails the test on any GraphQL error. */
  async function mutate(
    mutation: string,
    input: Record<string, unknown>,
    selection = 'id version',
  ): Promise<{ record: Rec | null; userErrors: UserError[] }> {
    const inputType = `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`;
    const res = await gw.gql<{ result: { record: Rec | null; userErrors: UserError[] } }>(
      `mutation Run($input: ${inputType}!) {
        result: ${mutation}(input: $input) {
          record: ${RECORD_FIELD[mutation]} { ${selection} }
          userErrors { field message code }
        }
      }`,
      { input },
      auth,
    );
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.result;
  }

  /** Runs a mutation that must succeed and returns its record. */
  async function applied(
    mutation: string,
    input: Record<string, unknown>,
    selection?: string,
  ): Promise<Rec> {
    const { record, userErrors } = await mutate(mutation, input, selection);
    expect(userErrors).toEqual([]);
    expect(record).not.toBeNull();
    return record!;
  }

  /** A bureau under the Cabinet for one test's posts, which no other test counts. */
  const testBureau = (slug: string, name: string) =>
    applied('createUnit', { slug, name, kind: 'BUREAU', parentId: CABINET });

  /** Runs a mutation that must be refused with `code` on `input.<field>`, writing nothing. */
  async function refused(
    mutation: string,
    input: Record<string, unknown>,
    code: string,
    field: string[],
    message: string = expect.any(String),
  ): Promise<void> {
    const before = await databaseFingerprint(gw.db);
    const logBefore = await gw.db.getRepository(ChangeEntry).count();
    const { record, userErrors } = await mutate(mutation, input);
    expect(record).toBeNull();
    expect(userErrors).toEqual([{ field: ['input', ...field], code, message }]);
    expect(await databaseFingerprint(gw.db)).toBe(before);
    expect(await gw.db.getRepository(ChangeEntry).count()).toBe(logBefore);
  }

  /** The latest change-log entry of a record. */
  async function lastEntry(id: string): Promise<ChangeEntry | null> {
    return gw.db.getRepository(ChangeEntry).findOne({
      where: { entityId: fromGlobalId(id)!.uuid },
      order: { sequence: 'DESC' },
    });
  }

  /** Checks that the latest write to a record is logged, by the editor's key. */
  async function expectLogged(id: string, entityType: string, operation: string, version: number) {
    expect(await lastEntry(id)).toMatchObject({ entityType, operation, version, actor });
  }

  /** Reads as the editor; fails the test on any GraphQL error. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function read(query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const res = await gw.gql(query, variables, auth);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  }

  const HISTORY = 'history(first: 1) { nodes { operation version actor } }';
  const long = (n: number) => 'x'.repeat(n);

  // Records created along the way, used by later tests.
  let chef: Rec;
  let adjoint: Rec;
  let alice: Rec;
  let aliceAppointment: Rec;
  let bobAppointment: Rec;
  let mission: Rec;
  let underMission: Rec;
  let direct: Rec;
  let relation: Rec;

  describe('posts', () => {
    it('createPost creates a head post in an active unit, logged with the key', async () => {
      chef = await applied(
        'createPost',
        {
          slug: 'test-chef-bureau',
          title: 'Chef du Test Bureau',
          unitId: BUREAU,
          isHead: true,
          reportsToId: DIRCAB,
        },
        `id version slug isHead unit { id } reportsTo { id } ${HISTORY}`,
      );
      expect(chef).toMatchObject({
        version: 1,
        slug: 'test-chef-bureau',
        isHead: true,
        unit: { id: BUREAU },
        reportsTo: { id: DIRCAB },
        history: { nodes: [{ operation: 'CREATED', version: 1, actor }] },
      });
      adjoint = await applied(
        'createPost',
        {
          slug: 'test-adjoint-bureau',
          title: 'Adjoint du Test Bureau',
          unitId: BUREAU,
          reportsToId: chef.id,
        },
        'id version position isHead',
      );
      expect(adjoint).toMatchObject({ version: 1, position: 1, isHead: false });
    });

    it('createPost refuses a second head, a taken or malformed slug, an unknown unit, a long title', async () => {
      const post = { slug: 'test-autre-poste', title: 'Autre poste de test', unitId: BUREAU };
      await refused('createPost', { ...post, isHead: true }, 'INVALID_VALUE', ['isHead']);
      await refused('createPost', { ...post, slug: 'test-chef-bureau' }, 'SLUG_TAKEN', ['slug']);
      await refused('createPost', { ...post, slug: 'Test Poste' }, 'INVALID_SLUG', ['slug']);
      await refused('createPost', { ...post, unitId: PREFET }, 'NOT_FOUND', ['unitId']);
      await refused('createPost', { ...post, title: long(301) }, 'TOO_LONG', ['title']);
      await refused('createPost', { ...post, reportsToId: BUREAU }, 'NOT_FOUND', ['reportsToId']);
    });

    it('updatePost changes a post and bumps its version', async () => {
      const post = await applied(
        'updatePost',
        { id: chef.id, expectedVersion: 1, title: 'Chef du Test Bureau (intérim)' },
        `id version title ${HISTORY}`,
      );
      expect(post).toMatchObject({
        version: 2,
        title: 'Chef du Test Bureau (intérim)',
        history: { nodes: [{ operation: 'UPDATED', version: 2, actor }] },
      });
      chef = post;
    });

    it('updatePost refuses reporting cycles, a second head and a stale version', async () => {
      const at = { id: chef.id, expectedVersion: 2 };
      await refused('updatePost', { ...at, reportsToId: chef.id }, 'CYCLE', ['reportsToId']);
      await refused('updatePost', { ...at, reportsToId: adjoint.id }, 'CYCLE', ['reportsToId']);
      // The préfet is above the directeur de cabinet, who is above the chef.
      await refused(
        'updatePost',
        { id: PREFET, expectedVersion: 1, reportsToId: chef.id },
        'CYCLE',
        ['reportsToId'],
      );
      await refused(
        'updatePost',
        { id: adjoint.id, expectedVersion: 1, isHead: true },
        'INVALID_VALUE',
        ['isHead'],
      );
      await refused('updatePost', { ...at, unitId: CABINET }, 'INVALID_VALUE', ['isHead']);
      await refused('updatePost', { ...at, expectedVersion: 1, title: 'Périmé' }, 'CONFLICT', [
        'expectedVersion',
      ]);
    });

    it('archivePost takes the post out of its unit’s posts', async () => {
      const postsOf = async () =>
        (
          await read('query($id: ID) { unit(id: $id) { posts { id } head { id } } }', {
            id: BUREAU,
          })
        ).unit;
      expect(await postsOf()).toEqual({
        posts: [{ id: chef.id }, { id: adjoint.id }],
        head: { id: chef.id },
      });
      await refused('archivePost', { id: adjoint.id, expectedVersion: 0 }, 'CONFLICT', [
        'expectedVersion',
      ]);
      const post = await applied(
        'archivePost',
        { id: adjoint.id, expectedVersion: 1 },
        `id version archivedAt ${HISTORY}`,
      );
      expect(post).toMatchObject({
        version: 2,
        archivedAt: expect.any(String),
        history: { nodes: [{ operation: 'ARCHIVED', version: 2, actor }] },
      });
      expect(await postsOf()).toEqual({ posts: [{ id: chef.id }], head: { id: chef.id } });
      await refused('archivePost', { id: adjoint.id, expectedVersion: 2 }, 'ARCHIVED', ['id']);
      await refused('updatePost', { id: adjoint.id, expectedVersion: 2, title: 'X' }, 'ARCHIVED', [
        'id',
      ]);
    });

    it('restorePost brings an archived post back into its unit', async () => {
      await refused('restorePost', { id: chef.id, expectedVersion: 1 }, 'INVALID_VALUE', ['id']);
      await refused('restorePost', { id: adjoint.id, expectedVersion: 1 }, 'CONFLICT', [
        'expectedVersion',
      ]);
      const post = await applied(
        'restorePost',
        { id: adjoint.id, expectedVersion: 2 },
        `id version archivedAt ${HISTORY}`,
      );
      expect(post).toMatchObject({
        version: 3,
        archivedAt: null,
        history: { nodes: [{ operation: 'RESTORED', version: 3, actor }] },
      });
      const unit = await read('query($id: ID) { unit(id: $id) { posts { id } head { id } } }', {
        id: BUREAU,
      });
      expect(unit.unit).toEqual({
        posts: [{ id: chef.id }, { id: adjoint.id }],
        head: { id: chef.id },
      });
      // Archived again: the tests below rely on an archived post.
      await applied('archivePost', { id: adjoint.id, expectedVersion: 3 });
    });

    it('restorePost refuses a second head, an archived superior and an archived unit', async () => {
      const unit = await testBureau(
        'bureau-des-essais-de-restauration',
        'Bureau des essais de restauration',
      );
      const post = (slug: string, extra: Record<string, unknown> = {}) =>
        applied('createPost', { slug, title: `Poste ${slug}`, unitId: unit.id, ...extra });
      const first = await post('premier-chef-essais', { isHead: true });
      const archivedFirst = await applied('archivePost', { id: first.id, expectedVersion: 1 });
      const second = await post('second-chef-essais', { isHead: true });
      await refused('restorePost', { id: first.id, expectedVersion: 2 }, 'INVALID_VALUE', [
        'isHead',
      ]);
      await applied('archivePost', { id: second.id, expectedVersion: 1 });
      const boss = await post('superieur-essais');
      const deputy = await post('adjoint-essais', { reportsToId: boss.id });
      await applied('archivePost', { id: deputy.id, expectedVersion: 1 });
      await applied('archivePost', { id: boss.id, expectedVersion: 1 });
      await refused('restorePost', { id: deputy.id, expectedVersion: 2 }, 'ARCHIVED', [
        'reportsToId',
      ]);
      await applied('archiveUnit', { id: unit.id, expectedVersion: unit.version });
      await refused(
        'restorePost',
        { id: first.id, expectedVersion: archivedFirst.version },
        'ARCHIVED',
        ['unitId'],
      );
    });

    it('gives a unit its head post as head, whichever posts come before it, and no archived head', async () => {
      const unit = await testBureau('bureau-des-essais-de-tete', 'Bureau des essais de tête');
      const post = (slug: string, title: string, extra: Record<string, unknown> = {}) =>
        applied('createPost', { slug, title, unitId: unit.id, ...extra }, 'id version');
      const chief = await post('chef-essais-de-tete', 'Chef des essais', {
        isHead: true,
        position: 2,
      });
      // Note: before the head by position, then by title.
      await post('assistant-essais-de-tete', 'Assistant des essais', { position: 0 });
      await post('adjoint-essais-de-tete', 'Adjoint des essais', { position: 2 });
      const head = async () => {
        const res = await gw.gql<{ node: { head: { id: string } | null } }>(
          'query($id: ID!) { node(id: $id) { ... on OrgUnit { head { id } } } }',
          { id: unit.id },
        );
        expect(res.body.errors).toBeUndefined();
        return res.body.data!.node.head;
      };
      expect(await head()).toEqual({ id: chief.id });
      await applied('archivePost', { id: chief.id, expectedVersion: chief.version });
      expect(await head()).toBeNull();
    });
  });

  describe('people', () => {
    const person = {
      slug: 'alice-testeuse',
      givenName: 'Alice',
      familyName: 'Testeuse',
      grade: 'attachée',
      email: 'alice.testeuse@example.test',
      phone: '00 00 00 00 00',
      office: 'Bureau 000, bâtiment de test',
    };

    it('createPerson creates a person with private contact details, logged with the key', async () => {
      alice = await applied('createPerson', person, 'id version displayName email phone office');
      expect(alice).toMatchObject({
        version: 1,
        displayName: 'Alice Testeuse',
        email: person.email,
        phone: person.phone,
        office: person.office,
      });
      await expectLogged(alice.id, 'Person', 'CREATED', 1);
    });

    it('createPerson refuses a bad e-mail, a blank family name, long names, a taken slug', async () => {
      const other = { ...person, slug: 'claire-testeuse' };
      await refused('createPerson', { ...other, email: 'pas-une-adresse' }, 'INVALID_VALUE', [
        'email',
      ]);
      await refused('createPerson', { ...other, email: `${long(195)}@x.test` }, 'TOO_LONG', [
        'email',
      ]);
      await refused('createPerson', { ...other, familyName: ' ' }, 'REQUIRED', ['familyName']);
      await refused('createPerson', { ...other, givenName: long(121) }, 'TOO_LONG', ['givenName']);
      await refused('createPerson', { ...other, phone: long(41) }, 'TOO_LONG', ['phone']);
      await refused('createPerson', { ...other, slug: 'alice-testeuse' }, 'SLUG_TAKEN', ['slug']);
    });

    it('updatePerson changes the grade and removes the phone', async () => {
      const updated = await applied(
        'updatePerson',
        { id: alice.id, expectedVersion: 1, grade: 'attachée principale', phone: null },
        'id version grade email phone',
      );
      expect(updated).toMatchObject({
        version: 2,
        grade: 'attachée principale',
        email: person.email,
        phone: null,
      });
      await expectLogged(alice.id, 'Person', 'UPDATED', 2);
      expect((await lastEntry(alice.id))!.changes).toEqual({
        grade: { before: 'attachée', after: 'attachée principale' },
        phone: { before: person.phone, after: null },
      });
    });

    it('updatePerson refuses a stale version, a bad e-mail, an id of another type', async () => {
      await refused('updatePerson', { id: alice.id, expectedVersion: 1, grade: 'X' }, 'CONFLICT', [
        'expectedVersion',
      ]);
      await refused(
        'updatePerson',
        { id: alice.id, expectedVersion: 2, email: 'a@b' },
        'INVALID_VALUE',
        ['email'],
      );
      await refused('updatePerson', { id: chef.id, expectedVersion: 1, grade: 'X' }, 'NOT_FOUND', [
        'id',
      ]);
    });
  });

  describe('appointments', () => {
    const APPOINTMENT = 'id version startDate endDate person { id displayName } post { id }';
    const bob = { slug: 'bob-testeur', givenName: 'Bob', familyName: 'Testeur', grade: 'préfet' };

    const holderAt = async (post: string, at: string) =>
      (
        await read(
          'query($id: ID, $at: LocalDate) { post(id: $id) { holder(at: $at) { id } holderStatus(at: $at) } }',
          { id: post, at },
        )
      ).post;

    it('appoint puts an existing person in a post from a date', async () => {
      aliceAppointment = await applied(
        'appoint',
        { postId: chef.id, personId: alice.id, startDate: '2024-01-15', note: 'Arrêté de test' },
        APPOINTMENT,
      );
      expect(aliceAppointment).toMatchObject({
        version: 1,
        startDate: '2024-01-15',
        endDate: null,
        person: { id: alice.id },
        post: { id: chef.id },
      });
      await expectLogged(aliceAppointment.id, 'Appointment', 'CREATED', 1);
      expect(await holderAt(chef.id, '2024-02-01')).toEqual({
        holder: { id: alice.id },
        holderStatus: 'HELD',
      });
      expect(await holderAt(chef.id, '2024-01-14')).toEqual({
        holder: null,
        holderStatus: 'VACANT',
      });
    });

    it('appoint refuses an overlapping holder, both or neither person, unordered dates, an archived post', async () => {
      const base = { postId: chef.id, startDate: '2024-06-01' };
      // The new person would be created in the same transaction: nothing of it stays.
      await refused('appoint', { ...base, newPerson: bob }, 'HOLDER_OVERLAP', ['startDate']);
      await refused('appoint', { ...base, personId: LAVIGNE }, 'HOLDER_OVERLAP', ['startDate']);
      await refused('appoint', { ...base, personId: LAVIGNE, newPerson: bob }, 'INVALID_VALUE', [
        'personId',
      ]);
      await refused('appoint', base, 'INVALID_VALUE', ['personId']);
      await refused(
        'appoint',
        { ...base, personId: LAVIGNE, startDate: '2023-06-01', endDate: '2023-05-31' },
        'DATES_OUT_OF_ORDER',
        ['endDate'],
      );
      await refused('appoint', { ...base, postId: adjoint.id, personId: LAVIGNE }, 'ARCHIVED', [
        'postId',
      ]);
      await refused('appoint', { ...base, postId: BUREAU, personId: LAVIGNE }, 'NOT_FOUND', [
        'postId',
      ]);
      await refused('appoint', { ...base, personId: chef.id }, 'NOT_FOUND', ['personId']);
      await refused(
        'appoint',
        {
          ...base,
          startDate: '2023-01-01',
          endDate: '2023-12-31',
          newPerson: { ...bob, slug: 'Bob' },
        },
        'INVALID_SLUG',
        ['newPerson', 'slug'],
      );
    });

    it('appoint puts a new person in the préfet post once the unnamed holder’s appointment is ended', async () => {
      const { post } = await read(
        'query($id: ID) { post(id: $id) { appointments { id version endDate person { id } } } }',
        { id: PREFET },
      );
      expect(post.appointments).toEqual([
        { id: expect.any(String), version: 1, endDate: null, person: null },
      ]);
      const unnamed = post.appointments[0];
      const newHolder = { postId: PREFET, startDate: '2024-09-01', newPerson: bob };
      await refused('appoint', newHolder, 'HOLDER_OVERLAP', ['startDate']);

      const ended = await applied(
        'endAppointment',
        { id: unnamed.id, expectedVersion: 1, endDate: '2024-08-31' },
        APPOINTMENT,
      );
      expect(ended).toMatchObject({
        version: 2,
        startDate: null,
        endDate: '2024-08-31',
        person: null,
      });
      await expectLogged(unnamed.id, 'Appointment', 'UPDATED', 2);

      bobAppointment = await applied('appoint', newHolder, APPOINTMENT);
      expect(bobAppointment).toMatchObject({
        version: 1,
        startDate: '2024-09-01',
        endDate: null,
        person: { displayName: 'Bob Testeur' },
      });
      await expectLogged(bobAppointment.id, 'Appointment', 'CREATED', 1);
      await expectLogged(bobAppointment.person.id, 'Person', 'CREATED', 1);
      expect(await holderAt(PREFET, '2024-08-15')).toEqual({
        holder: null,
        holderStatus: 'HELD_BY_UNKNOWN',
      });
      expect(await holderAt(PREFET, '2024-09-15')).toEqual({
        holder: { id: bobAppointment.person.id },
        holderStatus: 'HELD',
      });
    });

    it('endAppointment ends a holding: the holder is there on the end date, gone the day after', async () => {
      const ended = await applied(
        'endAppointment',
        { id: bobAppointment.id, expectedVersion: 1, endDate: '2025-06-30' },
        APPOINTMENT,
      );
      expect(ended).toMatchObject({ version: 2, startDate: '2024-09-01', endDate: '2025-06-30' });
      await expectLogged(bobAppointment.id, 'Appointment', 'UPDATED', 2);
      expect(await holderAt(PREFET, '2025-06-30')).toEqual({
        holder: { id: bobAppointment.person.id },
        holderStatus: 'HELD',
      });
      expect(await holderAt(PREFET, '2025-07-01')).toEqual({
        holder: null,
        holderStatus: 'VACANT',
      });
    });

    it('endAppointment refuses an ended appointment, an end before the start, a stale version', async () => {
      await refused(
        'endAppointment',
        { id: bobAppointment.id, expectedVersion: 2, endDate: '2025-12-31' },
        'INVALID_VALUE',
        ['id'],
      );
      await refused(
        'endAppointment',
        { id: aliceAppointment.id, expectedVersion: 1, endDate: '2024-01-14' },
        'DATES_OUT_OF_ORDER',
        ['endDate'],
      );
      await refused(
        'endAppointment',
        { id: aliceAppointment.id, expectedVersion: 7, endDate: '2024-12-31' },
        'CONFLICT',
        ['expectedVersion'],
      );
      await refused(
        'endAppointment',
        { id: alice.id, expectedVersion: 1, endDate: '2024-12-31' },
        'NOT_FOUND',
        ['id'],
      );
    });
  });

  describe('missions and responsibilities', () => {
    const OWNER = 'owner { __typename ... on Post { id } ... on OrgUnit { id } }';

    it('createMission creates a mission of a post, carried out by a unit', async () => {
      mission = await applied(
        'createMission',
        {
          slug: 'test-mission-accueil',
          title: 'Mission de test: accueil',
          ownerId: chef.id,
          carriedOutById: BUREAU,
        },
        `id version position ${OWNER} carriedOutBy { id }`,
      );
      expect(mission).toMatchObject({
        version: 1,
        position: 0,
        owner: { __typename: 'Post', id: chef.id },
        carriedOutBy: { id: BUREAU },
      });
      await expectLogged(mission.id, 'Mission', 'CREATED', 1);
    });

    it('createMission refuses an owner that is not an active unit or post, a taken slug', async () => {
      const m = { slug: 'test-mission-autre', title: 'Autre mission de test', ownerId: chef.id };
      await refused('createMission', { ...m, ownerId: alice.id }, 'NOT_FOUND', ['ownerId']);
      await refused('createMission', { ...m, ownerId: 'pas-un-id' }, 'NOT_FOUND', ['ownerId']);
      await refused('createMission', { ...m, ownerId: adjoint.id }, 'ARCHIVED', ['ownerId']);
      await refused('createMission', { ...m, carriedOutById: chef.id }, 'NOT_FOUND', [
        'carriedOutById',
      ]);
      await refused('createMission', { ...m, slug: 'test-mission-accueil' }, 'SLUG_TAKEN', [
        'slug',
      ]);
    });

    it('createResponsibility creates one under the mission (taking its owner) and one of a unit', async () => {
      underMission = await applied(
        'createResponsibility',
        {
          slug: 'test-resp-accueil',
          title: 'Accueil de test',
          reference: 'TEST',
          missionId: mission.id,
        },
        `id version reference mission { id } ${OWNER}`,
      );
      expect(underMission).toMatchObject({
        version: 1,
        reference: 'TEST',
        mission: { id: mission.id },
        owner: { __typename: 'Post', id: chef.id },
      });
      await expectLogged(underMission.id, 'Responsibility', 'CREATED', 1);
      direct = await applied(
        'createResponsibility',
        { slug: 'test-resp-directe', title: 'Responsabilité directe de test', ownerId: BUREAU },
        `id version mission { id } ${OWNER}`,
      );
      expect(direct).toMatchObject({ mission: null, owner: { __typename: 'OrgUnit', id: BUREAU } });
      await expectLogged(direct.id, 'Responsibility', 'CREATED', 1);
    });

    it('createResponsibility refuses both or neither of mission and owner, an unknown mission', async () => {
      const r = { slug: 'test-resp-autre', title: 'Autre responsabilité de test' };
      await refused(
        'createResponsibility',
        { ...r, missionId: mission.id, ownerId: BUREAU },
        'INVALID_VALUE',
        ['ownerId'],
      );
      await refused('createResponsibility', r, 'INVALID_VALUE', ['ownerId']);
      await refused('createResponsibility', { ...r, missionId: chef.id }, 'NOT_FOUND', [
        'missionId',
      ]);
      await refused(
        'createResponsibility',
        { ...r, ownerId: BUREAU, reference: long(81) },
        'TOO_LONG',
        ['reference'],
      );
    });

    it('updateMission changes the owner, and the mission’s responsibilities follow', async () => {
      await refused(
        'updateMission',
        { id: mission.id, expectedVersion: 0, title: 'X' },
        'CONFLICT',
        ['expectedVersion'],
      );
      await refused(
        'updateMission',
        { id: mission.id, expectedVersion: 1, ownerId: LAVIGNE },
        'NOT_FOUND',
        ['ownerId'],
      );
      const updated = await applied(
        'updateMission',
        {
          id: mission.id,
          expectedVersion: 1,
          title: 'Mission de test: accueil (bureau)',
          ownerId: BUREAU,
        },
        `id version title ${OWNER} responsibilities { id version ${OWNER} }`,
      );
      expect(updated).toMatchObject({
        version: 2,
        title: 'Mission de test: accueil (bureau)',
        owner: { __typename: 'OrgUnit', id: BUREAU },
        responsibilities: [{ id: underMission.id, version: 2, owner: { id: BUREAU } }],
      });
      await expectLogged(mission.id, 'Mission', 'UPDATED', 2);
      await expectLogged(underMission.id, 'Responsibility', 'UPDATED', 2);
      mission = updated;
    });

    it('updateResponsibility changes a responsibility; one of a mission takes no other owner', async () => {
      await refused(
        'updateResponsibility',
        { id: underMission.id, expectedVersion: 2, ownerId: PREFECTURE },
        'INVALID_VALUE',
        ['ownerId'],
      );
      await refused(
        'updateResponsibility',
        { id: direct.id, expectedVersion: 2, title: 'X' },
        'CONFLICT',
        ['expectedVersion'],
      );
      const updated = await applied(
        'updateResponsibility',
        {
          id: direct.id,
          expectedVersion: 1,
          title: 'Responsabilité de test, corrigée',
          ownerId: PREFECTURE,
        },
        `id version title ${OWNER}`,
      );
      expect(updated).toMatchObject({
        version: 2,
        title: 'Responsabilité de test, corrigée',
        owner: { id: PREFECTURE },
      });
      await expectLogged(direct.id, 'Responsibility', 'UPDATED', 2);
      direct = updated;
    });

    it('deleteResponsibility deletes it for good and returns it as it was', async () => {
      await refused('deleteResponsibility', { id: direct.id, expectedVersion: 1 }, 'CONFLICT', [
        'expectedVersion',
      ]);
      const deleted = await applied(
        'deleteResponsibility',
        { id: direct.id, expectedVersion: 2 },
        'id version slug',
      );
      expect(deleted).toEqual({ id: direct.id, version: 2, slug: 'test-resp-directe' });
      await expectLogged(direct.id, 'Responsibility', 'DELETED', 2);
      expect(await read('query($id: ID!) { node(id: $id) { id } }', { id: direct.id })).toEqual({
        node: null,
      });
      await refused('deleteResponsibility', { id: direct.id, expectedVersion: 2 }, 'NOT_FOUND', [
        'id',
      ]);
    });

    it('deleteMission refuses a mission with responsibilities unless cascade, which deletes them too', async () => {
      await refused('deleteMission', { id: mission.id, expectedVersion: 2 }, 'HAS_DEPENDENTS', [
        'cascade',
      ]);
      await refused(
        'deleteMission',
        { id: mission.id, expectedVersion: 1, cascade: true },
        'CONFLICT',
        ['expectedVersion'],
      );
      const deleted = await applied(
        'deleteMission',
        { id: mission.id, expectedVersion: 2, cascade: true },
        'id version slug',
      );
      expect(deleted).toEqual({ id: mission.id, version: 2, slug: 'test-mission-accueil' });
      await expectLogged(mission.id, 'Mission', 'DELETED', 2);
      await expectLogged(underMission.id, 'Responsibility', 'DELETED', 2);
      const gone = await read(
        'query($m: ID!, $r: ID!) { mission(id: $m) { id } responsibility(id: $r) { id } }',
        { m: mission.id, r: underMission.id },
      );
      expect(gone).toEqual({ mission: null, responsibility: null });
    });

    it('deleteMission deletes a mission without responsibilities without cascade', async () => {
      const empty = await applied('createMission', {
        slug: 'test-mission-vide',
        title: 'Mission de test sans responsabilité',
        ownerId: BUREAU,
      });
      const deleted = await applied('deleteMission', { id: empty.id, expectedVersion: 1 });
      expect(deleted).toEqual({ id: empty.id, version: 1 });
      await expectLogged(empty.id, 'Mission', 'DELETED', 1);
    });
  });

  describe('relations', () => {
    const ENDS = 'type from { id } to { __typename ... on Post { id } ... on OrgUnit { id } }';

    it('createRelation links a unit to a post', async () => {
      relation = await applied(
        'createRelation',
        { slug: 'test-bureau-soutient-chef', type: 'SUPPORTS', fromUnitId: BUREAU, toId: chef.id },
        `id version ${ENDS}`,
      );
      expect(relation).toMatchObject({
        version: 1,
        type: 'SUPPORTS',
        from: { id: BUREAU },
        to: { __typename: 'Post', id: chef.id },
      });
      await expectLogged(relation.id, 'Relation', 'CREATED', 1);
    });

    it('createRelation refuses a unit linked to itself, a target of another type or archived', async () => {
      const r = {
        slug: 'test-relation-autre',
        type: 'SUPPORTS',
        fromUnitId: BUREAU,
        toId: CABINET,
      };
      await refused('createRelation', { ...r, toId: BUREAU }, 'CYCLE', ['toId']);
      await refused('createRelation', { ...r, toId: alice.id }, 'NOT_FOUND', ['toId']);
      await refused('createRelation', { ...r, toId: adjoint.id }, 'ARCHIVED', ['toId']);
      await refused('createRelation', { ...r, fromUnitId: chef.id }, 'NOT_FOUND', ['fromUnitId']);
      await refused('createRelation', { ...r, slug: 'test-bureau-soutient-chef' }, 'SLUG_TAKEN', [
        'slug',
      ]);
    });

    it('updateRelation changes its type and target', async () => {
      await refused(
        'updateRelation',
        { id: relation.id, expectedVersion: 1, toId: BUREAU },
        'CYCLE',
        ['toId'],
      );
      await refused(
        'updateRelation',
        { id: relation.id, expectedVersion: 3, type: 'SUPPORTS' },
        'CONFLICT',
        ['expectedVersion'],
      );
      const updated = await applied(
        'updateRelation',
        { id: relation.id, expectedVersion: 1, type: 'COORDINATES_WITH', toId: CABINET },
        `id version ${ENDS}`,
      );
      expect(updated).toMatchObject({
        version: 2,
        type: 'COORDINATES_WITH',
        to: { __typename: 'OrgUnit', id: CABINET },
      });
      await expectLogged(relation.id, 'Relation', 'UPDATED', 2);
    });

    it('deleteRelation deletes it for good and returns it as it was', async () => {
      await refused('deleteRelation', { id: relation.id, expectedVersion: 1 }, 'CONFLICT', [
        'expectedVersion',
      ]);
      const deleted = await applied(
        'deleteRelation',
        { id: relation.id, expectedVersion: 2 },
        `id version ${ENDS}`,
      );
      expect(deleted).toMatchObject({ id: relation.id, version: 2, type: 'COORDINATES_WITH' });
      await expectLogged(relation.id, 'Relation', 'DELETED', 2);
      expect(await read('query($id: ID!) { node(id: $id) { id } }', { id: relation.id })).toEqual({
        node: null,
      });
    });
  });

  describe('references to missing and archived records', () => {
    it('are refused in the same words by every mutation: NOT_FOUND and ARCHIVED on the field', async () => {
      const unit = await applied('createUnit', {
        slug: 'bureau-des-essais-de-references',
        name: 'Bureau des essais de références',
        kind: 'BUREAU',
        parentId: CABINET,
      });
      await applied('archiveUnit', { id: unit.id, expectedVersion: unit.version });
      const archived = 'The unit is archived.';
      await refused(
        'archiveUnit',
        { id: unit.id, expectedVersion: 2 },
        'ARCHIVED',
        ['id'],
        'The unit is archived: restore it first.',
      );
      const newUnit = { slug: 'bureau-sous-archive', name: 'Bureau', kind: 'BUREAU' };
      await refused(
        'createUnit',
        { ...newUnit, parentId: unit.id },
        'ARCHIVED',
        ['parentId'],
        archived,
      );
      const newPost = { slug: 'poste-sous-archive', title: 'Poste' };
      await refused(
        'createPost',
        { ...newPost, unitId: unit.id },
        'ARCHIVED',
        ['unitId'],
        archived,
      );
      const newMission = { slug: 'mission-sous-archive', title: 'Mission' };
      await refused(
        'createMission',
        { ...newMission, ownerId: unit.id },
        'ARCHIVED',
        ['ownerId'],
        'The owner is archived.',
      );
      await refused(
        'createMission',
        { ...newMission, ownerId: CABINET, carriedOutById: unit.id },
        'ARCHIVED',
        ['carriedOutById'],
        archived,
      );
      const newRelation = { slug: 'relation-sous-archive', type: 'SUPPORTS' };
      await refused(
        'createRelation',
        { ...newRelation, fromUnitId: CABINET, toId: unit.id },
        'ARCHIVED',
        ['toId'],
        archived,
      );
      await refused(
        'createRelation',
        { ...newRelation, fromUnitId: unit.id, toId: CABINET },
        'ARCHIVED',
        ['fromUnitId'],
        archived,
      );
      const missing = toGlobalId('OrgUnit', '00000000-0000-4000-8000-000000000000');
      await refused(
        'createPost',
        { ...newPost, unitId: missing },
        'NOT_FOUND',
        ['unitId'],
        'unitId names no existing unit.',
      );
      await refused(
        'createUnit',
        { ...newUnit, parentId: missing },
        'NOT_FOUND',
        ['parentId'],
        'parentId names no existing unit.',
      );
    });
  });
});
