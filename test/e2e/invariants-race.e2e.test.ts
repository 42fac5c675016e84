import { IsNull } from 'typeorm';
import { startTestGateway, TestGateway, usingPostgres } from '../helpers/gateway';
import { randomUUID } from 'node:crypto';
import { fromGlobalId, toGlobalId } from '../../src/modules/node/global-id';
import { uniqueViolationError } from '../../src/modules/node/unique-rules';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';
import { OrgUnit } from '../../src/modules/org-unit/org-unit.entity';
import { Post } from '../../src/modules/post/post.entity';
import { Person } from '../../src/modules/person/person.entity';
import { Appointment } from '../../src/modules/person/appointment.entity';

/**
 * Every structural rule that a service checks by reading before it writes, under concurrent
 * writes over HTTP: each pair of conflicting writes is fired at once, ROUNDS times; after each
 * round every rule holds in the database, and every losing request got a userError, never an
 * error. On PostgreSQL these rules hold because every write transaction takes the write lock
 * first (db/write-transaction.ts); the suite fails without it.
 */

const ROUNDS = 12;
const SERVICES = toGlobalId('OrgUnit', seedUuid('OrgUnit', 'services-du-cabinet-seine-et-marne'));

interface Payload {
  record: { id: string; version: number } | null;
  userErrors: Array<{ field: string[]; code: string }>;
}

/** What one mutation request came back with. */
interface Outcome {
  status: number;
  errors: string[];
  payload: Payload | null;
}

let gw: TestGateway;
let editor: Record<string, string>;
/** Outcomes of every request the suite sent, by name, for the figures of the report. */
const tally = new Map<string, Map<string, number>>();

beforeAll(async () => {
  gw = await startTestGateway();
  editor = { authorization: `Bearer ${(await gw.auth.keys.create('race', Role.EDITOR)).key}` };
});

afterAll(async () => {
  const lines = [...tally].map(
    ([name, counts]) => `${name}: ${JSON.stringify(Object.fromEntries(counts))}`,
  );
  if (process.env.RACE_REPORT)
    console.log(`${usingPostgres ? 'PostgreSQL' : 'SQLite'}\n${lines.join('\n')}`);
  await gw?.stop();
});

/** Sends one mutation `name(input: $input)` whose payload names its record `field`. */
async function mutate(
  name: string,
  field: string,
  input: Record<string, unknown>,
): Promise<Outcome> {
  const type = `${name[0].toUpperCase()}${name.slice(1)}Input`;
  const res = await gw.gql<Record<string, Record<string, unknown>>>(
    `mutation($input: ${type}!) {
      ${name}(input: $input) { ${field} { id version } userErrors { field code } }
    }`,
    { input },
    editor,
  );
  const raw = res.body.data?.[name];
  return {
    status: res.status,
    errors: (res.body.errors ?? []).map((e) => String(e.extensions?.code ?? e.message)),
    payload: raw
      ? { record: (raw[field] as Payload['record']) ?? null, userErrors: raw.userErrors as never }
      : null,
  };
}

/** Fires the writes at once; requires answers without errors, one winner, and names the rest. */
async function race(label: string, writes: Array<() => Promise<Outcome>>) {
  const outcomes = await Promise.all(writes.map((w) => w()));
  const counts = tally.get(label) ?? new Map<string, number>();
  tally.set(label, counts);
  for (const o of outcomes) {
    const key = o.errors[0] ?? o.payload?.userErrors[0]?.code ?? 'applied';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  expect(outcomes.map((o) => [o.status, o.errors])).toEqual(outcomes.map(() => [200, []]));
  const winners = outcomes.filter((o) => o.payload!.record !== null);
  const losers = outcomes.filter((o) => o.payload!.record === null);
  for (const l of losers) expect(l.payload!.userErrors).toHaveLength(1);
  return { winners, losers, codes: losers.map((l) => l.payload!.userErrors[0].code).sort() };
}

async function newUnit(slug: string, parentId = SERVICES) {
  const o = await mutate('createUnit', 'unit', { slug, name: slug, kind: 'BUREAU', parentId });
  expect(o.payload?.userErrors).toEqual([]);
  return o.payload!.record!;
}

async function newPost(slug: string, unitId: string, isHead = false) {
  const o = await mutate('createPost', 'post', { slug, title: slug, unitId, isHead });
  expect(o.payload?.userErrors).toEqual([]);
  return o.payload!.record!;
}

/** Checks every structural rule over the whole database. */
async function expectRulesHold(): Promise<void> {
  const units = await gw.db.getRepository(OrgUnit).find();
  const byId = new Map(units.map((u) => [u.uuid, u]));
  for (const u of units) {
    const seen = new Set<string>();
    for (let at: OrgUnit | undefined = u; at?.parentId; at = byId.get(at.parentId)) {
      expect(seen.has(at.uuid)).toBe(false);
      seen.add(at.uuid);
    }
    if (!u.archivedAt && u.parentId) expect(byId.get(u.parentId)?.archivedAt ?? null).toBeNull();
  }
  const posts = new Map((await gw.db.getRepository(Post).find()).map((p) => [p.uuid, p]));
  for (const p of posts.values()) {
    const seen = new Set<string>();
    for (let at: Post | undefined = p; at?.reportsToId; at = posts.get(at.reportsToId)) {
      expect(seen.has(at.uuid)).toBe(false);
      seen.add(at.uuid);
    }
  }
  const heads = await gw.db.getRepository(Post).findBy({ isHead: true, archivedAt: IsNull() });
  expect(new Set(heads.map((p) => p.unitId)).size).toBe(heads.length);
  const appointments = await gw.db.getRepository(Appointment).find();
  for (const a of appointments) {
    const overlapping = appointments.filter(
      (b) =>
        b.uuid !== a.uuid &&
        b.postId === a.postId &&
        (b.startDate ?? '0000-01-01') <= (a.endDate ?? '9999-12-31') &&
        (a.startDate ?? '0000-01-01') <= (b.endDate ?? '9999-12-31'),
    );
    expect(overlapping).toEqual([]);
  }
  for (const target of [OrgUnit, Post, Person]) {
    const slugs = (await gw.db.getRepository(target).find()).map((r) => r.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
  }
}

const rounds = Array.from({ length: ROUNDS }, (_, i) => i + 1);

describe(`conflicting writes at once (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  it.each(rounds)(
    'round %i: A under B and B under A: one move wins, the other gets CYCLE',
    async (round) => {
      const a = await newUnit(`bureau-a-${round}`);
      const b = await newUnit(`bureau-b-${round}`);
      const { winners, codes } = await race('moveUnit A↔B', [
        () => mutate('moveUnit', 'unit', { id: a.id, expectedVersion: a.version, parentId: b.id }),
        () => mutate('moveUnit', 'unit', { id: b.id, expectedVersion: b.version, parentId: a.id }),
      ]);
      expect(winners).toHaveLength(1);
      expect(codes).toEqual(['CYCLE']);
      await expectRulesHold();
    },
  );

  it.each(rounds)('round %i: ten createPost(isHead: true) in one unit: one head', async (round) => {
    const unit = await newUnit(`bureau-tetes-${round}`);
    const { winners, codes } = await race(
      'createPost(isHead) ×10',
      Array.from(
        { length: 10 },
        (_, i) => () =>
          mutate('createPost', 'post', {
            slug: `chef-${round}-${i}`,
            title: `Chef ${i}`,
            unitId: unit.id,
            isHead: true,
          }),
      ),
    );
    expect(winners).toHaveLength(1);
    expect(codes).toEqual(Array(9).fill('INVALID_VALUE'));
    await expectRulesHold();
  });

  it.each(rounds)('round %i: two posts made head at once: one head', async (round) => {
    const unit = await newUnit(`bureau-bascule-${round}`);
    const posts = [
      await newPost(`adjoint-a-${round}`, unit.id),
      await newPost(`adjoint-b-${round}`, unit.id),
    ];
    const { winners, codes } = await race(
      'updatePost(isHead) ×2',
      posts.map(
        (p) => () =>
          mutate('updatePost', 'post', { id: p.id, expectedVersion: p.version, isHead: true }),
      ),
    );
    expect(winners).toHaveLength(1);
    expect(codes).toEqual(['INVALID_VALUE']);
    await expectRulesHold();
  });

  it.each(rounds)(
    'round %i: P reports to Q and Q to P: one wins, the other gets CYCLE',
    async (round) => {
      const unit = await newUnit(`bureau-rapports-${round}`);
      const p = await newPost(`charge-p-${round}`, unit.id);
      const q = await newPost(`charge-q-${round}`, unit.id);
      const { winners, codes } = await race('updatePost(reportsTo) P↔Q', [
        () =>
          mutate('updatePost', 'post', { id: p.id, expectedVersion: p.version, reportsToId: q.id }),
        () =>
          mutate('updatePost', 'post', { id: q.id, expectedVersion: q.version, reportsToId: p.id }),
      ]);
      expect(winners).toHaveLength(1);
      expect(codes).toEqual(['CYCLE']);
      await expectRulesHold();
    },
  );

  it.each(rounds)(
    'round %i: two current holders appointed to one post: HOLDER_OVERLAP',
    async (round) => {
      const unit = await newUnit(`bureau-titulaires-${round}`);
      const post = await newPost(`poste-convoite-${round}`, unit.id);
      const people = [];
      for (const who of ['a', 'b']) {
        const o = await mutate('createPerson', 'person', {
          slug: `titulaire-${who}-${round}`,
          familyName: `Titulaire ${who}`,
        });
        people.push(o.payload!.record!);
      }
      // Note: existing people, so that nothing is written before the overlap check.
      const { winners, codes } = await race(
        'appoint ×2',
        people.map(
          (person) => () =>
            mutate('appoint', 'appointment', {
              postId: post.id,
              personId: person.id,
              startDate: '2026-01-01',
            }),
        ),
      );
      expect(winners).toHaveLength(1);
      expect(codes).toEqual(['HOLDER_OVERLAP']);
      await expectRulesHold();
    },
  );

  it.each(rounds)(
    'round %i: archiveUnit against createUnit under it: never an active child of an archived unit',
    async (round) => {
      const unit = await newUnit(`bureau-ferme-${round}`);
      const { winners, codes } = await race('archiveUnit vs createUnit', [
        () => mutate('archiveUnit', 'unit', { id: unit.id, expectedVersion: unit.version }),
        () =>
          mutate('createUnit', 'unit', {
            slug: `cellule-${round}`,
            name: 'Cellule',
            kind: 'BUREAU',
            parentId: unit.id,
          }),
      ]);
      expect(winners).toHaveLength(1);
      expect([['ARCHIVED'], ['HAS_ACTIVE_CHILDREN']]).toContainEqual(codes);
      await expectRulesHold();
    },
  );

  it.each(rounds)(
    'round %i: archiveUnit against moveUnit under it: never an active child of an archived unit',
    async (round) => {
      const unit = await newUnit(`bureau-dissous-${round}`);
      const other = await newUnit(`bureau-deplace-${round}`);
      const { winners, codes } = await race('archiveUnit vs moveUnit', [
        () => mutate('archiveUnit', 'unit', { id: unit.id, expectedVersion: unit.version }),
        () =>
          mutate('moveUnit', 'unit', {
            id: other.id,
            expectedVersion: other.version,
            parentId: unit.id,
          }),
      ]);
      expect(winners).toHaveLength(1);
      expect([['ARCHIVED'], ['HAS_ACTIVE_CHILDREN']]).toContainEqual(codes);
      await expectRulesHold();
    },
  );

  it.each(rounds)(
    'round %i: restoreUnit against archiveUnit of its parent: never an active child of an archived unit',
    async (round) => {
      const parent = await newUnit(`bureau-parent-${round}`);
      const child = await newUnit(`bureau-enfant-${round}`, parent.id);
      const archived = await mutate('archiveUnit', 'unit', {
        id: child.id,
        expectedVersion: child.version,
      });
      const { winners, codes } = await race('restoreUnit vs archiveUnit(parent)', [
        () => mutate('archiveUnit', 'unit', { id: parent.id, expectedVersion: parent.version }),
        () =>
          mutate('restoreUnit', 'unit', {
            id: child.id,
            expectedVersion: archived.payload!.record!.version,
          }),
      ]);
      expect(winners).toHaveLength(1);
      expect([['ARCHIVED'], ['HAS_ACTIVE_CHILDREN']]).toContainEqual(codes);
      await expectRulesHold();
    },
  );

  it.each(rounds)(
    'round %i: two records of each type created with one slug: SLUG_TAKEN',
    async (round) => {
      const unit = await newUnit(`bureau-homonymes-${round}`);
      const slug = `homonyme-${round}`;
      const pairs: Array<[string, () => Promise<Outcome>]> = [
        [
          'createUnit',
          () =>
            mutate('createUnit', 'unit', { slug, name: 'U', kind: 'BUREAU', parentId: unit.id }),
        ],
        ['createPost', () => mutate('createPost', 'post', { slug, title: 'P', unitId: unit.id })],
        ['createPerson', () => mutate('createPerson', 'person', { slug, familyName: 'P' })],
      ];
      for (const [name, write] of pairs) {
        const { winners, codes } = await race(`${name} same slug ×2`, [write, write]);
        expect(winners).toHaveLength(1);
        expect(codes).toEqual(['SLUG_TAKEN']);
      }
      await expectRulesHold();
    },
  );
});

describe(`the rules that are also indexes (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  const uuidOf = (id: string) => fromGlobalId(id)!.uuid;

  /** Inserts a copy of a stored row with a new uuid, behind the services; returns the error. */
  async function copy<T extends Post | Appointment>(
    target: { new (): T },
    uuid: string,
    patch: Partial<T>,
  ) {
    const repo = gw.db.getRepository(target);
    const row = await repo.findOneByOrFail({ uuid } as never);
    return repo.insert({ ...row, uuid: randomUUID(), ...patch } as never).then(
      () => null,
      (e: unknown) => e,
    );
  }

  it("a second active head post is refused by the database, and reads as the service's userError", async () => {
    const unit = await newUnit('bureau-index-tete');
    const head = await newPost('chef-index', unit.id, true);
    const error = await copy(Post, uuidOf(head.id), { slug: 'chef-index-bis' });
    expect(uniqueViolationError(error, 'chef-index-bis')).toMatchObject({
      code: 'INVALID_VALUE',
      field: ['isHead'],
    });
    const again = await copy(Post, uuidOf(head.id), { isHead: false });
    expect(uniqueViolationError(again, head.id)).toMatchObject({
      code: 'SLUG_TAKEN',
      field: ['slug'],
    });
    // An archived or ordinary post is no second head.
    expect(
      await copy(Post, uuidOf(head.id), { slug: 'chef-index-ancien', archivedAt: new Date() }),
    ).toBeNull();
    expect(await copy(Post, uuidOf(head.id), { slug: 'adjoint-index', isHead: false })).toBeNull();
  });

  it('a second open appointment to one post is refused by the database, as HOLDER_OVERLAP', async () => {
    const unit = await newUnit('bureau-index-titulaire');
    const post = await newPost('poste-index', unit.id);
    const o = await mutate('appoint', 'appointment', {
      postId: post.id,
      startDate: '2025-01-01',
      newPerson: { slug: 'titulaire-index', familyName: 'Index' },
    });
    const appointment = uuidOf(o.payload!.record!.id);
    const error = await copy(Appointment, appointment, { startDate: '2026-01-01' });
    expect(uniqueViolationError(error, undefined)).toMatchObject({
      code: 'HOLDER_OVERLAP',
      field: ['startDate'],
    });
    expect(
      await copy(Appointment, appointment, { startDate: '2020-01-01', endDate: '2020-12-31' }),
    ).toBeNull();
  });
});
