import http from 'node:http';
import zlib from 'node:zlib';
import { startTestGateway, TestGateway } from '../helpers/gateway';
import { databaseFingerprint } from '../helpers/snapshot';

/** What a widget asks for: the seeded chart, large enough to be compressed. */
const CHART = '{ orgChart(maxDepth: 5) { nodes { id parentId unit { name head { title } } } } }';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent on the wire. */
  wire: Buffer;
}

/** A request through node:http, which leaves the body as it came (fetch would decode it). */
function request(
  gw: TestGateway,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${gw.origin}${path}`,
      { method: body === undefined ? 'GET' : 'POST', headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, wire: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const decode = (raw: Raw): unknown => {
  const encoding = raw.headers['content-encoding'];
  const text =
    encoding === 'br'
      ? zlib.brotliDecompressSync(raw.wire)
      : encoding === 'gzip'
        ? zlib.gunzipSync(raw.wire)
        : raw.wire;
  return JSON.parse(text.toString('utf8'));
};

describe('embedding across origins', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      CORS_ORIGINS: 'https://*.interieur.gouv.fr, http://*.intranet.test:8080, https://a.example',
    });
  });
  afterAll(() => gw.stop());

  const getFrom = (origin: string) =>
    gw.raw(`/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { origin } });

  it('allows the origins that a pattern names, at any depth of labels, and no others', async () => {
    for (const origin of [
      'https://intranet.interieur.gouv.fr',
      'https://dgpn.intranet.interieur.gouv.fr',
      'http://rh.intranet.test:8080',
      'https://a.example',
    ]) {
      const res = await getFrom(origin);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    }
    for (const origin of [
      'https://interieur.gouv.fr',
      'https://evilinterieur.gouv.fr',
      'https://intranet.interieur.gouv.fr.evil.example',
      'http://intranet.interieur.gouv.fr',
      'http://rh.intranet.test:8081',
      'https://b.a.example',
    ]) {
      const res = await getFrom(origin);
      expect(res.headers.has('access-control-allow-origin')).toBe(false);
    }
  });

  it('caches the preflight for two hours and exposes the cache and budget headers', async () => {
    const origin = 'https://intranet.interieur.gouv.fr';
    const preflight = await gw.raw('/graphql', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-max-age')).toBe('7200');
    const exposed = (await getFrom(origin)).headers.get('access-control-expose-headers')!;
    for (const name of [
      'ETag',
      'Cache-Status',
      'Cache-Control',
      'RateLimit-Remaining',
      'Retry-After',
    ])
      expect(exposed.split(',')).toContain(name);
  });

  it('answers a plain cross-origin GET, with no custom header, from the answer cache too', async () => {
    const url = `/graphql?query=${encodeURIComponent(CHART)}`;
    const headers = { origin: 'https://intranet.interieur.gouv.fr' };
    const first = await gw.raw(url, { headers });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toMatch(/^W\/"/);
    const second = await gw.raw(url, { headers });
    expect(second.headers.get('cache-status')).toMatch(/; hit/);
    expect(second.headers.get('access-control-allow-origin')).toBe(headers.origin);
  });

  it('still refuses a GET with a cookie and no preflight header, and never runs a mutation over GET', async () => {
    const before = await databaseFingerprint(gw.db);
    const withCookie = await gw.raw(`/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { cookie: 'sid=1' },
    });
    expect(withCookie.status).toBe(400);
    const mutation =
      'mutation { createUnit(input: { slug: "par-get", name: "Par GET", kind: BUREAU }) { unit { id } } }';
    const res = await gw.raw(`/graphql?query=${encodeURIComponent(mutation)}`);
    expect(res.status).toBe(405);
    expect(
      ((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0],
    ).toMatchObject({ extensions: { code: 'BAD_REQUEST' } });
    expect(await databaseFingerprint(gw.db)).toBe(before);
  });

  it('serves the widget to any page: stable name briefly cached, hashed copy immutable, compressed', async () => {
    const stable = await request(gw, '/widget/annuaire-organigramme.js', {
      origin: 'https://elsewhere.example',
      'accept-encoding': 'gzip',
    });
    expect(stable.status).toBe(200);
    expect(stable.headers['cache-control']).toBe('public, max-age=300');
    expect(stable.headers['access-control-allow-origin']).toBe('*');
    expect(stable.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(stable.headers['content-encoding']).toBe('gzip');
    const script = zlib.gunzipSync(stable.wire);
    expect(stable.wire.length).toBeLessThan(script.length / 2);
    const manifest = JSON.parse(
      (await request(gw, '/widget/manifest.json', {})).wire.toString('utf8'),
    ) as Record<string, string>;
    const hashed = await request(gw, `/widget/${manifest['annuaire-organigramme']}`, {});
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(hashed.wire.equals(script)).toBe(true);
  });

  it('serves the chart page with a same-origin policy that does not upgrade http requests', async () => {
    // On an intranet over plain http, `upgrade-insecure-requests` would send the page's own
    // script requests to https, where nothing answers, and the chart would never draw.
    const res = await gw.raw('/organigramme', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const policy = res.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/script-src 'self'/);
    expect(policy).not.toMatch(/upgrade-insecure-requests/);
  });

  it('compresses GraphQL answers with br or gzip as the client accepts, and not small ones', async () => {
    const body = JSON.stringify({ query: CHART });
    const json = { 'content-type': 'application/json' };
    const plain = await request(gw, '/graphql', json, body);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const expected = (decode(plain) as { data: unknown }).data;
    for (const [accept, encoding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
    ]) {
      const post = await request(gw, '/graphql', { ...json, 'accept-encoding': accept }, body);
      expect(post.headers['content-encoding']).toBe(encoding);
      expect(post.headers.vary).toMatch(/accept-encoding/i);
      expect(post.wire.length).toBeLessThan(plain.wire.length / 2);
      expect((decode(post) as { data: unknown }).data).toEqual(expected);
      const get = await request(gw, `/graphql?query=${encodeURIComponent(CHART)}`, {
        'accept-encoding': accept,
      });
      expect(get.headers['content-encoding']).toBe(encoding);
      expect((decode(get) as { data: unknown }).data).toEqual(expected);
    }
    const small = await request(
      gw,
      '/graphql',
      { ...json, 'accept-encoding': 'br' },
      JSON.stringify({ query: '{ __typename }' }),
    );
    expect(small.headers['content-encoding']).toBeUndefined();
  });
});
