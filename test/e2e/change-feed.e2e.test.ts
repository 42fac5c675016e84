import { startTestGateway, TestGateway, usingPostgres } from '../helpers/gateway';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';
import { OrgUnitKind } from '../../src/modules/org-unit/org-unit-kind';
import {
  compactChangeLog,
  compactedThrough,
  headSequence,
} from '../../src/modules/sync/change-feed';
import {
  COMPACTION_PERIOD_MINUTES,
  compactIfDue,
  scheduleCompaction,
} from '../../src/modules/sync/retention';
import { ChangeEntry } from '../../src/modules/changelog/change-entry.entity';
import { createLogger } from '../../src/logger';

const CABINET = seedUuid('OrgUnit', 'cabinet-du-prefet-seine-et-marne');
const SERVICES = seedUuid('OrgUnit', 'services-du-cabinet-seine-et-marne');
const ONACVG = seedUuid('OrgUnit', 'onacvg');

const FEED = `query Feed($after: String, $first: Int, $types: [EntityType!], $subtree: ID) {
  changes(after: $after, first: $first, types: $types, subtree: $subtree) {
    pageInfo { endCursor hasNextPage }
    edges { cursor node { sequence operation entityType entityId version changedFields { field before after }
      node { __typename id version } tombstone { id reason } } }
  }
}`;

interface FeedChange {
  sequence: number;
  operation: string;
  entityType: string;
  entityId: string;
  version: number;
  changedFields: Array<{ field: string; before: unknown; after: unknown }>;
  node: { __typename: string; id: string; version: number } | null;
  tombstone: { id: string; reason: string } | null;
}
interface FeedPage {
  pageInfo: { endCursor: string; hasNextPage: boolean };
  edges: Array<{ cursor: string; node: FeedChange }>;
}

describe('the change feed', () => {
  let gw: TestGateway;
  let editor: Record<string, string>;

  async function feed(
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    const res = await gw.gql<{ changes: FeedPage }>(FEED, variables, headers);
    return res;
  }
  async function page(variables: Record<string, unknown> = {}): Promise<FeedPage> {
    const res = await feed(variables);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.changes;
  }
  async function all(variables: Record<string, unknown> = {}): Promise<FeedChange[]> {
    const out: FeedChange[] = [];
    let after: string | undefined = variables.after as string | undefined;
    for (;;) {
      const p = await page({ ...variables, after, first: 7 });
      out.push(...p.edges.map((e) => e.node));
      after = p.pageInfo.endCursor;
      if (!p.pageInfo.hasNextPage) return out;
    }
  }
  async function mutate(query: string, input: Record<string, unknown>) {
    const res = await gw.gql(query, { input }, editor);
    expect(res.body.errors).toBeUndefined();
    const payload = Object.values(res.body.data as Record<string, { userErrors: unknown[] }>)[0];
    expect(payload.userErrors).toEqual([]);
    return payload as unknown as Record<string, { id: string; version: number }>;
  }

  beforeAll(async () => {
    gw = await startTestGateway();
    const { key } = await gw.auth.keys.create('feed test editor', Role.EDITOR);
    editor = { authorization: `Bearer ${key}` };
  });
  afterAll(() => gw.stop());

  it('starts with the seeding, in commit order, each change with its fields and current node', async () => {
    const changes = await all();
    expect(changes.length).toBe(await headSequence(gw.db));
    const sequences = changes.map((c) => c.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(sequences.length);
    expect(changes.every((c) => c.operation === 'CREATED' && c.version === 1)).toBe(true);
    const cabinet = changes.find((c) => c.entityId === toGlobalId('OrgUnit', CABINET))!;
    expect(cabinet.entityType).toBe('ORG_UNIT');
    expect(cabinet.node).toEqual({ __typename: 'OrgUnit', id: cabinet.entityId, version: 1 });
    const parent = cabinet.changedFields.find((f) => f.field === 'parentId')!;
    expect(parent.after).toBe(
      toGlobalId('OrgUnit', seedUuid('OrgUnit', 'prefecture-seine-et-marne')),
    );
  });

  it('gives an opaque cursor on an empty page at the head, so a client can poll', async () => {
    const head = (await page({ first: 1000 })).pageInfo.endCursor;
    const empty = await page({ after: head });
    expect(empty.edges).toEqual([]);
    expect(empty.pageInfo).toEqual({ endCursor: head, hasNextPage: false });
    expect(Buffer.from(head, 'base64url').toString()).not.toEqual(head);
  });

  it('carries updates, moves, archives (as tombstones) and restores after a cursor, and nothing twice', async () => {
    const start = (await page({ first: 1000 })).pageInfo.endCursor;
    const created = await mutate(
      `mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id version } userErrors { code } } }`,
      {
        slug: 'test-bureau-du-feed',
        name: 'Bureau de test du feed',
        kind: 'BUREAU',
        parentId: toGlobalId('OrgUnit', SERVICES),
      },
    );
    const id = created.unit.id;
    await mutate(
      `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { unit { id version } userErrors { code } } }`,
      {
        id,
        expectedVersion: 1,
        name: 'Bureau de test renommé',
      },
    );
    await mutate(
      `mutation($input: MoveUnitInput!) { moveUnit(input: $input) { unit { id version } userErrors { code } } }`,
      {
        id,
        expectedVersion: 2,
        parentId: toGlobalId('OrgUnit', ONACVG),
      },
    );
    await mutate(
      `mutation($input: ArchiveUnitInput!) { archiveUnit(input: $input) { unit { id version } userErrors { code } } }`,
      {
        id,
        expectedVersion: 3,
      },
    );
    const changes = await all({ after: start });
    expect(changes.map((c) => [c.operation, c.version])).toEqual([
      ['CREATED', 1],
      ['UPDATED', 2],
      ['MOVED', 3],
      ['ARCHIVED', 4],
    ]);
    expect(changes[1].changedFields).toEqual([
      { field: 'name', before: 'Bureau de test du feed', after: 'Bureau de test renommé' },
    ]);
    expect(changes[2].changedFields.find((f) => f.field === 'parentId')).toEqual({
      field: 'parentId',
      before: toGlobalId('OrgUnit', SERVICES),
      after: toGlobalId('OrgUnit', ONACVG),
    });
    // The record is archived now: every change of it carries a tombstone instead of the node.
    expect(
      changes.every(
        (c) => c.node === null && c.tombstone?.reason === 'ARCHIVED' && c.tombstone.id === id,
      ),
    ).toBe(true);
    await mutate(
      `mutation($input: RestoreUnitInput!) { restoreUnit(input: $input) { unit { id version } userErrors { code } } }`,
      {
        id,
        expectedVersion: 4,
      },
    );
    const restored = await all({ after: start });
    expect(restored.map((c) => c.operation)).toEqual([
      'CREATED',
      'UPDATED',
      'MOVED',
      'ARCHIVED',
      'RESTORED',
    ]);
    expect(restored[4].node).toEqual({ __typename: 'OrgUnit', id, version: 5 });
  });

  it('keeps to a subtree, with the records that moved in or out of it', async () => {
    const start = (await page({ first: 1000 })).pageInfo.endCursor;
    const created = await mutate(
      `mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id version } userErrors { code } } }`,
      {
        slug: 'test-bureau-voyageur',
        name: 'Bureau voyageur',
        kind: 'BUREAU',
        parentId: toGlobalId('OrgUnit', SERVICES),
      },
    );
    const id = created.unit.id;
    await mutate(
      `mutation($input: MoveUnitInput!) { moveUnit(input: $input) { unit { id version } userErrors { code } } }`,
      {
        id,
        expectedVersion: 1,
        parentId: toGlobalId('OrgUnit', ONACVG),
      },
    );
    await mutate(
      `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { unit { id version } userErrors { code } } }`,
      {
        id,
        expectedVersion: 2,
        name: 'Bureau voyageur, hors du cabinet',
      },
    );
    const inCabinet = await all({ after: start, subtree: toGlobalId('OrgUnit', CABINET) });
    // Created in the cabinet, then moved out: the move shows, the later update does not.
    expect(inCabinet.map((c) => c.operation)).toEqual(['CREATED', 'MOVED']);
    const inOnacvg = await all({ after: start, subtree: toGlobalId('OrgUnit', ONACVG) });
    expect(inOnacvg.map((c) => c.operation)).toEqual(['MOVED', 'UPDATED']);
    const seedInServices = await all({ subtree: toGlobalId('OrgUnit', SERVICES) });
    const types = new Set(seedInServices.map((c) => c.entityType));
    expect(types).toEqual(new Set(['SOURCE', 'ORG_UNIT', 'MISSION', 'RESPONSIBILITY', 'RELATION']));
  });

  it('carries the records below a unit that moves in or out of a subtree, with their unit', async () => {
    const start = (await page({ first: 1000 })).pageInfo.endCursor;
    const { unit: parent } = await mutate(
      `mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id version } userErrors { code } } }`,
      {
        slug: 'test-service-demenage',
        name: 'Service qui déménage',
        kind: 'SERVICE',
        parentId: toGlobalId('OrgUnit', SERVICES),
      },
    );
    const { unit: child } = await mutate(
      `mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id version } userErrors { code } } }`,
      {
        slug: 'test-bureau-demenage',
        name: 'Bureau qui déménage',
        kind: 'BUREAU',
        parentId: parent.id,
      },
    );
    const { post } = await mutate(
      `mutation($input: CreatePostInput!) { createPost(input: $input) { post { id version } userErrors { code } } }`,
      { slug: 'test-chef-demenage', title: 'Chef qui déménage', unitId: child.id, isHead: true },
    );
    const moved = (await page({ first: 1000 })).pageInfo.endCursor;
    await mutate(
      `mutation($input: MoveUnitInput!) { moveUnit(input: $input) { unit { id version } userErrors { code } } }`,
      {
        id: parent.id,
        expectedVersion: 1,
        parentId: toGlobalId('OrgUnit', ONACVG),
      },
    );
    const expected = [
      ['MOVED', parent.id, 2],
      ['MOVED', child.id, 1],
      ['MOVED', post.id, 1],
    ];
    for (const subtree of [CABINET, ONACVG]) {
      const changes = await all({ after: moved, subtree: toGlobalId('OrgUnit', subtree) });
      expect(changes.map((c) => [c.operation, c.entityId, c.version])).toEqual(expected);
      expect(changes.slice(1).every((c) => c.changedFields.length === 0)).toBe(true);
    }
    const elsewhere = await all({
      after: start,
      subtree: toGlobalId(
        'OrgUnit',
        seedUuid('OrgUnit', 'commission-departementale-memoire-seine-et-marne'),
      ),
    });
    expect(elsewhere).toEqual([]);
  });

  it('filters by record type', async () => {
    const posts = await all({ types: ['POST', 'APPOINTMENT'] });
    expect(new Set(posts.map((c) => c.entityType))).toEqual(new Set(['POST', 'APPOINTMENT']));
  });

  it('refuses malformed cursors and page sizes with BAD_USER_INPUT', async () => {
    for (const variables of [
      { after: 'not-a-cursor' },
      { after: Buffer.from('o:3').toString('base64url') },
      { first: 0 },
      { first: 1001 },
      { subtree: 'nope' },
    ]) {
      const res = await feed(variables);
      expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses a cursor ahead of the feed, which would skip the changes that take its numbers', async () => {
    const ahead = Buffer.from(`s:${(await headSequence(gw.db)) + 1000}`).toString('base64url');
    const res = await feed({ after: ahead });
    expect(res.body.errors?.[0].extensions?.code).toBe('SYNC_CURSOR_EXPIRED');
    expect(res.body.errors?.[0].message).toContain('ahead');
  });

  it('tells a client whose cursor is older than the retained log to start from a snapshot', async () => {
    const early = (await page({ first: 3 })).pageInfo.endCursor;
    const head = await headSequence(gw.db);
    const { compactedThrough } = await compactChangeLog(gw.db, new Date(Date.now() + 60_000));
    expect(compactedThrough).toBe(head);
    for (const after of [early, null]) {
      const res = await feed({ after });
      expect(res.body.errors?.[0].extensions).toMatchObject({
        code: 'SYNC_CURSOR_EXPIRED',
        snapshot: '/export/snapshot.ndjson',
      });
    }
    // A cursor at the compaction point still works: nothing was lost after it.
    const res = await feed({ after: Buffer.from(`s:${head}`).toString('base64url') });
    expect(res.body.errors).toBeUndefined();
  });
});

describe('retention', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.stop());

  it('compacts the entries older than the configured days, and only those', async () => {
    const head = await headSequence(gw.db);
    const old = new Date(Date.now() - 10 * 24 * 3_600_000);
    await gw.db
      .createQueryBuilder()
      .update(ChangeEntry)
      .set({ occurredAt: old })
      .where('sequence <= 5')
      .execute();
    const { firstRun, stop } = scheduleCompaction(gw.db, 7, createLogger('silent'));
    await firstRun;
    stop();
    expect(await compactedThrough(gw.db)).toBe(5);
    const left: Array<{ n: number }> = await gw.db.query('SELECT COUNT(*) AS n FROM change_log');
    expect(Number(left[0].n)).toBe(head - 5);
  });

  it('compacts once per period whichever instance asks, and racing instances compact once', async () => {
    // The schedule above claimed the period: asking again within it does nothing.
    const soon = new Date(Date.now() + 60_000);
    expect(await compactIfDue(gw.db, soon)).toBeNull();
    expect(await compactedThrough(gw.db)).toBe(5);
    // Once the period is over, the first to ask compacts; several asking together, one does.
    const later = Date.now() + COMPACTION_PERIOD_MINUTES * 60_000;
    const runs = await Promise.all([1, 2, 3].map(() => compactIfDue(gw.db, soon, later)));
    expect(runs.filter((r) => r !== null)).toHaveLength(1);
    expect(await compactedThrough(gw.db)).toBe(await headSequence(gw.db));
  });
});

describe('the change feed reserved to the SYNC role', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ SYNC_ACCESS: 'sync' });
  });
  afterAll(() => gw.stop());

  it('refuses anonymous callers and other roles, and serves SYNC and ADMIN keys', async () => {
    const query = '{ changes(first: 1) { pageInfo { endCursor } } }';
    expect((await gw.gql(query)).body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const agent = (await gw.auth.keys.create('agent', Role.AGENT)).key;
    expect(
      (await gw.gql(query, {}, { authorization: `Bearer ${agent}` })).body.errors?.[0].extensions
        ?.code,
    ).toBe('FORBIDDEN');
    for (const role of [Role.SYNC, Role.ADMIN]) {
      const { key } = await gw.auth.keys.create(role, role);
      const res = await gw.gql(query, {}, { authorization: `Bearer ${key}` });
      expect(res.body.errors).toBeUndefined();
    }
  });
});

describe(`sequence order on ${usingPostgres ? 'PostgreSQL' : 'SQLite'}`, () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.stop());

  it('never lets a change that commits later show with a lower sequence than one already readable', async () => {
    const before = await headSequence(gw.db);
    const runner = gw.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    let second: Promise<unknown> | null = null;
    try {
      // T1 writes and stays open.
      await gw.services.units.create(
        { em: runner.manager, actor: 'test:t1' },
        { slug: 'test-t1', name: 'T1', kind: OrgUnitKind.BUREAU },
      );
      if (usingPostgres) {
        // T2 writes meanwhile on another connection; it must wait for T1 to commit.
        second = gw.db.transaction((em) =>
          gw.services.units.create(
            { em, actor: 'test:t2' },
            { slug: 'test-t2', name: 'T2', kind: OrgUnitKind.BUREAU },
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        // A reader now sees neither: T2 cannot have taken a sequence before T1's.
        expect(await headSequence(gw.db)).toBe(before);
      }
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    if (second) await second;
    else
      await gw.db.transaction((em) =>
        gw.services.units.create(
          { em, actor: 'test:t2' },
          { slug: 'test-t2', name: 'T2', kind: OrgUnitKind.BUREAU },
        ),
      );
    const rows: Array<{ actor: string; sequence: number }> = await gw.db.query(
      `SELECT actor, sequence FROM change_log WHERE actor IN ('test:t1', 'test:t2') ORDER BY sequence`,
    );
    expect(rows.map((r) => r.actor)).toEqual(['test:t1', 'test:t2']);
  });
});
