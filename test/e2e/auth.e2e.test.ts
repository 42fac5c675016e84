import { GqlResponse, startTestGateway, TestGateway } from '../helpers/gateway';
import { databaseFingerprint } from '../helpers/snapshot';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';

/**
 * Writes to units: who may write, what is refused (each refusal with its stable code, leaving
 * the directory and its change log as they were), and a maintainer restructuring the cabinet,
 * step by step, as history and the audit log show it.
 */

type UnitMutation = 'createUnit' | 'updateUnit' | 'moveUnit' | 'archiveUnit' | 'restoreUnit';

const unitId = (slug: string) => toGlobalId('OrgUnit', seedUuid('OrgUnit', slug));
const CABINET = unitId('cabinet-du-prefet-seine-et-marne');
const SECURITES = unitId('direction-des-securites-seine-et-marne');
const SERVICES = unitId('services-du-cabinet-seine-et-marne');
const BUREAU_COM = unitId('bureau-communication-interministerielle-seine-et-marne');
const ONACVG = unitId('onacvg');
const UNKNOWN_UNIT = toGlobalId('OrgUnit', '00000000-0000-4000-8000-000000000000');
const A_POST = toGlobalId('Post', seedUuid('Post', 'prefet-seine-et-marne'));

/** The operation text of a unit mutation, selecting the unit and the userErrors. */
const mutation = (name: UnitMutation) =>
  `mutation($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) {
    ${name}(input: $input) {
      unit { id slug name version archivedAt parent { id } }
      userErrors { field message code }
    }
  }`;

/** Every seeded unit is at version 1; the refusal table relies on it (checked in beforeAll). */
const V1 = 1;
const NEW_BUREAU = { slug: 'bureau-essai-seine-et-marne', name: "Bureau d'essai", kind: 'BUREAU' };

/** A plausible input for each mutation: credentials are refused before any input is read. */
const VALID_INPUT: Record<UnitMutation, Record<string, unknown>> = {
  createUnit: { ...NEW_BUREAU, parentId: SERVICES },
  updateUnit: { id: ONACVG, expectedVersion: V1, name: 'Office national' },
  moveUnit: { id: BUREAU_COM, expectedVersion: V1, parentId: SECURITES },
  archiveUnit: { id: BUREAU_COM, expectedVersion: V1 },
  restoreUnit: { id: BUREAU_COM, expectedVersion: V1 },
};
const MUTATIONS = Object.keys(VALID_INPUT) as UnitMutation[];

let gw: TestGateway;
const keys: Record<string, string> = {};
const ids: Record<string, string> = {};
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  gw = await startTestGateway();
  for (const role of [Role.EDITOR, Role.ADMIN, Role.AGENT, Role.SYNC]) {
    const { key, record } = await gw.auth.keys.create(`e2e ${role}`, role);
    keys[role] = key;
    ids[role] = record.id;
  }
  const revoked = await gw.auth.keys.create('e2e revoked editor', Role.EDITOR);
  await gw.auth.keys.revoke(revoked.record.prefix);
  keys.revoked = revoked.key;
  const expired = await gw.auth.keys.create(
    'e2e expired editor',
    Role.EDITOR,
    new Date('2020-01-01T00:00:00Z'),
  );
  keys.expired = expired.key;
  const versions: Array<{ version: number }> = await gw.db.query('SELECT version FROM org_unit');
  expect(versions.every((u) => Number(u.version) === V1)).toBe(true);
});

afterAll(() => gw?.stop());

/** Sends a mutation and returns the response with the snapshots around it. */
async function attempt(
  name: UnitMutation,
  input: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<{ res: GqlResponse; before: string; after: string }> {
  const before = await databaseFingerprint(gw.db);
  const res = await gw.gql(mutation(name), { input }, headers);
  return { res, before, after: await databaseFingerprint(gw.db) };
}

describe('who may write', () => {
  /** A refused credential: how it is sent, and the answer it gets. */
  interface AuthCase {
    name: string;
    mutation: UnitMutation;
    headers: () => Record<string, string>;
    status: number;
    code: 'UNAUTHENTICATED' | 'FORBIDDEN';
  }

  const credentials: Array<Omit<AuthCase, 'name' | 'mutation'> & { who: string }> = [
    { who: 'no key', headers: () => ({}), status: 401, code: 'UNAUTHENTICATED' },
    {
      who: 'a malformed Authorization header',
      headers: () => ({ authorization: `Token ${keys.EDITOR}` }),
      status: 401,
      code: 'UNAUTHENTICATED',
    },
    {
      who: 'a bearer key of the wrong shape',
      headers: () => bearer('ak_short'),
      status: 401,
      code: 'UNAUTHENTICATED',
    },
    {
      who: 'an unknown key',
      headers: () => bearer(`ak_000000000000_${'A'.repeat(43)}`),
      status: 401,
      code: 'UNAUTHENTICATED',
    },
    {
      who: 'a known prefix with a wrong secret',
      headers: () => bearer(`${keys.EDITOR.slice(0, 16)}${'A'.repeat(43)}`),
      status: 401,
      code: 'UNAUTHENTICATED',
    },
    {
      who: 'a revoked key',
      headers: () => bearer(keys.revoked),
      status: 401,
      code: 'UNAUTHENTICATED',
    },
    {
      who: 'an expired key',
      headers: () => bearer(keys.expired),
      status: 401,
      code: 'UNAUTHENTICATED',
    },
    { who: 'an AGENT key', headers: () => bearer(keys.AGENT), status: 200, code: 'FORBIDDEN' },
    { who: 'a SYNC key', headers: () => bearer(keys.SYNC), status: 200, code: 'FORBIDDEN' },
  ];
  const cases: AuthCase[] = MUTATIONS.flatMap((m) =>
    credentials.map(({ who, ...c }) => ({ ...c, name: `${m} with ${who}`, mutation: m })),
  );

  it.each(cases)('$name → HTTP $status $code, nothing written', async (c) => {
    const { res, before, after } = await attempt(c.mutation, VALID_INPUT[c.mutation], c.headers());
    expect(res.status).toBe(c.status);
    if (c.status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0].extensions?.code).toBe(c.code);
    // A role short of EDITOR is refused on the field; bad credentials before any field runs.
    if (c.code === 'FORBIDDEN') expect(res.body.errors![0].path).toEqual([c.mutation]);
    expect(after).toBe(before);
  });

  it('an EDITOR, an ADMIN and an anonymous caller are who `me` says', async () => {
    const me = '{ me { authenticated role credential actor } }';
    expect((await gw.gql(me, {}, bearer(keys.EDITOR))).body.data).toEqual({
      me: {
        authenticated: true,
        role: 'EDITOR',
        credential: 'API_KEY',
        actor: `key:${ids.EDITOR}`,
      },
    });
    expect((await gw.gql(me, {}, bearer(keys.ADMIN))).body.data).toMatchObject({
      me: { role: 'ADMIN', actor: `key:${ids.ADMIN}` },
    });
    expect((await gw.gql(me)).body.data).toEqual({
      me: { authenticated: false, role: 'ANONYMOUS', credential: null, actor: 'anonymous' },
    });
  });
});

describe('what is refused, with a userError', () => {
  /** An editor's write that breaks a rule: the userError it must get. */
  interface InputCase {
    name: string;
    mutation: UnitMutation;
    input: Record<string, unknown>;
    code: string;
    field: string;
  }

  /** A rule broken by a change to a valid input: [what, change, code, field]. */
  type Row = [string, Record<string, unknown>, string, string];
  const rows = (name: UnitMutation, prefix: string, list: Row[]): InputCase[] =>
    list.map(([what, patch, code, field]) => ({
      name: `${name} ${prefix} ${what}`,
      mutation: name,
      input: { ...VALID_INPUT[name], ...patch },
      code,
      field,
    }));

  const long = (n: number) => 'x'.repeat(n);
  const cases: InputCase[] = [
    ...rows('createUnit', 'with', [
      ['a blank name', { name: '   ' }, 'REQUIRED', 'name'],
      ['a 301-character name', { name: long(301) }, 'TOO_LONG', 'name'],
      ['a 41-character acronym', { acronym: long(41) }, 'TOO_LONG', 'acronym'],
      ['a 10 001-character description', { description: long(10_001) }, 'TOO_LONG', 'description'],
      ['a blank slug', { slug: '' }, 'REQUIRED', 'slug'],
      ['a slug with capitals and spaces', { slug: 'Bureau Essai' }, 'INVALID_SLUG', 'slug'],
      ['a slug with a double hyphen', { slug: 'bureau--essai' }, 'INVALID_SLUG', 'slug'],
      ['a 121-character slug', { slug: long(121) }, 'TOO_LONG', 'slug'],
      ['a taken slug', { slug: 'cabinet-du-prefet-seine-et-marne' }, 'SLUG_TAKEN', 'slug'],
      ['an unknown parentId', { parentId: UNKNOWN_UNIT }, 'NOT_FOUND', 'parentId'],
      ['a malformed parentId', { parentId: 'not-an-id' }, 'NOT_FOUND', 'parentId'],
      ['a post id as parentId', { parentId: A_POST }, 'NOT_FOUND', 'parentId'],
      ['a negative position', { position: -1 }, 'INVALID_VALUE', 'position'],
    ]),
    ...rows('updateUnit', 'with', [
      ['an unknown id', { id: UNKNOWN_UNIT }, 'NOT_FOUND', 'id'],
      ['a malformed id', { id: '%%%' }, 'NOT_FOUND', 'id'],
      ['a post id', { id: A_POST }, 'NOT_FOUND', 'id'],
      ['a stale expectedVersion', { expectedVersion: V1 - 1 }, 'CONFLICT', 'expectedVersion'],
      ['a future expectedVersion', { expectedVersion: V1 + 5 }, 'CONFLICT', 'expectedVersion'],
      ['a blank name', { name: '' }, 'REQUIRED', 'name'],
      ['a null name', { name: null }, 'REQUIRED', 'name'],
      ['a 301-character name', { name: long(301) }, 'TOO_LONG', 'name'],
      ['a bad slug', { slug: 'onacvg_77' }, 'INVALID_SLUG', 'slug'],
      ["another unit's slug", { slug: 'prefecture-seine-et-marne' }, 'SLUG_TAKEN', 'slug'],
    ]),
    ...rows('moveUnit', 'of', [
      [
        'the cabinet under one of its bureaus',
        { id: CABINET, parentId: BUREAU_COM },
        'CYCLE',
        'parentId',
      ],
      ['the cabinet under itself', { id: CABINET, parentId: CABINET }, 'CYCLE', 'parentId'],
      ['a bureau under an unknown parent', { parentId: UNKNOWN_UNIT }, 'NOT_FOUND', 'parentId'],
      ['a bureau under a malformed id', { parentId: 'T3JnVW5pdDp4' }, 'NOT_FOUND', 'parentId'],
      ['an unknown unit', { id: UNKNOWN_UNIT }, 'NOT_FOUND', 'id'],
      ['a bureau at a stale version', { expectedVersion: 0 }, 'CONFLICT', 'expectedVersion'],
      ['a bureau to a negative position', { position: -3 }, 'INVALID_VALUE', 'position'],
      ['a bureau to a huge position', { position: 2_000_000 }, 'INVALID_VALUE', 'position'],
    ]),
    ...rows('archiveUnit', 'of', [
      ['the cabinet, which has active children', { id: CABINET }, 'HAS_ACTIVE_CHILDREN', 'cascade'],
      [
        'the cabinet with cascade but a stale version',
        { id: CABINET, cascade: true, expectedVersion: 0 },
        'CONFLICT',
        'expectedVersion',
      ],
      ['a bureau at a stale version', { expectedVersion: 2 }, 'CONFLICT', 'expectedVersion'],
      ['an unknown unit', { id: UNKNOWN_UNIT }, 'NOT_FOUND', 'id'],
      ['a malformed id', { id: '' }, 'NOT_FOUND', 'id'],
    ]),
    ...rows('restoreUnit', 'of', [
      ['an active unit', {}, 'INVALID_VALUE', 'id'],
      ['an unknown unit', { id: UNKNOWN_UNIT }, 'NOT_FOUND', 'id'],
      ['a malformed id', { id: 'bm9wZQ' }, 'NOT_FOUND', 'id'],
    ]),
  ];

  it.each(cases)('$name → $code on $field, nothing written', async (c) => {
    const { res, before, after } = await attempt(c.mutation, c.input, bearer(keys.EDITOR));
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const payload = (res.body.data as Record<string, { unit: unknown; userErrors: unknown[] }>)[
      c.mutation
    ];
    expect(payload.unit).toBeNull();
    expect(payload.userErrors).toEqual([
      { field: ['input', c.field], code: c.code, message: expect.any(String) },
    ]);
    expect(after).toBe(before);
  });
});

describe('what is refused before any resolver runs', () => {
  /** A request that does not fit the schema or the HTTP limits. */
  interface RequestCase {
    name: string;
    query: string;
    variables: Record<string, unknown>;
    status: number;
    code: string;
  }

  const cases: RequestCase[] = [
    {
      name: 'an unknown kind value in variables',
      query: mutation('createUnit'),
      variables: { input: { ...VALID_INPUT.createUnit, kind: 'MINISTRY' } },
      status: 400,
      code: 'BAD_USER_INPUT',
    },
    {
      name: 'an unknown kind value inline',
      query: `mutation { createUnit(input: { slug: "a", name: "A", kind: MINISTRY }) { unit { id } } }`,
      variables: {},
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
    },
    {
      name: 'a missing name',
      query: mutation('createUnit'),
      variables: { input: { slug: 'a', kind: 'BUREAU' } },
      status: 400,
      code: 'BAD_USER_INPUT',
    },
    {
      name: 'a missing expectedVersion',
      query: mutation('updateUnit'),
      variables: { input: { id: ONACVG, name: 'Office' } },
      status: 400,
      code: 'BAD_USER_INPUT',
    },
    {
      name: 'an expectedVersion that is not an integer',
      query: mutation('moveUnit'),
      variables: { input: { id: BUREAU_COM, expectedVersion: 1.5, parentId: SECURITES } },
      status: 400,
      code: 'BAD_USER_INPUT',
    },
    {
      name: 'an unknown input field',
      query: mutation('archiveUnit'),
      variables: { input: { id: BUREAU_COM, expectedVersion: V1, force: true } },
      status: 400,
      code: 'BAD_USER_INPUT',
    },
    {
      name: 'a 200 000-character name, over the body limit',
      query: mutation('createUnit'),
      variables: { input: { ...VALID_INPUT.createUnit, name: 'é'.repeat(200_000) } },
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
  ];

  it.each(cases)('$name → HTTP $status $code, nothing written', async (c) => {
    const before = await databaseFingerprint(gw.db);
    const res = await gw.gql(c.query, c.variables, bearer(keys.EDITOR));
    expect(res.status).toBe(c.status);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0].extensions?.code).toBe(c.code);
    expect(await databaseFingerprint(gw.db)).toBe(before);
  });
});

describe('a maintainer restructures the cabinet', () => {
  const HISTORY = `query($id: ID!) {
    unit(id: $id) {
      version archivedAt
      history { nodes { operation version changedFields { field before after } } }
    }
  }`;
  const AUDIT = `query($filter: AuditLogFilter) {
    auditLog(filter: $filter, first: 50) {
      totalCount
      nodes { entityType entityId operation version actor }
    }
  }`;

  let bureau: string;
  let pole: string;

  /** Runs a unit mutation as the EDITOR key and returns its unit; fails on any error. */
  async function write(name: UnitMutation, input: Record<string, unknown>) {
    const res = await gw.gql(mutation(name), { input }, bearer(keys.EDITOR));
    expect(res.body.errors).toBeUndefined();
    const payload = (res.body.data as Record<string, { unit: Unit; userErrors: unknown[] }>)[name];
    expect(payload.userErrors).toEqual([]);
    return payload.unit;
  }

  interface Unit {
    id: string;
    slug: string;
    name: string;
    version: number;
    archivedAt: string | null;
    parent: { id: string } | null;
  }

  async function history(id: string) {
    const res = await gw.gql<{
      unit: {
        version: number;
        archivedAt: string | null;
        history: {
          nodes: Array<{
            operation: string;
            version: number;
            changedFields: Array<{ field: string; before: unknown; after: unknown }>;
          }>;
        };
      };
    }>(HISTORY, { id });
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.unit;
  }

  const changed = (
    fields: Array<{ field: string; before: unknown; after: unknown }>,
    field: string,
  ) => fields.find((f) => f.field === field);

  /** Where a unit shows up for the public: chart, children, lists and search. */
  async function visibility(id: string) {
    const res = await gw.gql<{
      orgChart: { entries: Array<{ unit: { id: string } }> };
      securites: { children: { nodes: Array<{ id: string }> } };
      listed: { nodes: Array<{ id: string }> };
      all: { nodes: Array<{ id: string }> };
      search: { nodes: Array<{ id?: string }> };
      node: { id: string; archivedAt: string | null } | null;
    }>(
      `query($id: ID!, $securites: ID!) {
        orgChart(root: "cabinet-du-prefet-seine-et-marne", maxDepth: 5) { entries { unit { id } } }
        securites: unit(id: $securites) { children(first: 100) { nodes { id } } }
        listed: units(filter: { parentId: $securites }, first: 100) { nodes { id } }
        all: units(filter: { includeArchived: true }, first: 100) { nodes { id } }
        search(query: "planification") { nodes { ... on OrgUnit { id } } }
        node(id: $id) { id ... on OrgUnit { archivedAt } }
      }`,
      { id, securites: SECURITES },
    );
    expect(res.body.errors).toBeUndefined();
    const d = res.body.data!;
    return {
      inChart: d.orgChart.entries.some((e) => e.unit.id === id),
      inChildren: d.securites.children.nodes.some((u) => u.id === id),
      inList: d.listed.nodes.some((u) => u.id === id),
      inListWithArchived: d.all.nodes.some((u) => u.id === id),
      inSearch: d.search.nodes.some((u) => u.id === id),
      byNode: d.node,
    };
  }

  it('creates a bureau under the services of the cabinet', async () => {
    const unit = await write('createUnit', {
      slug: 'bureau-planification-seine-et-marne',
      name: 'Bureau de la planification',
      kind: 'BUREAU',
      parentId: SERVICES,
    });
    bureau = unit.id;
    expect(unit).toMatchObject({ version: 1, archivedAt: null, parent: { id: SERVICES } });
    const h = await history(bureau);
    expect(h.history.nodes.map((n) => [n.operation, n.version])).toEqual([['CREATED', 1]]);
    expect(changed(h.history.nodes[0].changedFields, 'name')).toEqual({
      field: 'name',
      before: null,
      after: 'Bureau de la planification',
    });
  });

  it('renames it', async () => {
    const unit = await write('updateUnit', {
      id: bureau,
      expectedVersion: 1,
      name: 'Bureau de la planification et de la défense civile',
    });
    expect(unit.version).toBe(2);
    const [latest] = (await history(bureau)).history.nodes;
    expect(latest).toEqual({
      operation: 'UPDATED',
      version: 2,
      changedFields: [
        {
          field: 'name',
          before: 'Bureau de la planification',
          after: 'Bureau de la planification et de la défense civile',
        },
      ],
    });
  });

  it('moves it under the direction des sécurités', async () => {
    const unit = await write('moveUnit', { id: bureau, expectedVersion: 2, parentId: SECURITES });
    expect(unit).toMatchObject({ version: 3, parent: { id: SECURITES } });
    const [latest] = (await history(bureau)).history.nodes;
    expect(latest).toMatchObject({ operation: 'MOVED', version: 3 });
    expect(changed(latest.changedFields, 'parentId')).toEqual({
      field: 'parentId',
      before: SERVICES,
      after: SECURITES,
    });
    expect((await visibility(bureau)).inChildren).toBe(true);
  });

  it('gives it a pôle, so that archiving needs cascade', async () => {
    pole = (
      await write('createUnit', {
        slug: 'pole-plans-de-secours-seine-et-marne',
        name: 'Pôle des plans de secours',
        kind: 'SERVICE',
        parentId: bureau,
      })
    ).id;
    const before = await databaseFingerprint(gw.db);
    const res = await gw.gql(
      mutation('archiveUnit'),
      { input: { id: bureau, expectedVersion: 3 } },
      bearer(keys.EDITOR),
    );
    expect(res.body.data).toMatchObject({
      archiveUnit: { unit: null, userErrors: [{ code: 'HAS_ACTIVE_CHILDREN' }] },
    });
    expect(await databaseFingerprint(gw.db)).toBe(before);
  });

  it('archives it with its pôle: they leave the chart, lists and search, not node(id)', async () => {
    expect(await visibility(bureau)).toMatchObject({
      inChart: true,
      inChildren: true,
      inList: true,
      inSearch: true,
    });
    const unit = await write('archiveUnit', { id: bureau, expectedVersion: 3, cascade: true });
    expect(unit.version).toBe(4);
    expect(unit.archivedAt).toEqual(expect.any(String));
    const [latest] = (await history(bureau)).history.nodes;
    expect(latest).toMatchObject({ operation: 'ARCHIVED', version: 4 });
    expect(changed(latest.changedFields, 'archivedAt')).toEqual({
      field: 'archivedAt',
      before: null,
      after: unit.archivedAt,
    });
    expect((await history(pole)).history.nodes.map((n) => [n.operation, n.version])).toEqual([
      ['ARCHIVED', 2],
      ['CREATED', 1],
    ]);
    expect(await visibility(bureau)).toEqual({
      inChart: false,
      inChildren: false,
      inList: false,
      inListWithArchived: true,
      inSearch: false,
      byNode: { id: bureau, archivedAt: unit.archivedAt },
    });
  });

  it('refuses a unit under the archived bureau, and its own move', async () => {
    const before = await databaseFingerprint(gw.db);
    const created = await gw.gql(
      mutation('createUnit'),
      {
        input: { slug: 'cellule-essai', name: 'Cellule', kind: 'SERVICE', parentId: bureau },
      },
      bearer(keys.EDITOR),
    );
    expect(created.body.data).toMatchObject({
      createUnit: { unit: null, userErrors: [{ field: ['input', 'parentId'], code: 'ARCHIVED' }] },
    });
    const moved = await gw.gql(
      mutation('moveUnit'),
      { input: { id: bureau, expectedVersion: 4, parentId: SERVICES } },
      bearer(keys.EDITOR),
    );
    expect(moved.body.data).toMatchObject({
      moveUnit: { unit: null, userErrors: [{ field: ['input', 'id'], code: 'ARCHIVED' }] },
    });
    const restorePole = await gw.gql(
      mutation('restoreUnit'),
      { input: { id: pole, expectedVersion: 2 } },
      bearer(keys.EDITOR),
    );
    expect(restorePole.body.data).toMatchObject({
      restoreUnit: { unit: null, userErrors: [{ field: ['input', 'parentId'], code: 'ARCHIVED' }] },
    });
    expect(await databaseFingerprint(gw.db)).toBe(before);
  });

  it('restores it: it is back in the chart, lists and search', async () => {
    const unit = await write('restoreUnit', { id: bureau, expectedVersion: 4 });
    expect(unit).toMatchObject({ version: 5, archivedAt: null, parent: { id: SECURITES } });
    const h = await history(bureau);
    expect(h.history.nodes.map((n) => [n.operation, n.version])).toEqual([
      ['RESTORED', 5],
      ['ARCHIVED', 4],
      ['MOVED', 3],
      ['UPDATED', 2],
      ['CREATED', 1],
    ]);
    expect(await visibility(bureau)).toMatchObject({
      inChart: true,
      inChildren: true,
      inList: true,
      inSearch: true,
    });
  });

  it('shows every step in the audit log, with the editor key as actor', async () => {
    const actor = `key:${ids.EDITOR}`;
    const res = await gw.gql<{
      auditLog: {
        totalCount: number;
        nodes: Array<{
          entityType: string;
          entityId: string;
          operation: string;
          version: number;
          actor: string;
        }>;
      };
    }>(AUDIT, { filter: { actor } }, bearer(keys.ADMIN));
    expect(res.body.errors).toBeUndefined();
    const log = res.body.data!.auditLog;
    expect(log.nodes.map((n) => [n.entityId, n.operation, n.version])).toEqual([
      [bureau, 'RESTORED', 5],
      [bureau, 'ARCHIVED', 4],
      [pole, 'ARCHIVED', 2],
      [pole, 'CREATED', 1],
      [bureau, 'MOVED', 3],
      [bureau, 'UPDATED', 2],
      [bureau, 'CREATED', 1],
    ]);
    expect(log.totalCount).toBe(7);
    expect(new Set(log.nodes.map((n) => n.actor))).toEqual(new Set([actor]));
    expect(new Set(log.nodes.map((n) => n.entityType))).toEqual(new Set(['OrgUnit']));

    const byRecord = await gw.gql<{ auditLog: { nodes: unknown[] } }>(
      AUDIT,
      { filter: { entityId: bureau, operation: 'ARCHIVED' } },
      bearer(keys.ADMIN),
    );
    expect(byRecord.body.data!.auditLog.nodes).toEqual([
      { entityType: 'OrgUnit', entityId: bureau, operation: 'ARCHIVED', version: 4, actor },
    ]);
  });

  it('every refused write of this file left no entry in the log', async () => {
    const rows: Array<{ actor: string; n: string | number }> = await gw.db.query(
      `SELECT actor, COUNT(*) AS n FROM change_log WHERE actor LIKE 'key:%' GROUP BY actor`,
    );
    expect(rows.map((r) => [r.actor, Number(r.n)])).toEqual([[`key:${ids.EDITOR}`, 7]]);
  });
});
