import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startTestGateway, TestGateway } from '../helpers/gateway';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const OPERATIONS = path.join(__dirname, '..', '..', 'schema', 'operations');
const BUILT = path.join(__dirname, '..', '..', 'dist', 'explorer');

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | null): Record<string, string> {
  return Object.fromEntries(
    (header ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values.join(' ')]),
  );
}

/** Every absolute URL of a text that a browser would fetch: src, href, url() and @import. */
const fetchedUrls = (text: string) =>
  [
    ...text.matchAll(
      /(?:src|href)\s*=\s*["']?(https?:)?\/\/[^"'\s>]+|url\(\s*["']?(?:https?:)?\/\/[^)]+\)|@import/gi,
    ),
  ].map((m) => m[0]);

describe('the explorers outside production (EXPLORER=sandbox, the default)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.stop());

  it('serves Apollo Sandbox to a browser at / and /graphql, with a link to GraphiQL', async () => {
    for (const at of ['/', '/graphql']) {
      const res = await gw.raw(at, { headers: HTML });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('embeddable-sandbox.cdn.apollographql.com');
      expect(html).toContain('<a href="/graphiql">');
      // The message shown when the Sandbox cannot load, hidden until then.
      expect(html).toMatch(/<div id="offline" role="alert" hidden>[\s\S]*href="\/graphiql"/);
      // No web font, favicon or style from elsewhere: the Sandbox's script only.
      expect(fetchedUrls(html)).toEqual([
        expect.stringContaining('https://embeddable-sandbox.cdn.apollographql.com/v2/'),
      ]);
    }
  });

  it('opens the Sandbox on the first example operation, OrgChart, with its variables', async () => {
    const html = await (await gw.raw('/', { headers: HTML })).text();
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    const config = JSON.parse(/var config = (.*);/.exec(script)![1]);
    const orgChart = fs.readFileSync(path.join(OPERATIONS, 'org-chart.graphql'), 'utf8');
    expect(config.initialState).toEqual({
      document: orgChart,
      variables: { root: 'prefecture-seine-et-marne', maxDepth: 2 },
      includeCookies: false,
    });
    expect(config.runTelemetry).toBe(false);
  });

  it('lets in Apollo’s CDN and iframe only, and only the page’s own inline script', async () => {
    const res = await gw.raw('/', { headers: HTML });
    const html = await res.text();
    const csp = directives(res.headers.get('content-security-policy'));
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    const hash = createHash('sha256').update(script).digest('base64');
    expect(csp['default-src']).toBe("'self'");
    expect(csp['script-src']).toBe(
      `'self' 'sha256-${hash}' https://embeddable-sandbox.cdn.apollographql.com`,
    );
    expect(csp['frame-src']).toBe('https://sandbox.embed.apollographql.com');
    expect(csp['connect-src']).toBeUndefined();
    expect(res.headers.get('vary')).toMatch(/accept/i);
  });

  it('still answers GraphQL at / and /graphql to other clients', async () => {
    for (const at of ['/', '/graphql']) {
      const res = await gw.raw(`${at}?query=${encodeURIComponent('{ __typename }')}`, {
        headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ data: { __typename: 'Query' } });
    }
  });

  it('serves GraphiQL at /graphiql with a policy that allows this origin only', async () => {
    const res = await gw.raw('/graphiql', { headers: HTML });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp).toEqual({
      'default-src': "'self'",
      'base-uri': "'self'",
      'form-action': "'self'",
      'frame-ancestors': "'self'",
      'object-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self' 'unsafe-inline'",
      'font-src': "'self' data:",
      'img-src': "'self' data:",
      'worker-src': "'self'",
      'connect-src': "'self'",
    });
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/graphiql/graphiql.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/graphiql/graphiql.css">');
    expect(fetchedUrls(html)).toEqual([]);
  });

  it('serves GraphiQL’s script, styles, chunks and Monaco’s workers from the gateway', async () => {
    for (const file of ['graphiql.js', 'editor.worker.js', 'json.worker.js', 'graphql.worker.js']) {
      const res = await gw.raw(`/graphiql/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('etag')).toBeTruthy();
    }
    const css = await gw.raw('/graphiql/graphiql.css', { headers: { 'accept-encoding': 'gzip' } });
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.headers.get('content-encoding')).toBe('gzip');
    const chunk = fs.readdirSync(path.join(BUILT, 'chunks'))[0];
    const res = await gw.raw(`/graphiql/chunks/${chunk}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('builds styles that fetch nothing from another origin: fonts are inlined', () => {
    const css = fs.readFileSync(path.join(BUILT, 'graphiql.css'), 'utf8');
    expect(css).toMatch(/@font-face/);
    expect(fetchedUrls(css)).toEqual([]);
    for (const [, url] of css.matchAll(/url\(\s*["']?([^)"']*)/g)) expect(url).toMatch(/^data:/);
  });

  it('bundles every example operation of schema/operations, in the tabs’ order', () => {
    const examples = JSON.parse(fs.readFileSync(path.join(BUILT, 'examples.json'), 'utf8'));
    const files = fs.readdirSync(OPERATIONS).filter((f) => f.endsWith('.graphql'));
    expect(examples).toHaveLength(files.length);
    expect(examples.slice(0, 3).map((e: { name: string }) => e.name)).toEqual([
      'OrgChart',
      'TopUnits',
      'UnitCard',
    ]);
    // Every operation that needs a variable has one to run on the seed.
    for (const example of examples)
      if (/\(\s*\$\w+:\s*[^)]*!/.test(example.query)) expect(example.variables).toBeDefined();
  });
});

describe('EXPLORER=graphiql outside production', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ EXPLORER: 'graphiql' });
  });
  afterAll(() => gw.stop());

  it('gives a browser at / a landing page linking to GraphiQL, and no Sandbox', async () => {
    const res = await gw.raw('/', { headers: HTML });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toMatch(/sandbox/i);
    expect(html).toContain('<a href="/graphiql">GraphiQL</a>');
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp['default-src']).toBe("'self'");
    expect(csp['script-src']).toBeUndefined();
    expect((await gw.raw('/graphiql')).status).toBe(200);
  });
});

describe('the explorers in production', () => {
  let gw: TestGateway;
  let off: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ NODE_ENV: 'production' });
    off = await startTestGateway({ NODE_ENV: 'production', EXPLORER: 'off' });
  });
  afterAll(() => Promise.all([gw?.stop(), off?.stop()]));

  it('gives a browser at / a page saying what this is, with its links, GraphiQL included', async () => {
    const res = await gw.raw('/', { headers: HTML });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('API GraphQL');
    for (const link of ['/graphiql', '/organigramme', '/schema.graphql'])
      expect(html).toContain(`<a href="${link}">`);
    expect(html).not.toMatch(/sandbox|apollographql/i);
    expect(fetchedUrls(html)).toEqual([]);
  });

  it('serves GraphiQL by default, since it loads nothing from elsewhere', async () => {
    expect((await gw.raw('/graphiql', { headers: HTML })).status).toBe(200);
    expect((await gw.raw('/graphiql/graphiql.js')).status).toBe(200);
  });

  it('with EXPLORER=off, links to no explorer and serves none', async () => {
    const html = await (await off.raw('/', { headers: HTML })).text();
    expect(html).toContain('<a href="/schema.graphql">');
    expect(html).not.toContain('/graphiql');
    for (const at of ['/graphiql', '/graphiql/graphiql.js']) {
      const res = await off.raw(at, { headers: HTML });
      expect(res.status).toBe(404);
      expect(
        ((await res.json()) as { errors: [{ extensions: { code: string } }] }).errors[0].extensions
          .code,
      ).toBe('NOT_FOUND');
    }
  });
});
