import { startTestGateway, TestGateway } from '../helpers/gateway';

const GRAPHQL_RESPONSE = /^application\/graphql-response\+json; charset=utf-8$/;
const JSON_TYPE = /^application\/json; charset=utf-8$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Apollo's CSRF prevention lets a GET through only with a header no simple form can send. */
const PREFLIGHT = { 'apollo-require-preflight': 'true' };

interface Body {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  extensions?: Record<string, unknown>;
}

/** POSTs a JSON body with the given Accept header (none when undefined). */
function post(gw: TestGateway, body: unknown, accept?: string): Promise<Response> {
  return gw.raw('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) },
    body: JSON.stringify(body),
  });
}

/** GETs /graphql with the operation in the query string. */
function get(
  gw: TestGateway,
  params: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return gw.raw(`/graphql?${new URLSearchParams(params)}`, { headers });
}

const codeOf = async (res: Response) => ((await res.json()) as Body).errors?.[0]?.extensions?.code;

describe('HTTP serving outside production', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.stop());

  describe('service routes', () => {
    it('GET /health answers 200 {status: ok}', async () => {
      const res = await gw.raw('/health');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(JSON_TYPE);
      expect(await res.json()).toEqual({ status: 'ok' });
    });

    it('GET /ready answers 200 once the database answers', async () => {
      const res = await gw.raw('/ready');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ready' });
    });

    it('GET /schema.graphql serves the SDL as text', async () => {
      const res = await gw.raw('/schema.graphql');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8$/);
      const sdl = await res.text();
      expect(sdl).toMatch(/^type Query \{$/m);
      expect(sdl).toContain('interface Node {');
    });

    it('answers an unknown path with a 404 JSON error NOT_FOUND', async () => {
      for (const [method, path] of [
        ['GET', '/nope'],
        ['POST', '/health'],
        ['GET', '/graphql/extra'],
      ]) {
        const res = await gw.raw(path, { method, headers: { accept: 'application/json' } });
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toMatch(JSON_TYPE);
        expect(await res.json()).toEqual({
          errors: [{ message: expect.any(String), extensions: { code: 'NOT_FOUND' } }],
        });
      }
    });

    it('gives a 404 in the media type the client prefers', async () => {
      const res = await gw.raw('/nope', {
        headers: { accept: 'application/graphql-response+json' },
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(GRAPHQL_RESPONSE);
    });

    it('serves Apollo Sandbox to a browser at /', async () => {
      const res = await gw.raw('/', { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toMatch(/^\s*<!DOCTYPE html>/i);
      expect(html).toContain('EmbeddedSandbox');
    });

    it('also answers GraphQL at /', async () => {
      const res = await gw.raw('/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Body).data).toEqual({ __typename: 'Query' });
    });
  });

  describe('headers', () => {
    it('never sends x-powered-by', async () => {
      for (const path of [
        '/health',
        '/graphql?query=%7B__typename%7D',
        '/nope',
        '/schema.graphql',
      ]) {
        const res = await gw.raw(path, { headers: PREFLIGHT });
        expect(res.headers.has('x-powered-by')).toBe(false);
      }
    });

    it('gives every response an x-request-id, echoing a safe incoming one', async () => {
      const fresh = await post(gw, { query: '{ __typename }' });
      expect(fresh.headers.get('x-request-id')).toMatch(UUID);
      const echoed = await post(gw, { query: '{ __typename }' });
      expect(echoed.headers.get('x-request-id')).not.toBe(fresh.headers.get('x-request-id'));
      for (const path of ['/graphql', '/health', '/nope']) {
        const res = await gw.raw(path, {
          method: path === '/graphql' ? 'POST' : 'GET',
          headers: { 'content-type': 'application/json', 'x-request-id': 'trace-42.a_b' },
          body: path === '/graphql' ? JSON.stringify({ query: '{ __typename }' }) : undefined,
        });
        expect(res.headers.get('x-request-id')).toBe('trace-42.a_b');
      }
    });

    it('replaces an unsafe incoming x-request-id', async () => {
      for (const given of ['a b', '<script>', 'x'.repeat(65), 'id\u00e9']) {
        const res = await gw.raw('/health', { headers: { 'x-request-id': encodeURI(given) } });
        expect(res.headers.get('x-request-id')).toMatch(UUID);
      }
    });

    it('reports the SQL statements of a request in extensions and in x-sql-statements', async () => {
      const res = await post(gw, { query: '{ units(first: 2) { totalCount nodes { name } } }' });
      const body = (await res.json()) as Body;
      expect(body.errors).toBeUndefined();
      expect(body.extensions?.sqlStatements).toEqual(expect.any(Number));
      expect(body.extensions!.sqlStatements).toBeGreaterThan(0);
      expect(res.headers.get('x-sql-statements')).toBe(String(body.extensions!.sqlStatements));
    });
  });

  describe('GraphQL over HTTP: POST', () => {
    it('answers application/graphql-response+json when asked, with 400 for a parse error', async () => {
      const ok = await post(gw, { query: '{ __typename }' }, 'application/graphql-response+json');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(GRAPHQL_RESPONSE);
      const bad = await post(gw, { query: '{ __typename' }, 'application/graphql-response+json');
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toMatch(GRAPHQL_RESPONSE);
      expect(await codeOf(bad)).toBe('GRAPHQL_PARSE_FAILED');
    });

    it('answers application/json when asked, and by default', async () => {
      for (const accept of ['application/json', undefined, '*/*']) {
        const ok = await post(gw, { query: '{ __typename }' }, accept);
        expect(ok.status).toBe(200);
        expect(ok.headers.get('content-type')).toMatch(JSON_TYPE);
      }
      // Note: the spec lets application/json answer 200 here; Apollo answers 400 for both types.
      const bad = await post(gw, { query: '{ __typename' }, 'application/json');
      expect(bad.headers.get('content-type')).toMatch(JSON_TYPE);
      expect(bad.status).toBe(400);
      expect(await codeOf(bad)).toBe('GRAPHQL_PARSE_FAILED');
    });

    it('follows the preference order of the Accept header', async () => {
      const res = await post(
        gw,
        { query: '{ __typename }' },
        'application/json;q=0.5, application/graphql-response+json',
      );
      expect(res.headers.get('content-type')).toMatch(GRAPHQL_RESPONSE);
    });

    it('refuses with 406 a client that accepts neither media type', async () => {
      const res = await post(gw, { query: '{ __typename }' }, 'text/xml');
      expect(res.status).toBe(406);
      expect(await codeOf(res)).toBe('BAD_REQUEST');
    });

    it('gives 400 for a validation error and 200 for a field error with partial data', async () => {
      const invalid = await post(gw, { query: '{ nope }' }, 'application/graphql-response+json');
      expect(invalid.status).toBe(400);
      expect(await codeOf(invalid)).toBe('GRAPHQL_VALIDATION_FAILED');
      const partial = await post(
        gw,
        { query: '{ __typename unit(slug: "onacvg", id: "x") { name } }' },
        'application/graphql-response+json',
      );
      expect(partial.status).toBe(200);
      const body = (await partial.json()) as Body;
      expect(body.data).toEqual({ __typename: 'Query', unit: null });
      expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    });

    it('accepts a charset parameter and null variables, operationName and extensions', async () => {
      const res = await gw.raw('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({
          query: '{ __typename }',
          variables: null,
          operationName: null,
          extensions: null,
        }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Body).data).toEqual({ __typename: 'Query' });
    });

    it('runs the operation that operationName names', async () => {
      const res = await post(gw, {
        query: 'query A { __typename } query B($slug: String!) { unit(slug: $slug) { acronym } }',
        operationName: 'B',
        variables: { slug: 'onacvg' },
      });
      expect(((await res.json()) as Body).data).toEqual({ unit: { acronym: 'ONACVG' } });
    });

    it('refuses other methods with 405 and an Allow header', async () => {
      for (const method of ['PUT', 'DELETE', 'PATCH']) {
        const res = await gw.raw('/graphql', {
          method,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        expect(res.status).toBe(405);
        expect(res.headers.get('allow')).toBe('GET, POST');
        expect(await codeOf(res)).toBe('BAD_REQUEST');
      }
    });
  });

  describe('GraphQL over HTTP: GET', () => {
    it('runs a query given in the query string', async () => {
      const res = await get(gw, { query: '{ __typename }' }, PREFLIGHT);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(JSON_TYPE);
      expect(((await res.json()) as Body).data).toEqual({ __typename: 'Query' });
    });

    it('takes variables as JSON and operationName from the query string', async () => {
      const res = await get(
        gw,
        {
          query: 'query A { __typename } query B($slug: String!) { unit(slug: $slug) { kind } }',
          operationName: 'B',
          variables: JSON.stringify({ slug: 'onacvg' }),
        },
        { ...PREFLIGHT, accept: 'application/graphql-response+json' },
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(GRAPHQL_RESPONSE);
      expect(((await res.json()) as Body).data).toEqual({ unit: { kind: 'OFFICE' } });
    });

    it('answers a GET that carries no credential without a preflight header', async () => {
      const res = await get(gw, { query: '{ __typename }' });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Body).data).toEqual({ __typename: 'Query' });
    });

    it('blocks a GET with a cookie or an Authorization header but no preflight header as a possible CSRF (Apollo)', async () => {
      for (const headers of <Array<Record<string, string>>>[
        { cookie: 'session=1' },
        { authorization: 'Basic dXNlcjpwYXNz' },
        { authorization: 'Negotiate YIIB' },
      ]) {
        const res = await get(gw, { query: '{ __typename }' }, headers);
        expect(res.status).toBe(400);
        expect(await codeOf(res)).toBe('BAD_REQUEST');
      }
    });

    it('never runs a mutation or subscription over GET', async () => {
      const sdl = await (await gw.raw('/schema.graphql')).text();
      // Note: Apollo answers 405 (Allow: POST) to a valid mutation over GET; an operation type
      // that the schema lacks fails validation first.
      for (const [query, rootType] of [
        ['mutation { __typename }', 'Mutation'],
        ['subscription { directoryChanges { sequence } }', 'Subscription'],
      ]) {
        const res = await get(gw, { query }, PREFLIGHT);
        if (rootType === 'Subscription') {
          // Note: subscriptions are served over WebSocket and SSE only, whatever the method.
          expect(res.status).toBe(400);
          expect(await codeOf(res)).toBe('SUBSCRIPTION_OVER_HTTP');
        } else if (new RegExp(`^type ${rootType} \\{$`, 'm').test(sdl)) {
          expect(res.status).toBe(405);
          expect(res.headers.get('allow')).toBe('POST');
          expect(await codeOf(res)).toBe('BAD_REQUEST');
        } else {
          expect(res.status).toBe(400);
          expect(await codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
        }
      }
    });

    it('gives 400 BAD_REQUEST for a GET with no query or with variables that are not JSON', async () => {
      const none = await get(gw, {}, { ...PREFLIGHT, accept: 'application/json' });
      expect(none.status).toBe(400);
      expect(await codeOf(none)).toBe('BAD_REQUEST');
      const vars = await get(gw, { query: '{ __typename }', variables: '{bad' }, PREFLIGHT);
      expect(vars.status).toBe(400);
      expect(await codeOf(vars)).toBe('BAD_REQUEST');
    });
  });

  it('answers introspection outside production', async () => {
    const res = await post(gw, { query: '{ __schema { queryType { name } } }' });
    expect(((await res.json()) as Body).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
  });
});

describe('HTTP serving in production', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ NODE_ENV: 'production' });
  });
  afterAll(() => gw.stop());

  it('refuses introspection as a validation error', async () => {
    for (const query of [
      '{ __schema { queryType { name } } }',
      '{ __type(name: "OrgUnit") { name } }',
    ]) {
      const res = await post(gw, { query }, 'application/graphql-response+json');
      expect(res.status).toBe(400);
      expect(await codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });

  it('still answers __typename and ordinary queries', async () => {
    const res = await post(gw, { query: '{ __typename unit(slug: "onacvg") { acronym } }' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Body).data).toEqual({
      __typename: 'Query',
      unit: { acronym: 'ONACVG' },
    });
  });

  it('serves a browser a landing page, not a GraphQL error, at / and /graphql', async () => {
    for (const path of ['/', '/graphql']) {
      const res = await gw.raw(path, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).not.toMatch(/sandbox/i);
      for (const link of ['/schema.graphql', '/organigramme', '/graphiql'])
        expect(html).toContain(`href="${link}"`);
    }
  });

  it('still refuses with 406 a client that asks for neither JSON nor HTML', async () => {
    // A plain GET carries no credential, so it passes CSRF prevention; it asks for nothing
    // GraphQL can answer.
    const res = await gw.raw('/', { headers: { accept: 'text/plain' } });
    expect(res.status).toBe(406);
    expect(res.headers.get('content-type')).toMatch(JSON_TYPE);
    expect(await res.json()).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('reports no SQL statement count', async () => {
    const res = await post(gw, { query: '{ units(first: 1) { totalCount } }' });
    const body = (await res.json()) as Body;
    expect(body.errors).toBeUndefined();
    expect(body.extensions?.sqlStatements).toBeUndefined();
    expect(res.headers.has('x-sql-statements')).toBe(false);
  });

  it('sends no x-powered-by and still sends x-request-id', async () => {
    const res = await gw.raw('/health');
    expect(res.headers.has('x-powered-by')).toBe(false);
    expect(res.headers.get('x-request-id')).toMatch(UUID);
  });
});
