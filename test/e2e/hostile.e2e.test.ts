import { gzipSync } from 'node:zlib';
import { startTestGateway, TestGateway } from '../helpers/gateway';
import { databaseFingerprint } from '../helpers/snapshot';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';

/** A GraphQL operation, POSTed as JSON. */
interface Operation {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** A raw POST to /graphql: any body, any content type. */
interface RawPost {
  body: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

/** One malformed or hostile request and the answer it must get. */
interface Case {
  name: string;
  request: Operation | RawPost;
  status: number;
  /**
   * `errors[0].extensions.code`, or null when the request must succeed without errors; a list
   * when either of two stable codes is right.
   */
  code: string | string[] | null;
  /** Further `errors[0].extensions` fields: argumentName, measured value and limit. */
  extensions?: Record<string, unknown>;
  /** The expected `data`, when it matters. */
  data?: unknown;
}

/** `open` n times, then `inner`, then `close` n times. */
const nest = (n: number, open: string, inner: string, close: string) =>
  open.repeat(n) + inner + close.repeat(n);

const aliases = (n: number, field: string) =>
  Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ');

const postId = toGlobalId('Post', seedUuid('Post', 'prefet-seine-et-marne'));
const unknownTypeId = Buffer.from(`Secret:${seedUuid('OrgUnit', 'onacvg')}`).toString('base64url');
const cursor = (text: string) => Buffer.from(text).toString('base64url');
const long = 'a'.repeat(10_000);
const CABINET = 'cabinet-du-prefet-seine-et-marne';

/** Search and every text or exact-value filter, fed one hostile string. */
const hostileText = (text: string): Case[] => {
  const s = JSON.stringify(text);
  return [
    {
      name: `search ${s}`,
      request: {
        query: 'query($q: String!) { search(query: $q) { totalCount nodes { __typename } } }',
        variables: { q: text },
      },
      status: 200,
      code: null,
    },
    {
      name: `filters ${s}`,
      request: {
        query: `query($t: String!) {
          units(filter: { text: $t }) { totalCount nodes { id } }
          posts(filter: { text: $t }) { totalCount }
          people(filter: { text: $t, grade: $t }) { totalCount }
          missions(filter: { text: $t }) { totalCount }
          responsibilities(filter: { text: $t, reference: $t }) { totalCount }
          unit(slug: $t) { id }
          post(slug: $t) { id }
        }`,
        variables: { t: text },
      },
      status: 200,
      code: null,
    },
  ];
};

const cases: Case[] = [
  // Depth
  {
    name: 'unit { parent { parent … } } 13 levels deep',
    request: { query: `{ unit(slug: "${CABINET}") ${nest(12, '{ parent ', '{ id }', ' }')} }` },
    status: 400,
    code: 'QUERY_TOO_DEEP',
    extensions: { depth: 14 },
  },
  {
    name: 'children { nodes { children … } } nested connections',
    request: {
      query: `{ units(first: 1) ${nest(6, '{ nodes { children(first: 1) ', '{ totalCount }', ' } }')} }`,
    },
    status: 400,
    code: 'QUERY_TOO_DEEP',
    extensions: { depth: 14 },
  },
  {
    name: 'depth hidden in nested fragments',
    request: {
      query: `{ unit(slug: "${CABINET}") { ...A } }
        fragment A on OrgUnit { parent { parent { parent { ...B } } } }
        fragment B on OrgUnit { parent { parent { parent { ...C } } } }
        fragment C on OrgUnit { parent { parent { parent { ... on OrgUnit { parent { parent { id } } } } } } }`,
    },
    status: 400,
    code: 'QUERY_TOO_DEEP',
    extensions: { depth: 13 },
  },
  {
    name: 'a fragment that spreads itself',
    request: {
      query: `{ unit(slug: "${CABINET}") { ...A } } fragment A on OrgUnit { parent { ...A } }`,
    },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'recursive introspection (fields { type { fields … } })',
    request: {
      query: `{ __schema { types ${nest(4, '{ fields { type { ofType ', '{ name }', ' } } }')} } }`,
    },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'selection sets nested 1,000 levels deep',
    request: { query: `{ unit(slug: "x") ${nest(1000, '{ parent ', '{ id }', ' }')} }` },
    status: 400,
    code: 'QUERY_TOO_DEEP',
    extensions: { depth: 1002 },
  },
  {
    // Note: the recursive-descent parser either runs out of stack (Apollo reports a parse
    // failure) or reaches the token limit first, depending on how far V8 has optimized it.
    name: 'selection sets nested 5,000 levels deep',
    request: { query: `{ unit(slug: "x") ${nest(5000, '{ parent ', '{ id }', ' }')} }` },
    status: 400,
    code: ['GRAPHQL_PARSE_FAILED', 'QUERY_TOO_MANY_TOKENS'],
  },

  // Paging
  ...(
    [
      ['first: 1000', 'first'],
      ['first: -1', 'first'],
      ['last: 101', 'last'],
      ['first: 1, last: 1', 'last'],
      ['after: "not a cursor!"', 'after'],
      [`after: "${cursor('o:-1')}"`, 'after'],
      [`before: "${cursor('SELECT 1')}"`, 'before'],
      [`after: "${'A'.repeat(5000)}"`, 'after'],
    ] as const
  ).map(([args, argumentName]): Case => ({
    name: `units(${args.slice(0, 40)})`,
    request: { query: `{ units(${args}) { totalCount nodes { id } } }` },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName },
    data: null,
  })),
  {
    name: 'children(first: 1000) inside a unit',
    request: { query: `{ unit(slug: "${CABINET}") { children(first: 1000) { totalCount } } }` },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'first' },
    data: { unit: null },
  },
  {
    name: 'search(first: 101)',
    request: { query: '{ search(query: "cabinet", first: 101) { totalCount } }' },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'first' },
  },

  // Cost
  {
    name: 'connections nested three deep with first: 100',
    request: {
      query: `{ units(first: 100) ${nest(2, '{ nodes { children(first: 100) ', '{ nodes { id } }', ' } }')} }`,
    },
    status: 400,
    code: 'QUERY_TOO_COMPLEX',
    extensions: { complexity: 2020301 },
  },
  // Aliases, directives, tokens
  ...[
    'units(first: 100) { nodes { id } }',
    'units { nodes { id name } }',
    'units(first: 0) { totalCount }',
    'search(query: "securite", first: 0) { totalCount }',
    'orgChart { maxDepth }',
    'unit(slug: "onacvg") { id }',
  ].map((field): Case => ({
    name: `300 aliases of ${field}`,
    request: { query: `{ ${aliases(300, field)} }` },
    status: 400,
    code: 'QUERY_TOO_MANY_ALIASES',
    extensions: { aliases: 300 },
  })),
  {
    name: '300 aliases of children(first: 100) inside one unit',
    request: {
      query: `{ unit(slug: "${CABINET}") { ${aliases(300, 'children(first: 100) { nodes { id } }')} } }`,
    },
    status: 400,
    code: 'QUERY_TOO_MANY_ALIASES',
    extensions: { aliases: 300 },
  },
  {
    name: 'aliases hidden in a fragment spread 10 times',
    request: {
      query: `{ ...F ...F ...F ...F ...F ...F ...F ...F ...F ...F }
        fragment F on Query { ${aliases(6, 'units(first: 1) { totalCount }')} }`,
    },
    status: 400,
    code: 'QUERY_TOO_MANY_ALIASES',
    extensions: { aliases: 60 },
  },
  {
    name: '500 aliases of units(first: 100) { nodes { id } }, over the token limit',
    request: { query: `{ ${aliases(500, 'units(first: 100) { nodes { id } }')} }` },
    status: 400,
    code: 'QUERY_TOO_MANY_TOKENS',
    extensions: { limit: 5000 },
  },
  {
    name: '21 directives',
    request: {
      query: `{ ${Array.from({ length: 21 }, (_, i) => `t${i}: __typename @include(if: true)`).join(' ')} }`,
    },
    status: 400,
    code: 'QUERY_TOO_MANY_DIRECTIVES',
    extensions: { directives: 21 },
  },
  {
    name: 'fragments spreading the previous one twice, 40 times over',
    request: {
      query: [
        '{ ...F40 } fragment F0 on Query { __typename }',
        ...Array.from(
          { length: 40 },
          (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`,
        ),
      ].join(' '),
    },
    status: 400,
    code: 'QUERY_TOO_COMPLEX',
    extensions: { selections: 3 * 2 ** 40 - 1, limit: 10_000 },
  },
  {
    name: 'nodes(ids:) with 100 ids and a deep selection',
    request: {
      query: `query($ids: [ID!]!) { nodes(ids: $ids) { ... on OrgUnit { descendants { posts { missions { id } } } } } }`,
      variables: { ids: Array.from({ length: 100 }, () => postId) },
    },
    status: 400,
    code: 'QUERY_TOO_COMPLEX',
  },
  {
    name: 'the same directive twice on one field',
    request: { query: '{ __typename @include(if: true) @include(if: true) }' },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'the same directive repeated 1,000 times, over the token limit',
    request: { query: `{ __typename ${'@include(if: true) '.repeat(1000)}}` },
    status: 400,
    code: 'QUERY_TOO_MANY_TOKENS',
    extensions: { limit: 5000 },
  },

  // Ids
  {
    name: 'node(id:) with garbage',
    request: { query: '{ node(id: "garbage; DROP TABLE org_unit") { id } }' },
    status: 200,
    code: null,
    data: { node: null },
  },
  {
    name: 'node(id:) with the base64 of an unknown type',
    request: { query: `{ node(id: "${unknownTypeId}") { id } }` },
    status: 200,
    code: null,
    data: { node: null },
  },
  {
    name: 'node(id:) 10,000 characters long',
    request: { query: `{ node(id: "${long}") { id } }` },
    status: 200,
    code: null,
    data: { node: null },
  },
  {
    name: 'unit(id:) with the id of a post',
    request: { query: `{ unit(id: "${postId}") { id } }` },
    status: 200,
    code: null,
    data: { unit: null },
  },
  {
    name: 'nodes(ids:) with garbage, unknown and mistyped ids',
    request: { query: `{ nodes(ids: ["", "==", "${unknownTypeId}", "${postId}"]) { id } }` },
    status: 200,
    code: null,
    data: { nodes: [null, null, null, { id: postId }] },
  },
  {
    name: 'units(filter: { parentId: garbage })',
    request: { query: '{ units(filter: { parentId: "garbage" }) { totalCount } }' },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'filter.parentId' },
    data: null,
  },
  {
    name: 'units(filter: { ancestorId: a post id })',
    request: { query: `{ units(filter: { ancestorId: "${postId}" }) { totalCount } }` },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'filter.ancestorId' },
    data: null,
  },
  {
    name: 'nodes(ids:) with 101 ids',
    request: {
      query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      variables: { ids: Array.from({ length: 101 }, () => postId) },
    },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'ids' },
    data: null,
  },
  {
    name: 'unit(id:, slug:) both given',
    request: { query: `{ unit(id: "${postId}", slug: "${CABINET}") { id } }` },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'id' },
    data: { unit: null },
  },
  {
    name: 'unit() with neither id nor slug',
    request: { query: '{ unit { id } }' },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'id' },
    data: { unit: null },
  },

  // SQL and full-text metacharacters
  ...[
    "'; DROP TABLE org_unit; --",
    '" OR 1=1 --',
    "' OR '1'='1",
    '%_\\',
    'NEAR(a b)',
    'title:foo',
    '*',
    '"unbalanced',
    'AND OR NOT',
    'le la de',
    '$1 :name ? @p0',
    'émoji 🏛️ préfète',
    'cabinet) OR (1=1',
  ].flatMap(hostileText),

  // Text arguments
  ...(
    [
      ['search(query: $t) { totalCount }', 'query'],
      ['units(filter: { text: $t }) { totalCount }', 'filter.text'],
      ['people(filter: { grade: $t }) { totalCount }', 'filter.grade'],
      ['responsibilities(filter: { reference: $t }) { totalCount }', 'filter.reference'],
      ['orgChart(root: $t) { maxDepth }', 'root'],
    ] as const
  ).flatMap(([field, argumentName]) =>
    (
      [
        ['a NUL character', 'cabinet\u0000'],
        ['a lone surrogate', '\ud800 cabinet'],
        ['a control character', 'cabinet\u001b'],
      ] as const
    ).map(([what, t]): Case => ({
      name: `${what} in ${argumentName}`,
      request: { query: `query($t: String!) { ${field} }`, variables: { t } },
      status: 200,
      code: 'BAD_USER_INPUT',
      extensions: { argumentName },
      data: null,
    })),
  ),
  {
    name: 'a NUL character in a slug',
    request: { query: 'query($t: String!) { unit(slug: $t) { id } }', variables: { t: '\u0000' } },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'slug' },
    data: { unit: null },
  },
  {
    name: 'search query of 10,000 characters',
    request: { query: `{ search(query: "${long}") { totalCount } }` },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'query', max: 200 },
    data: null,
  },
  {
    name: 'filter.text of 10,000 characters',
    request: { query: `{ units(filter: { text: "${long}" }) { totalCount } }` },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'filter.text', max: 200 },
    data: null,
  },
  {
    name: 'slug of 10,000 characters',
    request: { query: `{ unit(slug: "${long}") { id } }` },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'slug' },
    data: { unit: null },
  },
  {
    name: 'empty search query',
    request: { query: '{ search(query: "") { totalCount } }' },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'query' },
    data: null,
  },
  {
    name: 'whitespace-only search query',
    request: { query: '{ search(query: " \\t\\n ") { totalCount } }' },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'query' },
    data: null,
  },

  // Org chart
  {
    name: 'orgChart(maxDepth: 21)',
    request: { query: '{ orgChart(maxDepth: 21) { maxDepth } }' },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'maxDepth', max: 20 },
    data: null,
  },
  {
    name: 'orgChart(maxDepth: -1)',
    request: { query: '{ orgChart(maxDepth: -1) { maxDepth } }' },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'maxDepth' },
    data: null,
  },
  {
    name: 'orgChart(root:) unknown',
    request: { query: '{ orgChart(root: "nowhere") { maxDepth } }' },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'root' },
    data: null,
  },
  {
    name: 'descendants(maxDepth: 1000)',
    request: { query: `{ unit(slug: "${CABINET}") { descendants(maxDepth: 1000) { id } } }` },
    status: 200,
    code: 'BAD_USER_INPUT',
    extensions: { argumentName: 'maxDepth' },
    data: { unit: null },
  },

  // GraphQL request errors
  {
    name: 'a parse error',
    request: { query: '{ units { ' },
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'an unknown field',
    request: { query: '{ units { nope } }' },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a variable of the wrong type',
    request: {
      query: 'query($n: Int) { units(first: $n) { totalCount } }',
      variables: { n: 'ten' },
    },
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a missing required variable',
    request: { query: 'query($q: String!) { search(query: $q) { totalCount } }' },
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an Int variable out of 32-bit range',
    request: {
      query: 'query($n: Int) { units(first: $n) { totalCount } }',
      variables: { n: 2 ** 40 },
    },
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an unknown operationName',
    request: { query: 'query A { __typename }', operationName: 'B' },
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'two operations and no operationName',
    request: { query: 'query A { __typename } query B { __typename }' },
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'a mutation',
    request: { query: 'mutation { noSuchMutation(id: "x") }' },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a subscription',
    request: { query: 'subscription { units { totalCount } }' },
    status: 400,
    code: 'SUBSCRIPTION_OVER_HTTP',
  },

  // Bodies
  ...(
    [
      ['{bad', 'invalid JSON'],
      ['{"query": "{ __typename }"', 'truncated JSON'],
      ['[{"query": "{ __typename }"}]', 'a batch (JSON array)'],
      ['"{ __typename }"', 'a JSON string'],
      ['42', 'a JSON number'],
      ['null', 'JSON null'],
      ['', 'an empty body'],
      ['{}', 'an empty object'],
      ['{"query": 42}', 'a non-string query'],
      ['{"query": "{ __typename }", "variables": "x"}', 'string variables'],
      ['{"query": "{ __typename }", "extensions": [1]}', 'array extensions'],
      ['{"query": "{ __typename }", "operationName": {}}', 'an object operationName'],
    ] as const
  ).map(([body, what]): Case => ({
    name: `a body with ${what}`,
    request: { body },
    status: 400,
    code: 'BAD_REQUEST',
  })),
  {
    name: 'a body nested 10,000 arrays deep',
    request: {
      body: `{"query": "{ __typename }", "variables": {"a": ${nest(10_000, '[', '1', ']')}}}`,
    },
    status: 200,
    code: null,
    data: { __typename: 'Query' },
  },
  {
    name: 'a text/plain body (CSRF)',
    request: { body: '{"query": "{ __typename }"}', contentType: 'text/plain' },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a form-urlencoded body',
    request: {
      body: 'query=%7B__typename%7D',
      contentType: 'application/x-www-form-urlencoded',
    },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a multipart/form-data body',
    request: {
      body: '--b\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ __typename }\r\n--b--\r\n',
      contentType: 'multipart/form-data; boundary=b',
    },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a text/plain body with a preflight header',
    request: {
      body: '{ __typename }',
      contentType: 'text/plain',
      headers: { 'apollo-require-preflight': 'true' },
    },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'an XML body',
    request: { body: '<query>{ __typename }</query>', contentType: 'application/xml' },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a body over BODY_LIMIT',
    request: { body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(110_000)}` }) },
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'an unsupported charset',
    request: {
      body: '{"query": "{ __typename }"}',
      contentType: 'application/json; charset=ebcdic',
    },
    status: 415,
    code: 'BAD_REQUEST',
  },
  {
    name: 'an unsupported content encoding',
    request: {
      body: '{"query": "{ __typename }"}',
      headers: { 'content-encoding': 'x-compress-me' },
    },
    status: 415,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a corrupt gzip body',
    request: { body: 'not gzip at all', headers: { 'content-encoding': 'gzip' } },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a gzip bomb over BODY_LIMIT',
    request: {
      body: gzipSync(JSON.stringify({ query: `{ __typename } # ${' '.repeat(5_000_000)}` })),
      headers: { 'content-encoding': 'gzip' },
    },
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
];

/**
 * Stack frames, SQL and HTML: what no response may ever show.
 * Note: a frame's path holds no quote, so that the time in `extensions.cost.resetAt` is no frame.
 */
const LEAKS = [/\bat (?:async )?\S+ \(?[^\s()"]+:\d+:\d+\)?/, /SELECT/, /<html/i, /node_modules/];

describe('malformed and hostile requests', () => {
  let gw: TestGateway;
  let before: string;
  const codes: unknown[] = [];
  beforeAll(async () => {
    gw = await startTestGateway();
    before = await databaseFingerprint(gw.db);
  });
  afterAll(() => gw.stop());

  const send = (request: Operation | RawPost) => {
    const raw: RawPost =
      'query' in request ? { body: JSON.stringify(request) } : (request as RawPost);
    return gw.raw('/graphql', {
      method: 'POST',
      headers: {
        'content-type': raw.contentType ?? 'application/json',
        accept: 'application/graphql-response+json',
        ...raw.headers,
      },
      body: raw.body,
    });
  };

  it.each(cases)('$name → $status $code', async ({ request, status, code, extensions, data }) => {
    const res = await send(request);
    const text = await res.text();
    for (const leak of LEAKS) expect(text).not.toMatch(leak);
    expect(res.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    const body = JSON.parse(text) as {
      data?: unknown;
      errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
    };
    codes.push(...(body.errors ?? []).map((e) => e.extensions?.code));
    expect(body.errors?.map((e) => e.extensions?.code) ?? []).not.toContain(
      'INTERNAL_SERVER_ERROR',
    );
    if (code === null) {
      expect(body.errors).toBeUndefined();
    } else {
      expect(body.errors).toEqual(expect.any(Array));
      expect(body.errors![0].message).toEqual(expect.any(String));
      const found = body.errors![0].extensions!;
      if (Array.isArray(code)) expect(code).toContain(found.code);
      expect(found).toMatchObject({ ...(Array.isArray(code) ? {} : { code }), ...extensions });
      // The limit crossed is the configured one, and the measured value is above it.
      const { maxDepth, maxComplexity, maxAliases, maxDirectives, maxTokens } = gw.config.limits;
      if ('depth' in found) expect(found).toMatchObject({ limit: maxDepth });
      if ('complexity' in found) expect(found).toMatchObject({ limit: maxComplexity });
      if ('aliases' in found) expect(found).toMatchObject({ limit: maxAliases });
      if ('directives' in found) expect(found).toMatchObject({ limit: maxDirectives });
      if (found.code === 'QUERY_TOO_MANY_TOKENS') expect(found).toMatchObject({ limit: maxTokens });
      else if (typeof found.limit === 'number') {
        const measured =
          found.depth ?? found.complexity ?? found.selections ?? found.aliases ?? found.directives;
        expect(measured).toBeGreaterThan(found.limit);
      }
    }
    if (data !== undefined) expect(body.data).toEqual(data);
    expect(res.status).toBe(status);
  });

  it('never answered INTERNAL_SERVER_ERROR and left the database byte for byte unchanged', async () => {
    expect(codes.length).toBeGreaterThan(0);
    expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
    expect(await databaseFingerprint(gw.db)).toBe(before);
  });
});
