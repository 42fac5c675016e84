import fs from 'node:fs';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { parse } from 'graphql';
import { startTestGateway, TestGateway, GqlResponse } from '../helpers/gateway';
import { databaseFingerprint } from '../helpers/snapshot';
import { WsConnection } from '../helpers/subscription';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Person } from '../../src/modules/person/person.entity';
import { Role } from '../../src/graphql/role';
import { MAX_REPRESENTATIONS } from '../../src/graphql/subgraph';
import { encodeFeedCursor, headSequence } from '../../src/modules/sync/change-feed';

/**
 * FEDERATION=true: the gateway as an Apollo Federation 2 subgraph, composed with a second small
 * subgraph (`sites`, the buildings units sit in) by @apollo/composition and queried across both
 * through @apollo/gateway, in-process; `_entities` called directly; the limits, costs, caches
 * and private-field rules as without federation.
 */

const CABINET_SLUG = 'cabinet-du-prefet-seine-et-marne';
const CABINET = toGlobalId('OrgUnit', seedUuid('OrgUnit', CABINET_SLUG));
const PREFECTURE_SLUG = 'prefecture-seine-et-marne';
const PREFECTURE = toGlobalId('OrgUnit', seedUuid('OrgUnit', PREFECTURE_SLUG));
const LAVIGNE = toGlobalId('Person', seedUuid('Person', 'frederic-lavigne'));
const DIRECTEUR = toGlobalId('Post', seedUuid('Post', 'directeur-cabinet-prefet-seine-et-marne'));
// A well-formed unit id that no record has.
const UNKNOWN_UNIT = toGlobalId('OrgUnit', '00000000-0000-4000-8000-000000000000');
const EMAIL = 'frederic.lavigne@example.invalid';

/** The second subgraph: sites, each occupied by a unit of the directory, with a contact. */
const SITES_SDL = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])

  type Query {
    "Every site."
    sites: [Site!]!
  }

  "A building of the State's territorial administration."
  type Site {
    code: ID!
    address: String!
    "The unit that occupies it, from the directory."
    occupant: OrgUnit!
    "Whom to ask at the reception desk."
    contact: Person
    "The post in charge of the site."
    manager: Post
  }

  type OrgUnit @key(fields: "id") {
    id: ID!
    "The site the unit occupies."
    site: Site
  }

  type Person @key(fields: "id", resolvable: false) {
    id: ID!
  }

  type Post @key(fields: "id", resolvable: false) {
    id: ID!
  }
`);

const SITE = {
  code: 'MELUN-01',
  address: '12 rue des Saints-Pères, 77000 Melun',
  occupant: { id: CABINET },
  contact: { id: LAVIGNE },
  manager: { id: DIRECTEUR },
};

const sitesSchema = buildSubgraphSchema({
  typeDefs: SITES_SDL,
  resolvers: {
    Query: { sites: () => [SITE] },
    OrgUnit: {
      __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
      site: (unit: { id: string }) => (unit.id === CABINET ? SITE : null),
    },
  },
});

let gw: TestGateway;
let sites: ApolloServer;
let supergraph: ApolloServer<{ authorization?: string }>;
let supergraphSdl: string;
let agentKey: string;
let editorKey: string;

/** Runs an operation through the in-process gateway, as a caller with these credentials. */
async function viaGateway(query: string, authorization?: string) {
  const res = await supergraph.executeOperation({ query }, { contextValue: { authorization } });
  if (res.body.kind !== 'single') throw new Error('expected a single result');
  return res.body.singleResult;
}

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on OrgUnit { id name }
    ... on Post { id title }
    ... on Person { id displayName }
  }
}`;

const entities = (representations: unknown, headers?: Record<string, string>) =>
  gw.gql(ENTITIES, { representations }, headers);

const errorOf = (res: GqlResponse) => res.body.errors?.[0];

beforeAll(async () => {
  gw = await startTestGateway({ FEDERATION: 'true' });
  agentKey = (await gw.auth.keys.create('federation agent', Role.AGENT)).key;
  editorKey = (await gw.auth.keys.create('federation editor', Role.EDITOR)).key;
  // Note: the seeds carry no contact details; a private field needs one to be withheld.
  await gw.db.getRepository(Person).update(
    { uuid: seedUuid('Person', 'frederic-lavigne') },
    {
      email: EMAIL,
    },
  );
  sites = new ApolloServer({
    schema: sitesSchema,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url: sitesUrl } = await startStandaloneServer(sites, { listen: { port: 0 } });
  const annuaireSdl = (
    (await gw.gql('{ _service { sdl } }')).body.data as {
      _service: { sdl: string };
    }
  )._service.sdl;
  const composed = composeServices([
    { name: 'annuaire', typeDefs: parse(annuaireSdl), url: gw.url },
    { name: 'sites', typeDefs: SITES_SDL, url: sitesUrl },
  ]);
  expect(composed.errors).toBeUndefined();
  supergraphSdl = composed.supergraphSdl!;
  const gateway = new ApolloGateway({
    supergraphSdl,
    // Note: the caller's credentials go to the subgraphs, as a router forwards headers.
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<{ authorization?: string }>({
        url,
        willSendRequest({ request, context }) {
          if (context.authorization)
            request.http!.headers.set('authorization', `Bearer ${context.authorization}`);
        },
      }),
  });
  supergraph = new ApolloServer({ gateway });
  await supergraph.start();
});

afterAll(async () => {
  await supergraph?.stop();
  await sites?.stop();
  await gw?.stop();
});

describe('composition', () => {
  it('composes the directory with another subgraph, entities keyed by id', () => {
    for (const type of ['OrgUnit', 'Post', 'Person'])
      expect(supergraphSdl).toMatch(
        new RegExp(`type ${type}[^{]*@join__type\\(graph: ANNUAIRE, key: "id"\\)`),
      );
    expect(supergraphSdl).toMatch(/site: Site @join__field\(graph: SITES\)/);
  });

  it('serves the subgraph SDL, with its keys, at /schema.graphql', async () => {
    const text = await (await gw.raw('/schema.graphql')).text();
    expect(text).toContain('@link(url: "https://specs.apollo.dev/federation/v2.5"');
    expect(text.match(/@key\(fields: "id"\)/g)).toHaveLength(3);
  });
});

describe('queries across both subgraphs', () => {
  it('resolves the directory units of the other subgraph through _entities', async () => {
    const result = await viaGateway(
      '{ sites { code occupant { id name acronym parent { name } } manager { title unit { name } } } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      sites: [
        {
          code: 'MELUN-01',
          occupant: {
            id: CABINET,
            name: expect.stringContaining('Cabinet'),
            acronym: null,
            parent: { name: expect.any(String) },
          },
          manager: {
            title: expect.any(String),
            unit: { name: expect.stringContaining('Cabinet') },
          },
        },
      ],
    });
  });

  it("adds the other subgraph's fields to the directory's units", async () => {
    const result = await viaGateway(
      `{ unit(slug: "${CABINET_SLUG}") { name site { code address } }
         other: unit(slug: "${PREFECTURE_SLUG}") { id site { code } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      unit: {
        name: expect.stringContaining('Cabinet'),
        site: { code: SITE.code, address: SITE.address },
      },
      other: { id: PREFECTURE, site: null },
    });
  });

  it("answers the README's example", async () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## As a federated subgraph'));
    const query =
      /and the supergraph answers across both in one query:\s+```graphql\n([\s\S]*?)```/.exec(
        section,
      )![1];
    const result = await viaGateway(query);
    expect(result.errors).toBeUndefined();
    expect(result.data).toMatchObject({
      unit: {
        name: expect.stringContaining('Cabinet'),
        head: { title: expect.any(String) },
        site: { address: SITE.address },
      },
      sites: [
        {
          code: SITE.code,
          occupant: {
            name: expect.stringContaining('Cabinet'),
            parent: { name: expect.any(String) },
          },
        },
      ],
    });
  });

  it('keeps the private-field rules: contact details for AGENT and above only', async () => {
    const query = '{ sites { contact { displayName email } } }';
    const anonymous = await viaGateway(query);
    expect(anonymous.data).toEqual({
      sites: [{ contact: { displayName: expect.any(String), email: null } }],
    });
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(anonymous)).not.toContain(EMAIL);
    const agent = await viaGateway(query, agentKey);
    expect(agent.errors).toBeUndefined();
    expect(agent.data).toEqual({
      sites: [{ contact: { displayName: expect.any(String), email: EMAIL } }],
    });
  });
});

describe('_entities', () => {
  it('loads units, posts and people by representation, in order, null for an unknown id', async () => {
    const res = await entities([
      { __typename: 'Person', id: LAVIGNE },
      { __typename: 'OrgUnit', id: CABINET },
      { __typename: 'OrgUnit', id: UNKNOWN_UNIT },
      { __typename: 'Post', id: DIRECTEUR },
      { __typename: 'OrgUnit', id: PREFECTURE },
    ]);
    expect(res.body.errors).toBeUndefined();
    const got = (res.body.data as { _entities: Array<Record<string, unknown> | null> })._entities;
    expect(got.map((e) => e && [e.__typename, e.id])).toEqual([
      ['Person', LAVIGNE],
      ['OrgUnit', CABINET],
      null,
      ['Post', DIRECTEUR],
      ['OrgUnit', PREFECTURE],
    ]);
    // Through the loaders: one statement per type, whatever the number of representations,
    // beside the answer cache's probe of the change log's head.
    expect(res.body.extensions!.sqlStatements).toBe(3 + 1);
  });

  it('costs its children once per representation, as `nodes` does', async () => {
    const cost = (res: GqlResponse) =>
      (res.body.extensions!.cost as { requested: number }).requested;
    const one = await entities([{ __typename: 'OrgUnit', id: CABINET }]);
    const three = await entities([
      { __typename: 'OrgUnit', id: CABINET },
      { __typename: 'OrgUnit', id: PREFECTURE },
      { __typename: 'Post', id: DIRECTEUR },
    ]);
    // 100 for a root field, 1 for `_entities`, then per representation the costliest fragment
    // (`__typename`, `id` and `name`).
    expect(cost(one)).toBe(100 + 1 + 3);
    expect(cost(three)).toBe(100 + 1 + 3 * 3);
  });

  const hostile: Array<[string, unknown, RegExp, Record<string, unknown>]> = [
    [
      'an unknown __typename',
      [
        { __typename: 'OrgUnit', id: CABINET },
        { __typename: 'Mission', id: CABINET },
      ],
      /^representations\[1\]\.__typename is not an entity type of this subgraph/,
      { index: 1 },
    ],
    [
      'a malformed id',
      [{ __typename: 'OrgUnit', id: 'not an id' }],
      /^representations\[0\]\.id is not a valid OrgUnit id\.$/,
      { index: 0 },
    ],
    [
      'an id of another type',
      [{ __typename: 'OrgUnit', id: DIRECTEUR }],
      /^representations\[0\]\.id is not a valid OrgUnit id\.$/,
      { index: 0 },
    ],
    [
      'a missing id',
      [{ __typename: 'Person' }],
      /^representations\[0\]\.id is not a valid Person id\.$/,
      { index: 0 },
    ],
    [
      'a representation that is no object',
      [CABINET],
      /^representations\[0\] is not an object\.$/,
      { index: 0 },
    ],
    [
      `more than ${MAX_REPRESENTATIONS} representations`,
      Array.from({ length: MAX_REPRESENTATIONS + 1 }, () => ({
        __typename: 'OrgUnit',
        id: CABINET,
      })),
      /^representations holds more than 500 representations\.$/,
      { max: MAX_REPRESENTATIONS },
    ],
  ];

  it.each(hostile)(
    'refuses %s with BAD_USER_INPUT, reading nothing',
    async (_, reps, message, extra) => {
      const before = await databaseFingerprint(gw.db);
      const res = await entities(reps);
      expect(res.status).toBe(200);
      expect(res.body.data).toBeNull();
      expect(res.body.errors).toHaveLength(1);
      const error = errorOf(res)!;
      expect(error.message).toMatch(message);
      expect(error.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        argumentName: 'representations',
        ...extra,
      });
      expect(error.path).toEqual(['_entities']);
      // Refused before the loaders: only the answer cache's version probe reached the database.
      expect(res.body.extensions!.sqlStatements).toBeLessThanOrEqual(1);
      expect(await databaseFingerprint(gw.db)).toBe(before);
    },
  );

  it(`resolves ${MAX_REPRESENTATIONS} representations in one statement`, async () => {
    const reps = Array.from({ length: MAX_REPRESENTATIONS }, (_, i) => ({
      __typename: 'OrgUnit',
      id:
        i % 2
          ? CABINET
          : toGlobalId('OrgUnit', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
    }));
    const res = await entities(reps);
    expect(res.body.errors).toBeUndefined();
    const got = (res.body.data as { _entities: unknown[] })._entities;
    expect(got).toHaveLength(MAX_REPRESENTATIONS);
    expect(got.filter(Boolean)).toHaveLength(MAX_REPRESENTATIONS / 2);
    expect(res.body.extensions!.sqlStatements).toBe(1 + 1);
  });

  it('keeps the private-field rules', async () => {
    const query = `query($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on Person { email } } }`;
    const representations = [{ __typename: 'Person', id: LAVIGNE }];
    const anonymous = await gw.gql(query, { representations });
    expect(anonymous.body.data).toEqual({ _entities: [{ email: null }] });
    expect(anonymous.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([
      ['FORBIDDEN', ['_entities', 0, 'email']],
    ]);
    const agent = await gw.gql(query, { representations }, { authorization: `Bearer ${agentKey}` });
    expect(agent.body).toMatchObject({ data: { _entities: [{ email: EMAIL }] } });
    expect(agent.body.errors).toBeUndefined();
  });

  it('is tagged for the caches like `node`: a write elsewhere keeps its answer, a write of it drops it', async () => {
    const query = `query($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on OrgUnit { name version } } }`;
    const representations = [{ __typename: 'OrgUnit', id: CABINET }];
    const first = await gw.gql(query, { representations });
    expect(first.headers.get('surrogate-key')?.split(' ')).toContain(
      `OrgUnit:${seedUuid('OrgUnit', CABINET_SLUG)}`,
    );
    expect((await gw.gql(query, { representations })).headers.get('cache-status')).toMatch(/hit/);
    const rename = (id: string, expectedVersion: number, name: string) =>
      gw.gql(
        `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { userErrors { code } } }`,
        { input: { id, expectedVersion, name } },
        { authorization: `Bearer ${editorKey}` },
      );
    const elsewhere = toGlobalId(
      'OrgUnit',
      seedUuid('OrgUnit', 'direction-des-securites-seine-et-marne'),
    );
    const versionOf = async (id: string) =>
      (
        (await gw.gql(`{ node(id: "${id}") { ... on OrgUnit { version } } }`)).body.data as {
          node: { version: number };
        }
      ).node.version;
    expect(
      (await rename(elsewhere, await versionOf(elsewhere), 'Direction des sécurités (test)')).body
        .errors,
    ).toBeUndefined();
    const kept = await gw.gql(query, { representations });
    expect(kept.headers.get('cache-status')).toMatch(/hit/);
    const version = (kept.body.data as { _entities: Array<{ version: number }> })._entities[0]
      .version;
    expect((await rename(CABINET, version, 'Cabinet (renommé)')).body.errors).toBeUndefined();
    const renamed = await gw.gql(query, { representations });
    expect(renamed.headers.get('cache-status')).not.toMatch(/hit/);
    expect(renamed.body.data).toEqual({
      _entities: [{ name: 'Cabinet (renommé)', version: version + 1 }],
    });
  });
});

describe('limits and costs under FEDERATION=true', () => {
  let plain: TestGateway;
  beforeAll(async () => {
    plain = await startTestGateway();
  });
  afterAll(() => plain?.stop());

  const requested = (res: GqlResponse) =>
    (res.body.extensions!.cost as { requested: number }).requested;

  it('estimates every operation as the gateway without federation does', async () => {
    const operations = [
      '{ orgChart(maxDepth: 3) { entries { depth unit { name posts { title holder { displayName } } } } } }',
      '{ units(first: 40) { nodes { name children(first: 5) { nodes { name } } posts { title } } } }',
      `{ nodes(ids: ["${CABINET}", "${DIRECTEUR}", "${LAVIGNE}"]) { id } }`,
      `{ unit(slug: "${CABINET_SLUG}") { descendants(maxDepth: 2) { name } history(first: 5) { totalCount } } }`,
      '{ search(query: "cabinet", first: 30) { totalCount nodes { __typename } } }',
      '{ topUnits { name missions { title } responsibilities { title } } }',
    ];
    for (const query of operations) {
      const [federated, unfederated] = [await gw.gql(query), await plain.gql(query)];
      expect(federated.body.errors).toBeUndefined();
      expect(requested(federated)).toBeGreaterThan(0);
      expect([query, requested(federated)]).toEqual([query, requested(unfederated)]);
    }
  });

  it('refuses what costs or nests too much, before it runs', async () => {
    const before = await databaseFingerprint(gw.db);
    const page = (alias: string) =>
      `${alias}: units(first: 100) { nodes { children(first: 20) { nodes { name } } posts { title } } }`;
    const one = await gw.gql(`{ ${page('a')} }`);
    expect(one.body.errors).toBeUndefined();
    expect(requested(one) * 10).toBeGreaterThan(50_000);
    const costly = await gw.gql(
      `{ ${Array.from({ length: 10 }, (_, i) => page(`a${i}`)).join(' ')} }`,
    );
    expect(costly.status).toBe(400);
    expect(errorOf(costly)?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 50_000 });
    const deep = await gw.gql(
      `{ unit(slug: "${CABINET_SLUG}") { ${'parent { '.repeat(12)}name${' }'.repeat(12)} } }`,
    );
    expect(deep.status).toBe(400);
    expect(errorOf(deep)?.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 12 });
    // _entities counts its children once per representation: 100 of these are over the limit.
    const heavy = await gw.gql(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on OrgUnit { children(first: 100) { nodes { name posts { title } } } } } }`,
      {
        representations: Array.from({ length: 100 }, () => ({
          __typename: 'OrgUnit',
          id: CABINET,
        })),
      },
    );
    expect(heavy.status).toBe(400);
    expect(errorOf(heavy)?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(await databaseFingerprint(gw.db)).toBe(before);
  });

  it('adds no inline traces (ftv1), even when a router asks for them', async () => {
    const res = await gw.gql(
      ENTITIES,
      { representations: [{ __typename: 'OrgUnit', id: CABINET }] },
      { 'apollo-federation-include-trace': 'ftv1' },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.extensions).not.toHaveProperty('ftv1');
  });

  it('without FEDERATION, serves neither _service nor _entities', async () => {
    const fields = await plain.gql('{ __type(name: "Query") { fields { name } } }');
    const names = (
      fields.body.data as { __type: { fields: Array<{ name: string }> } }
    ).__type.fields.map((f) => f.name);
    expect(names).toContain('node');
    expect(names.filter((n) => n.startsWith('_'))).toEqual([]);
    for (const query of ['{ _service { sdl } }', ENTITIES]) {
      const res = await plain.gql(query, { representations: [] });
      expect(res.status).toBe(400);
      expect(errorOf(res)?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    const sdl = await (await plain.raw('/schema.graphql')).text();
    expect(sdl).not.toContain('@key');
    expect(sdl).not.toContain('_entities');
  });
});

describe('the rest of the API under FEDERATION=true', () => {
  it('pushes changes to subscribers over WebSocket, as without federation', async () => {
    const ws = await WsConnection.open(gw.url);
    try {
      await ws.acknowledged();
      // Note: from the head's cursor, so that the write below is replayed if it commits before
      // the subscription goes live.
      const after = encodeFeedCursor(await headSequence(gw.db));
      ws.subscribe(
        '1',
        `subscription($after: String) { directoryChanges(after: $after, types: [ORG_UNIT]) {
          operation node { __typename id } } }`,
        { after },
      );
      const unit = toGlobalId(
        'OrgUnit',
        seedUuid('OrgUnit', 'bureau-representation-etat-seine-et-marne'),
      );
      const read = await gw.gql(`{ node(id: "${unit}") { ... on OrgUnit { version } } }`);
      const { version } = (read.body.data as { node: { version: number } }).node;
      const res = await gw.gql(
        `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { userErrors { code } } }`,
        { input: { id: unit, expectedVersion: version, name: 'Bureau (renommé)' } },
        { authorization: `Bearer ${editorKey}` },
      );
      expect(res.body.errors).toBeUndefined();
      await ws.until(() => ws.nexts('1').length > 0);
      expect(ws.nexts('1')[0]).toEqual({
        data: {
          directoryChanges: { operation: 'UPDATED', node: { __typename: 'OrgUnit', id: unit } },
        },
      });
    } finally {
      ws.close();
      await ws.closed;
    }
  });
});
