import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An intranet page on an origin of its own, which embeds the widget from the gateway. */
export interface HostPage {
  origin: string;
  /** Serves this HTML at `path` (a new path each time keeps browser caches out of the way). */
  serve(path: string, html: string): string;
  close(): Promise<void>;
}

/** Starts a tiny static server on 127.0.0.1 and a free port: another origin than the gateway. */
export async function startHostPage(): Promise<HostPage> {
  const pages = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const html = pages.get(req.url ?? '');
    if (html === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    serve(path, html) {
      pages.set(path, html);
      return `${origin}${path}`;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * An intranet page's HTML: a heading and the README's two lines, with the given attributes.
 * `dark` gives the page itself a dark background, as a page that picks the dark theme would have.
 */
export function embeddingHtml(gatewayOrigin: string, attributes: string, dark = false): string {
  const colours = dark ? 'background: #101010; color: #eeeeee;' : '';
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Intranet de la préfecture</title></head>
<body style="font-family: Marianne, Arial, sans-serif; margin: 0; padding: 0.5rem 1rem 1rem; ${colours}">
<main>
<h1 style="font-size: 1.5rem; margin: 0.5rem 0 1rem">Intranet de la préfecture</h1>
<script type="module" src="${gatewayOrigin}/widget/annuaire-organigramme.js"></script>
<annuaire-organigramme ${attributes}></annuaire-organigramme>
</main>
</body>
</html>`;
}
