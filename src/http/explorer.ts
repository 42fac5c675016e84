import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type Request, type Router } from 'express';
import compression from 'compression';
import { DEFAULT_EMBEDDED_SANDBOX_VERSION } from '@apollo/server/plugin/landingPage/default';
import type { Config } from '../config';

/** Where `widget/build-explorer.mjs` writes GraphiQL and the example operations. */
export const EXPLORER_DIR = path.resolve(__dirname, '..', '..', 'dist', 'explorer');

/** The Sandbox's script, from Apollo's CDN, as Apollo's own landing page loads it. */
export const SANDBOX_SCRIPT = `https://embeddable-sandbox.cdn.apollographql.com/${DEFAULT_EMBEDDED_SANDBOX_VERSION}/embeddable-sandbox.umd.production.min.js`;
/** Where the Sandbox's script draws the Sandbox: an iframe of this origin. */
const SANDBOX_FRAME = 'https://sandbox.embed.apollographql.com';

/** Seconds the Sandbox page waits for Apollo's CDN before saying it cannot be reached. */
export const SANDBOX_TIMEOUT_SECONDS = 8;

/** One example operation of schema/operations, as the build wrote it. */
interface Example {
  name: string | null;
  query: string;
  /** JSON text. */
  variables?: string;
}

/** True for the requests a landing page answers: a GET preferring HTML (a browser's). */
export function asksForLandingPage(req: Request): boolean {
  return (
    req.method === 'GET' &&
    req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) ===
      'text/html'
  );
}

/** A Content-Security-Policy: nothing from anywhere but this origin, unless `extra` says so. */
function policy(extra: Record<string, string> = {}): string {
  const directives: Record<string, string> = {
    'default-src': "'self'",
    'base-uri': "'self'",
    'form-action': "'self'",
    'frame-ancestors': "'self'",
    'object-src': "'none'",
    ...extra,
  };
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

/** The CSP source of an inline script or style: its hash, so the page needs no nonce. */
const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** JSON safe inside a `<script>` element. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

const STYLE = `
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #161616; line-height: 1.5; }
  main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem; }
  h1 { font-size: 1.5rem; margin: 0 0 1rem; }
  a { color: #000091; }
  a:focus-visible { outline: 2px solid #0a76f6; outline-offset: 2px; }
  code { font-size: 0.95em; }
  li { margin: 0.5rem 0; }
`;
const STYLE_HASH = hashOf(STYLE);
/** The Sandbox page's layout: a bar, and the Sandbox below it. */
const SANDBOX_STYLE = `
  body { display: flex; flex-direction: column; height: 100vh; }
  .bar { display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; align-items: center; min-height: 2.75rem; box-sizing: border-box; padding: 0.25rem 1rem; border-bottom: 1px solid #ddd; }
  .bar h1 { font-size: 1rem; margin: 0; }
  #sandbox { flex: 1; min-height: 0; }
  #sandbox iframe { width: 100%; height: 100%; border: 0; }
  #offline { margin: 1.5rem 1rem; padding: 1rem; max-width: 46rem; border-left: 4px solid #b34000; background: #fff4f3; }
`;

/** The HTML around a page's body. */
const html = (title: string, body: string, head = '') => `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
${head}</head>
<body>
${body}
</body>
</html>
`;

const TITLE = 'Annuaire de l’administration territoriale de l’État';

/** A browser's page at `/` outside `sandbox` mode: what this is, and where to go. */
function landingPage(graphiql: boolean): string {
  const explorer = graphiql
    ? `<li><a href="/graphiql">GraphiQL</a> : explorer le schéma et exécuter les opérations d’exemple, dans ce navigateur, sans rien charger d’une autre adresse.</li>\n`
    : '';
  return html(
    `${TITLE} — API GraphQL`,
    `<main>
<h1>${TITLE}</h1>
<p>Cette adresse sert une API GraphQL : les unités, les postes et leurs titulaires, les missions et les sources de l’annuaire. Les applications l’interrogent en <code>POST</code> (ou en <code>GET</code> pour une requête) sur <code>/graphql</code>.</p>
<ul>
${explorer}<li><a href="/organigramme">Organigramme</a> : l’organigramme de l’annuaire, à parcourir.</li>
<li><a href="/schema.graphql">Schéma</a> : le schéma GraphQL (SDL), chaque type et chaque champ décrits.</li>
</ul>
</main>`,
  );
}

/**
 * Apollo Sandbox embedded as Apollo's own landing page embeds it, with the first example
 * operation open, under a bar linking to GraphiQL. Its script comes from Apollo's CDN: when it
 * fails to load, or has not loaded after {@link SANDBOX_TIMEOUT_SECONDS}, the page says so and
 * points to GraphiQL.
 */
function sandboxPage(example: Example | undefined): { html: string; script: string } {
  const config = {
    target: '#sandbox',
    initialState: {
      ...(example
        ? { document: example.query, variables: JSON.parse(example.variables ?? '{}') }
        : {}),
      includeCookies: false,
    },
    hideCookieToggle: false,
    endpointIsEditable: false,
    runTelemetry: false,
    allowDynamicStyles: false,
  };
  const script = `(function () {
  var config = ${scriptJson(config)};
  var offline = document.getElementById('offline');
  var timer = setTimeout(function () { offline.hidden = false; }, ${SANDBOX_TIMEOUT_SECONDS * 1000});
  var script = document.createElement('script');
  script.src = ${scriptJson(SANDBOX_SCRIPT)};
  script.onerror = function () { clearTimeout(timer); offline.hidden = false; };
  script.onload = function () {
    clearTimeout(timer);
    if (!window.EmbeddedSandbox) { offline.hidden = false; return; }
    offline.hidden = true;
    config.initialEndpoint = new URL('/graphql', window.location.href).href;
    new window.EmbeddedSandbox(config);
  };
  document.head.appendChild(script);
})();`;
  const page = html(
    `Apollo Sandbox — ${TITLE}`,
    `<header class="bar">
<h1>${TITLE} — Apollo Sandbox</h1>
<a href="/graphiql">GraphiQL, sans accès à Internet</a>
<a href="/schema.graphql">Schéma</a>
</header>
<div id="offline" role="alert" hidden>
<p><strong>Apollo Sandbox ne peut pas être chargé</strong> : il vient du CDN d’Apollo (<code>embeddable-sandbox.cdn.apollographql.com</code>), que ce poste ne joint pas.</p>
<p><a href="/graphiql">GraphiQL</a>, servi par la passerelle elle-même, fonctionne sans accès à Internet, avec les mêmes opérations d’exemple.</p>
</div>
<div id="sandbox"></div>
<script>${script}</script>`,
    `<style>${SANDBOX_STYLE}</style>
`,
  );
  return { html: page, script };
}

/** GraphiQL's page: the built script and styles, all from this origin. */
const GRAPHIQL_PAGE = html(
  `GraphiQL — ${TITLE}`,
  `<div id="graphiql" style="height: 100vh">Chargement de GraphiQL…</div>
<noscript>GraphiQL a besoin de JavaScript.</noscript>`,
  `<link rel="stylesheet" href="/graphiql/graphiql.css">
<script type="module" src="/graphiql/graphiql.js"></script>
`,
);

/**
 * GraphiQL's policy. Monaco adds `<style>` elements of its own, with no nonce, hence
 * `'unsafe-inline'` for styles only; its workers are files of this origin; its fonts are inlined.
 */
const GRAPHIQL_POLICY = policy({
  'script-src': "'self'",
  'style-src': "'self' 'unsafe-inline'",
  'font-src': "'self' data:",
  'img-src': "'self' data:",
  'worker-src': "'self'",
  'connect-src': "'self'",
});

function readExamples(dir: string): Example[] {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'examples.json'), 'utf8'));
  } catch {
    return [];
  }
}

/**
 * What browsers get, as `EXPLORER` says: at `/` and `/graphql`, Apollo Sandbox (`sandbox`) or a
 * landing page (`graphiql`, `off`); GraphiQL at `/graphiql` unless `off`. Other clients of `/`
 * and `/graphql` pass on to GraphQL. Each page sends its own CSP, in place of helmet's.
 */
export function explorerRouter(config: Config, dir = EXPLORER_DIR): Router {
  const router = express.Router();
  const graphiql = config.explorer !== 'off';
  const landing = landingPage(graphiql);
  const sandbox = sandboxPage(readExamples(dir)[0]);
  const landingPolicy = policy({ 'style-src': STYLE_HASH, 'img-src': "'self' data:" });
  const sandboxPolicy = policy({
    'script-src': `'self' ${hashOf(sandbox.script)} https://embeddable-sandbox.cdn.apollographql.com`,
    'style-src': `${STYLE_HASH} ${hashOf(SANDBOX_STYLE)} https://embeddable-sandbox.cdn.apollographql.com`,
    'frame-src': SANDBOX_FRAME,
    'img-src': "'self' data:",
  });
  router.get(['/', '/graphql'], (req, res, next) => {
    if (!asksForLandingPage(req)) return next();
    const [page, csp] =
      config.explorer === 'sandbox' ? [sandbox.html, sandboxPolicy] : [landing, landingPolicy];
    res
      .type('html')
      .set('content-security-policy', csp)
      .set('cache-control', 'no-cache')
      .vary('accept')
      .send(page);
  });
  if (!graphiql) return router;

  router.get('/graphiql', (_req, res) => {
    if (!fs.existsSync(path.join(dir, 'graphiql.js'))) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('GraphiQL is not built: run `npm run build:explorer`.');
      return;
    }
    res
      .type('html')
      .set('content-security-policy', GRAPHIQL_POLICY)
      .set('cache-control', 'no-cache')
      .send(GRAPHIQL_PAGE);
  });
  router.use(
    '/graphiql',
    // Note: about 4 MB of script and styles (Monaco, the inlined fonts), a quarter of it gzipped.
    compression(),
    express.static(dir, {
      index: false,
      setHeaders(res, file) {
        // Note: chunks have content-hashed names; the entry and the workers keep theirs, and
        // are revalidated (serve-static's ETag) so that a new release is picked up at once.
        const hashed = file.includes(`${path.sep}chunks${path.sep}`);
        res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  return router;
}
