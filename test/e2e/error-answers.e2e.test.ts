import { databaseFingerprint } from '../helpers/snapshot';
import { LoggedGateway, startLoggedGateway } from '../helpers/logged-gateway';
import { MAX_IDENTICAL_FIELDS } from '../../src/graphql/identical-fields';

/**
 * Error answers that were unclear: persisted queries with a wrong hash or version, validation
 * suggestions in production, the media type of Express's and Apollo's errors, and documents
 * with more identical fields than graphql-js validates. Each gets a stable code, none is logged
 * as unexpected, and the database is unchanged.
 */

interface Answer {
  status: number;
  type: string | null;
  body: {
    data?: unknown;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

/** POSTs `body` (an object is sent as JSON) to `/graphql` of `gw`. */
async function post(
  gw: LoggedGateway,
  body: unknown,
  headers: Record<string, string> = { accept: 'application/graphql-response+json' },
): Promise<Answer> {
  const res = await fetch(gw.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: (await res.json()) as Answer['body'],
  };
}

const unexpected = (gw: LoggedGateway) =>
  gw.records().filter((r) => r.level >= 50 || /unexpected/i.test(r.msg ?? ''));

describe('error answers', () => {
  let dev: LoggedGateway;
  let before: string;
  beforeAll(async () => {
    dev = await startLoggedGateway({}, 'info');
    before = await databaseFingerprint(dev.db);
  });
  afterAll(() => dev.stop());
  beforeEach(() => void (dev.lines.length = 0));

  describe('automatic persisted queries', () => {
    const query = '{ __typename }';
    it.each([
      [
        'a sha256Hash that is not the query’s',
        { version: 1, sha256Hash: 'a'.repeat(64) },
        'BAD_REQUEST',
      ],
      ['a sha256Hash that is no string', { version: 1, sha256Hash: 7 }, 'BAD_REQUEST'],
      [
        'an unknown version',
        { version: 2, sha256Hash: 'a'.repeat(64) },
        'PERSISTED_QUERY_NOT_SUPPORTED',
      ],
      ['no version', { sha256Hash: 'a'.repeat(64) }, 'PERSISTED_QUERY_NOT_SUPPORTED'],
      ['a persistedQuery that is no object', 'v1', 'PERSISTED_QUERY_NOT_SUPPORTED'],
    ])('%s → 400, not logged as unexpected', async (_name, persistedQuery, code) => {
      const res = await post(dev, { query, extensions: { persistedQuery } });
      expect(res.body.errors).toEqual([{ message: expect.any(String), extensions: { code } }]);
      expect(res.status).toBe(400);
      expect(unexpected(dev)).toEqual([]);
    });

    it('still registers and serves a query under its right hash', async () => {
      const { createHash } = await import('node:crypto');
      const persistedQuery = {
        version: 1,
        sha256Hash: createHash('sha256').update(query).digest('hex'),
      };
      const miss = await post(dev, { extensions: { persistedQuery } });
      expect(miss.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect((await post(dev, { query, extensions: { persistedQuery } })).body.data).toEqual({
        __typename: 'Query',
      });
      expect((await post(dev, { extensions: { persistedQuery } })).body.data).toEqual({
        __typename: 'Query',
      });
    });
  });

  describe('identical fields', () => {
    const fields = (n: number, field: string) => Array(n).fill(field).join(' ');
    it.each([
      ['1,001 × __typename', `{ ${fields(1001, '__typename')} }`, 1001],
      ['1,001 × a: __typename', `{ ${fields(1001, 'a: __typename')} }`, 1001],
      [
        `${MAX_IDENTICAL_FIELDS + 1} × __typename`,
        `{ ${fields(MAX_IDENTICAL_FIELDS + 1, '__typename')} }`,
        MAX_IDENTICAL_FIELDS + 1,
      ],
      [
        'two fragments of 400 spread together',
        `{ ...A ...B } fragment A on Query { ${fields(400, '__typename')} } fragment B on Query { ${fields(400, '__typename')} }`,
        800,
      ],
      ['nested, in a connection', `{ units(first: 1) { nodes { ${fields(900, 'id')} } } }`, 900],
    ])('%s → 400 QUERY_TOO_MANY_FIELDS with the count and the limit', async (_name, doc, n) => {
      const res = await post(dev, { query: doc });
      expect(res.body.errors).toEqual([
        {
          message: expect.stringMatching(/identical fields/),
          extensions: { code: 'QUERY_TOO_MANY_FIELDS', fields: n, limit: MAX_IDENTICAL_FIELDS },
        },
      ]);
      expect(res.status).toBe(400);
      expect(unexpected(dev)).toEqual([]);
    });

    it(`accepts ${MAX_IDENTICAL_FIELDS}, the limit`, async () => {
      const res = await post(dev, { query: `{ ${fields(MAX_IDENTICAL_FIELDS, '__typename')} }` });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toEqual({ __typename: 'Query' });
    });
  });

  describe('media types', () => {
    const GRAPHQL = 'application/graphql-response+json; charset=utf-8';
    const JSON_TYPE = 'application/json; charset=utf-8';
    const accepts: Array<[string, Record<string, string>, string]> = [
      ['graphql-response+json', { accept: 'application/graphql-response+json' }, GRAPHQL],
      ['application/json', { accept: 'application/json' }, JSON_TYPE],
      [
        'both, graphql-response+json first',
        { accept: 'application/graphql-response+json, application/json' },
        GRAPHQL,
      ],
      [
        'both, json preferred',
        { accept: 'application/graphql-response+json;q=0.5, application/json' },
        JSON_TYPE,
      ],
      ['anything', { accept: '*/*' }, JSON_TYPE],
      ['no Accept', {}, JSON_TYPE],
    ];
    /** Each error class, from Express and from Apollo, and its status. */
    const classes: Array<[string, (h: Record<string, string>) => Promise<Answer>, number]> = [
      ['bad JSON (Express)', (h) => post(dev, '{"query": ', h), 400],
      [
        'body too large (Express)',
        (h) => post(dev, { query: `{ __typename } # ${'x'.repeat(200_000)}` }, h),
        413,
      ],
      [
        'unsupported charset (Express)',
        (h) =>
          post(dev, '{"query":"{ __typename }"}', {
            ...h,
            'content-type': 'application/json; charset=latin1',
          }),
        415,
      ],
      [
        'unknown route (Express)',
        async (h) => {
          const res = await fetch(`${dev.origin}/nowhere`, { headers: h });
          return {
            status: res.status,
            type: res.headers.get('content-type'),
            body: (await res.json()) as Answer['body'],
          };
        },
        404,
      ],
      ['syntax error (Apollo)', (h) => post(dev, { query: '{' }, h), 400],
      ['validation error (Apollo)', (h) => post(dev, { query: '{ nothing }' }, h), 400],
      ['no query (Apollo)', (h) => post(dev, {}, h), 400],
    ];
    for (const [name, send, status] of classes) {
      it.each(accepts)(`${name}, Accept: %s`, async (_accept, headers, type) => {
        const res = await send(headers);
        expect(res.status).toBe(status);
        expect(res.body.errors?.[0].extensions?.code).toEqual(expect.any(String));
        expect(res.type).toBe(type);
      });
    }
  });

  it('changed nothing in the database', async () => {
    expect(await databaseFingerprint(dev.db)).toBe(before);
  });
});

describe('validation suggestions', () => {
  const cases: Array<[string, string, Record<string, unknown>]> = [
    ['a field', '{ unitz { totalCount } }', {}],
    ['a field of a type', '{ units { totalCont } }', {}],
    ['an argument', '{ units(firts: 1) { totalCount } }', {}],
    ['a type', 'query($f: OrgUnitFiltr) { units(filter: $f) { totalCount } }', {}],
    ['an enum value', '{ units(filter: { kind: CABINT }) { totalCount } }', {}],
    ['an input field', '{ units(filter: { kindd: CABINET }) { totalCount } }', {}],
    [
      'an enum value in a variable',
      'query($k: OrgUnitKind) { units(filter: { kind: $k }) { totalCount } }',
      { k: 'CABINT' },
    ],
    [
      'an input field in a variable',
      'query($f: OrgUnitFilter) { units(filter: $f) { totalCount } }',
      { f: { kindd: 'CABINET' } },
    ],
  ];
  let dev: LoggedGateway;
  let prod: LoggedGateway;
  beforeAll(async () => {
    [dev, prod] = await Promise.all([
      startLoggedGateway({}, 'info'),
      startLoggedGateway({ NODE_ENV: 'production' }, 'info'),
    ]);
  });
  afterAll(() => Promise.all([dev.stop(), prod.stop()]));

  it.each(cases)(
    'for %s: given in development, none in production',
    async (_n, query, variables) => {
      const [inDev, inProd] = await Promise.all([
        post(dev, { query, variables }),
        post(prod, { query, variables }),
      ]);
      expect(inDev.body.errors?.[0].message).toMatch(/Did you mean/);
      const message = inProd.body.errors?.[0].message;
      expect(message).toEqual(inDev.body.errors?.[0].message.replace(/ Did you mean [^?]*\?/, ''));
      expect(message).not.toMatch(/Did you mean|"(unit|units|totalCount|first|kind)"/);
      expect(inProd.status).toBe(400);
    },
  );
});
