import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { startTestGateway, type TestGateway } from './gateway';

/** A static intranet page on its own origin, which embeds the widget from the gateway. */
export interface HostPage {
  origin: string;
  /** The HTML it serves at `/`; tests set it before navigating. */
  html: string;
  close(): Promise<void>;
}

/** Starts a tiny static server on another port than the gateway: another origin. */
export async function startHostPage(): Promise<HostPage> {
  const host: HostPage = { origin: '', html: '', close: async () => undefined };
  const server = http.createServer((req, res) => {
    if (req.url !== '/') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(host.html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  host.close = () => new Promise((resolve) => server.close(() => resolve()));
  return host;
}

/** The intranet page's HTML: the README's two lines, with the given attributes. */
export function embeddingHtml(gatewayOrigin: string, attributes = ''): string {
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Intranet de la préfecture</title></head>
<body style="font-family: Marianne, Arial, sans-serif; margin: 0 1rem">
<main>
<h1>Intranet de la préfecture</h1>
<script type="module" src="${gatewayOrigin}/widget/annuaire-organigramme.js"></script>
<annuaire-organigramme ${attributes}></annuaire-organigramme>
</main>
</body>
</html>`;
}

/**
 * One visit: a gateway on a fresh seeded database whose CORS allows the host page, the host page
 * on another origin, and a browser page that records its console errors and every request.
 */
export interface Visit {
  gateway: TestGateway;
  host: HostPage;
  browser: Browser;
  page: Page;
  /** Uncaught errors and console errors, less the browser's own "Failed to load resource". */
  errors: string[];
  /** Every URL the page requested. */
  requests: string[];
  /** Opens the host page with the widget given these attributes. */
  open(attributes?: string): Promise<void>;
  /** Stops the gateway while the page stays open: the server goes away. */
  stopGateway(): Promise<void>;
  /**
   * Starts a new gateway on the port of the stopped one (the same origin for the page), on a
   * fresh seeded database (seeded ids do not change); `env` replaces the first one's additions.
   */
  restartGateway(env?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

/** Starts a {@link Visit}; `env` adds gateway configuration (e.g. a tiny rate budget). */
export async function startVisit(
  env: Record<string, string> = {},
  viewport = { width: 1280, height: 800 },
): Promise<Visit> {
  const host = await startHostPage();
  const gateway = await startTestGateway({ CORS_ORIGINS: host.origin, ...env });
  let running = true;
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  // Note: every wait of a browser test ends: Playwright's waits fail after this, not Jest's.
  page.setDefaultTimeout(10_000);
  page.setDefaultNavigationTimeout(10_000);
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    // Note: Chromium logs every failed or refused request itself; those are not the widget's.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(message.text());
    }
  });
  page.on('request', (request) => requests.push(request.url()));
  const visit: Visit = {
    gateway,
    host,
    browser,
    page,
    errors,
    requests,
    async open(attributes = '') {
      host.html = embeddingHtml(visit.gateway.origin, attributes);
      await page.goto(`${host.origin}/`);
    },
    async stopGateway() {
      if (!running) return;
      running = false;
      await visit.gateway.stop();
    },
    async restartGateway(again = env) {
      await visit.stopGateway();
      const port = new URL(visit.gateway.origin).port;
      visit.gateway = await startTestGateway({ CORS_ORIGINS: host.origin, ...again, PORT: port });
      running = true;
    },
    async close() {
      await browser.close();
      await visit.stopGateway();
      await host.close();
    },
  };
  return visit;
}
