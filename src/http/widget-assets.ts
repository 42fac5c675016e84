import fs from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { type Router } from 'express';

/** Where `npm run build:widget` writes the widget and the chart page's script. */
export const WIDGET_DIR = path.resolve(__dirname, '..', '..', 'dist', 'widget');

/** The stable names' max-age: embedding pages pick a new release up within five minutes. */
const STABLE_MAX_AGE = 300;

/** The built files' content-hashed names, by entry, from the build's manifest. */
function readManifest(dir: string): Record<string, string> | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return null;
  }
}

const page = (widget: string, script: string) => `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Organigramme — Annuaire de l’administration territoriale de l’État</title>
<style>
  html, body { height: 100%; margin: 0; }
  body { display: flex; flex-direction: column; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #161616; }
  header { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center; padding: 0.5rem 1rem; border-bottom: 1px solid #ddd; }
  h1 { font-size: 1.25rem; margin: 0; }
  label { font-weight: 700; margin-right: 0.5rem; }
  select { font: inherit; padding: 0.25rem 0.5rem; min-height: 2rem; }
  select:focus-visible { outline: 2px solid #0a76f6; outline-offset: 2px; }
  main { flex: 1; min-height: 0; display: flex; }
  annuaire-organigramme { flex: 1; --ao-height: 100%; border: 0; }
  @page { size: landscape; margin: 10mm; }
  @media print { header { display: none; } }
</style>
<script type="module" src="/widget/${widget}"></script>
<script type="module" src="/widget/${script}"></script>
</head>
<body>
<header>
  <h1>Organigramme</h1>
  <div>
    <label for="root-picker">Unité de premier niveau</label>
    <select id="root-picker">
      <option value="">Toutes</option>
      <option value="-" disabled hidden>Autre unité</option>
    </select>
  </div>
</header>
<main><annuaire-organigramme depth="2"></annuaire-organigramme></main>
</body>
</html>
`;

/**
 * The widget's files under `/widget/` and the chart page at `/organigramme[/<slug>]`. The files
 * are public code fetched by module scripts in CORS mode from any embedding page, hence
 * `Access-Control-Allow-Origin: *`; the API's own CORS policy still decides who may call it.
 */
export function widgetRouter(dir = WIDGET_DIR): Router {
  const router = express.Router();
  router.use(
    '/widget',
    // Note: 60 kB of script, 21 kB gzipped: compressed on the way, as GraphQL answers are.
    compression(),
    express.static(dir, {
      index: false,
      fallthrough: true,
      setHeaders(res, file) {
        const hashed = /\.[0-9a-f]{12}\.js$/.test(file);
        res.setHeader(
          'cache-control',
          hashed ? 'public, max-age=31536000, immutable' : `public, max-age=${STABLE_MAX_AGE}`,
        );
        res.setHeader('access-control-allow-origin', '*');
        res.setHeader('cross-origin-resource-policy', 'cross-origin');
      },
    }),
  );
  router.get(['/organigramme', '/organigramme/:slug'], (_req, res) => {
    const manifest = readManifest(dir);
    if (!manifest) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The org-chart widget is not built: run `npm run build:widget`.');
      return;
    }
    res
      .type('html')
      .set('cache-control', 'no-cache')
      .send(page(manifest['annuaire-organigramme'], manifest['organigramme-page']));
  });
  return router;
}
