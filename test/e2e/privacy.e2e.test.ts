import { startTestGateway, TestGateway } from '../helpers/gateway';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';
import { anonymous, Principal } from '../../src/graphql/principal';
import { Person } from '../../src/modules/person/person.entity';
import { ChangeEntry } from '../../src/modules/changelog/change-entry.entity';
import { toApiEntry } from '../../src/modules/changelog/change-log.queries';
import type { Context } from '../../src/graphql/context';

/**
 * A person's contact details are for AGENT and above. The public gets null and FORBIDDEN on
 * the path, whichever way it reaches a person, and never sees the values anywhere in a
 * response. The audit log is for ADMIN; who wrote an entry is for EDITOR and ADMIN.
 */

// Plainly fake contact details, set by the test: the seeds carry none.
const EMAIL = 'frederic.lavigne@example.invalid';
const PHONE = '+33 0 00 00 00 00';
const OFFICE = 'Bureau 000, adresse fictive';
const SECRETS = [EMAIL, PHONE, OFFICE];

const LAVIGNE = seedUuid('Person', 'frederic-lavigne');
const PERSON_ID = toGlobalId('Person', LAVIGNE);
const DIRECTEUR = 'directeur-cabinet-prefet-seine-et-marne';
const CABINET = 'cabinet-du-prefet-seine-et-marne';
const ACTOR = 'test:privacy';

let gw: TestGateway;
const keys: Partial<Record<Role, string>> = {};
const as = (role: Role | null): Record<string, string> =>
  role ? { authorization: `Bearer ${keys[role]}` } : {};

/** POSTs an operation and returns the status and the response text, unparsed. */
async function rawText(query: string, headers: Record<string, string> = {}) {
  const res = await gw.raw('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables: { id: PERSON_ID } }),
  });
  return { status: res.status, text: await res.text() };
}

/** The value at a response path; undefined when the path does not exist. */
function valueAt(data: unknown, path: Array<string | number>): unknown {
  return path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    data,
  );
}

/** Callers short of a role, by label. */
const ANONYMOUS = ['anonymous', null] as const;

beforeAll(async () => {
  gw = await startTestGateway();
  for (const role of [Role.AGENT, Role.EDITOR, Role.ADMIN, Role.SYNC]) {
    keys[role] = (await gw.auth.keys.create(`privacy ${role}`, role)).key;
  }
  const seeded = await gw.db.getRepository(Person).findOneByOrFail({ uuid: LAVIGNE });
  expect([seeded.email, seeded.phone, seeded.office]).toEqual([null, null, null]);
  // Note: written through the RecordWriter, the one write path of every service, so that the
  // change log holds an entry with the private fields as a person mutation will write it.
  await gw.db.transaction((em) =>
    gw.services.writer.update(
      { em, actor: ACTOR },
      Person,
      LAVIGNE,
      { email: EMAIL, phone: PHONE, office: OFFICE },
      null,
    ),
  );
});

afterAll(() => gw?.stop());

describe('an anonymous caller never receives contact details', () => {
  const CONTACT = 'email phone office';
  /** Every public way to reach Frédéric Lavigne, and the paths of his private fields. */
  const routes: Array<{ name: string; query: string; paths: Array<Array<string | number>> }> = [
    {
      name: 'person(id)',
      query: `query($id: ID!) { person(id: $id) { displayName ${CONTACT} } }`,
      paths: [
        ['person', 'email'],
        ['person', 'phone'],
        ['person', 'office'],
      ],
    },
    {
      name: 'node(id) with ... on Person',
      query: `query($id: ID!) { node(id: $id) { id ... on Person { ${CONTACT} } } }`,
      paths: [
        ['node', 'email'],
        ['node', 'phone'],
        ['node', 'office'],
      ],
    },
    {
      name: 'nodes(ids) with a named fragment',
      query: `query($id: ID!) { nodes(ids: [$id]) { ...Contact } }
        fragment Contact on Person { ${CONTACT} }`,
      paths: [
        ['nodes', 0, 'email'],
        ['nodes', 0, 'phone'],
        ['nodes', 0, 'office'],
      ],
    },
    {
      name: 'search with fragments on the union',
      query: `query { search(query: "Lavigne") {
        nodes { __typename ... on Person { displayName ...Contact } ... on Post { title } }
      } }
      fragment Contact on Person { ${CONTACT} }`,
      paths: [
        ['search', 'nodes', 0, 'email'],
        ['search', 'nodes', 0, 'phone'],
        ['search', 'nodes', 0, 'office'],
      ],
    },
    {
      name: 'post { holder } and post { appointments { person } }',
      query: `query { post(slug: "${DIRECTEUR}") {
        holder { email }
        appointments { person { e: email p: phone } }
      } }`,
      paths: [
        ['post', 'holder', 'email'],
        ['post', 'appointments', 0, 'person', 'e'],
        ['post', 'appointments', 0, 'person', 'p'],
      ],
    },
    {
      name: 'people',
      query: `query { people(first: 100) { nodes { ${CONTACT} } edges { node { office } } } }`,
      paths: [
        ['people', 'nodes', 0, 'email'],
        ['people', 'nodes', 0, 'phone'],
        ['people', 'nodes', 0, 'office'],
        ['people', 'edges', 0, 'node', 'office'],
      ],
    },
    {
      name: 'unit { posts { holder } } and unit { head { holder } }',
      query: `query { unit(slug: "${CABINET}") {
        posts { holder { phone } }
        head { holder { ... on Person { office } } }
      } }`,
      paths: [
        ['unit', 'posts', 0, 'holder', 'phone'],
        ['unit', 'head', 'holder', 'office'],
      ],
    },
    {
      name: 'history of the post and of its unit',
      query: `query { post(slug: "${DIRECTEUR}") {
        history { nodes { changedFields { field before after } } }
        unit { history { nodes { changedFields { field before after } } } }
      } }`,
      paths: [],
    },
  ];

  it.each(routes)('through $name: nulls, FORBIDDEN on the paths, no value', async (r) => {
    const { status, text } = await rawText(r.query);
    expect(status).toBe(200);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const body = JSON.parse(text) as {
      data: unknown;
      errors?: Array<{ path: Array<string | number>; extensions: { code: string } }>;
    };
    const errors = body.errors ?? [];
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(r.paths));
    expect(errors).toHaveLength(r.paths.length);
    expect(errors.map((e) => e.extensions.code)).toEqual(r.paths.map(() => 'FORBIDDEN'));
    for (const p of r.paths) expect(valueAt(body.data, p)).toBeNull();
  });

  it('a person history entry keeps contact details from the public and SYNC', async () => {
    // Note: no public field reads a person's history yet, so the filter that guards it is
    // checked on the stored entry, as every history and audit field shapes it.
    const row = await gw.db
      .getRepository(ChangeEntry)
      .findOneByOrFail({ entityId: LAVIGNE, actor: ACTOR });
    expect(Object.keys(row.changes).sort()).toEqual(['email', 'office', 'phone']);
    const fieldsFor = (principal: Principal) =>
      toApiEntry({ principal } as Context, row).changedFields.map((f) => f.field);
    const key = (role: Role): Principal => ({ ...anonymous('test'), kind: 'key', role });
    expect(fieldsFor(anonymous('test'))).toEqual([]);
    expect(fieldsFor(key(Role.SYNC))).toEqual([]);
    expect(fieldsFor(key(Role.AGENT)).sort()).toEqual(['email', 'office', 'phone']);
  });
});

describe('who reads contact details', () => {
  const QUERY = `query($id: ID!) { person(id: $id) { email phone office } }`;

  it.each([Role.AGENT, Role.EDITOR, Role.ADMIN])('%s reads them', async (role) => {
    const res = await gw.gql(QUERY, { id: PERSON_ID }, as(role));
    expect(res.body).toEqual({
      data: { person: { email: EMAIL, phone: PHONE, office: OFFICE } },
      extensions: expect.any(Object),
    });
  });

  it('SYNC does not', async () => {
    const { text } = await rawText(QUERY, as(Role.SYNC));
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const body = JSON.parse(text);
    expect(body.data).toEqual({ person: { email: null, phone: null, office: null } });
    expect(body.errors.map((e: { path: string[] }) => e.path)).toEqual([
      ['person', 'email'],
      ['person', 'phone'],
      ['person', 'office'],
    ]);
  });

  it('ADMIN reads them in the audit log too', async () => {
    const res = await gw.gql<{
      auditLog: { nodes: Array<{ changedFields: Array<{ field: string; after: unknown }> }> };
    }>(
      `query($actor: String) { auditLog(filter: { actor: $actor }) {
        nodes { changedFields { field after } }
      } }`,
      { actor: ACTOR },
      as(Role.ADMIN),
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.auditLog.nodes).toHaveLength(1);
    expect(res.body.data!.auditLog.nodes[0].changedFields).toEqual(
      expect.arrayContaining([
        { field: 'email', after: EMAIL },
        { field: 'phone', after: PHONE },
        { field: 'office', after: OFFICE },
      ]),
    );
  });
});

describe('the audit log and the actors of history', () => {
  const AUDIT = '{ auditLog(first: 5) { totalCount nodes { operation actor } } }';
  const ACTORS = `{ unit(slug: "${CABINET}") { history { nodes { operation actor } } } }`;

  const shortOfAdmin = [
    ANONYMOUS,
    ...[Role.AGENT, Role.EDITOR, Role.SYNC].map((r) => [r, r] as const),
  ];
  it.each(shortOfAdmin)(
    'auditLog is refused to %s: no data, FORBIDDEN on the field',
    async (_label, role) => {
      const { status, text } = await rawText(AUDIT, as(role));
      expect(status).toBe(200);
      const body = JSON.parse(text);
      expect(body.data).toBeNull();
      // Note: the auth checker answers UNAUTHENTICATED to anonymous callers on mutations only;
      // on a query every caller short of the role, anonymous ones included, gets FORBIDDEN.
      expect(body.errors).toEqual([
        expect.objectContaining({ path: ['auditLog'], extensions: { code: 'FORBIDDEN' } }),
      ]);
    },
  );

  it('auditLog is open to ADMIN, with actors', async () => {
    const res = await gw.gql<{ auditLog: { totalCount: number; nodes: Array<{ actor: string }> } }>(
      AUDIT,
      {},
      as(Role.ADMIN),
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.auditLog.totalCount).toBeGreaterThan(1);
    expect(res.body.data!.auditLog.nodes[0].actor).toBe(ACTOR);
  });

  it.each([ANONYMOUS, [Role.AGENT, Role.AGENT] as const, [Role.SYNC, Role.SYNC] as const])(
    'ChangeLogEntry.actor is null for %s, with FORBIDDEN on each path',
    async (_label, role) => {
      const { text } = await rawText(ACTORS, as(role));
      expect(text).not.toContain('seed:');
      const body = JSON.parse(text);
      const nodes = body.data.unit.history.nodes as Array<{ operation: string; actor: null }>;
      expect(nodes.length).toBeGreaterThan(0);
      expect(nodes.every((n) => n.operation && n.actor === null)).toBe(true);
      expect(body.errors).toEqual(
        nodes.map((_, i) =>
          expect.objectContaining({
            path: ['unit', 'history', 'nodes', i, 'actor'],
            extensions: { code: 'FORBIDDEN' },
          }),
        ),
      );
    },
  );

  it.each([Role.EDITOR, Role.ADMIN])('ChangeLogEntry.actor is visible to %s', async (role) => {
    const res = await gw.gql<{
      unit: { history: { nodes: Array<{ operation: string; actor: string }> } };
    }>(ACTORS, {}, as(role));
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.unit.history.nodes).toEqual([
      { operation: 'CREATED', actor: expect.stringMatching(/^seed:.+\.yaml$/) },
    ]);
  });
});
