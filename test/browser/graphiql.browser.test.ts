import type { Browser, Page } from 'playwright-core';
import { browserSuitesRun, launchBrowser } from '../helpers/browser';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { SANDBOX_SCRIPT, SANDBOX_TIMEOUT_SECONDS } from '../../src/http/explorer';

const describeBrowser = browserSuitesRun() ? describe : describe.skip;

/** A browser page that records its console errors and every request. */
interface Tab {
  page: Page;
  errors: string[];
  requests: string[];
}

async function openTab(browser: Browser): Promise<Tab> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(10_000);
  page.setDefaultNavigationTimeout(10_000);
  const tab: Tab = { page, errors: [], requests: [] };
  page.on('pageerror', (error) => tab.errors.push(`uncaught: ${error.message}`));
  // Note: a CSP violation is a console error; Chromium's own "Failed to load resource" is not.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      tab.errors.push(message.text());
  });
  page.on('request', (request) => tab.requests.push(request.url()));
  // Note: the machine is offline anyway; this makes every other origin fail at once.
  await page.route(
    (url) => url.origin !== gatewayOrigin,
    (route) => route.abort('internetdisconnected'),
  );
  return tab;
}

let gatewayOrigin = '';

describeBrowser('GraphiQL, served by the gateway', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let tab: Tab;
  beforeAll(async () => {
    gateway = await startTestGateway();
    gatewayOrigin = gateway.origin;
    browser = await launchBrowser();
    tab = await openTab(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  it('opens the example operations as tabs and runs the first one, OrgChart', async () => {
    const { page } = tab;
    await page.goto(`${gateway.origin}/graphiql`);
    const tabs = page.locator('.graphiql-tab');
    await tabs.first().waitFor();
    const names = await tabs.allInnerTexts();
    expect(names.map((name) => name.trim())).toEqual(
      expect.arrayContaining(['OrgChart', 'TopUnits', 'UnitCard', 'Search']),
    );
    expect(names[0].trim()).toBe('OrgChart');
    await page.locator('.graphiql-query-editor').getByText('query OrgChart').waitFor();
    const answer = page.waitForResponse(`${gateway.origin}/graphql`);
    await page.getByRole('button', { name: /Execute query/ }).click();
    const body = await (await answer).json();
    expect(body.data.orgChart.root.name).toBe('Préfecture de Seine-et-Marne');
    // Note: Monaco draws spaces as no-break spaces.
    const response = page.locator('.graphiql-response');
    await response.getByText('"prefecture-seine-et-marne"').first().waitFor();
    const shown = (await response.innerText()).replace(/\u00a0/g, ' ');
    expect(shown).toContain('"name": "Préfecture de Seine-et-Marne"');
    expect(tab.errors).toEqual([]);
  });

  it('runs Monaco’s workers from the gateway’s own files', async () => {
    // Note: Monaco starts the GraphQL language worker lazily, once the schema has arrived, which
    // on a busy machine can be after the operation has run: wait for each worker's request.
    for (const name of ['editor', 'json', 'graphql']) {
      const path = `/graphiql/${name}.worker.js`;
      if (!tab.requests.some((url) => url.endsWith(path)))
        await tab.page.waitForRequest((request) => request.url().endsWith(path));
    }
    const workers = tab.requests.filter((url) => url.endsWith('.worker.js'));
    expect(new Set(workers.map((url) => new URL(url).pathname))).toEqual(
      new Set([
        '/graphiql/editor.worker.js',
        '/graphiql/json.worker.js',
        '/graphiql/graphql.worker.js',
      ]),
    );
  });

  it('knows the schema without introspection, from /schema.graphql', () => {
    expect(tab.requests).toContain(`${gateway.origin}/schema.graphql`);
    // The one GraphQL request is the operation run.
    expect(tab.requests.filter((url) => url === `${gateway.origin}/graphql`)).toHaveLength(1);
  });

  it('makes no request outside the gateway’s origin', () => {
    const origins = new Set(tab.requests.map((url) => new URL(url).origin));
    expect([...origins]).toEqual([gateway.origin]);
  });
});

describeBrowser('the page at / outside production, with Apollo’s CDN out of reach', () => {
  let gateway: TestGateway;
  let browser: Browser;
  beforeAll(async () => {
    gateway = await startTestGateway();
    gatewayOrigin = gateway.origin;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  it('links to GraphiQL, and says at once that the Sandbox cannot load', async () => {
    const tab = await openTab(browser);
    const { page } = tab;
    await page.goto(`${gateway.origin}/`);
    const header = page.locator('header');
    await header.getByRole('link', { name: /GraphiQL/ }).waitFor();
    // Well before the page's own time limit: the failed script, not the timer, shows it.
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: (SANDBOX_TIMEOUT_SECONDS * 1000) / 2 });
    await expect(alert.innerText()).resolves.toMatch(/Apollo Sandbox ne peut pas être chargé/);
    await alert.getByRole('link', { name: 'GraphiQL' }).click();
    await page.waitForURL(`${gateway.origin}/graphiql`);
    await page.locator('.graphiql-tab').first().waitFor();
    // The Sandbox's script is the one request that left the gateway, and it failed.
    const elsewhere = tab.requests.filter((url) => new URL(url).origin !== gateway.origin);
    expect(elsewhere).toEqual([SANDBOX_SCRIPT]);
    expect(tab.errors).toEqual([]);
    await page.close();
  });

  it('says so too when the CDN never answers', async () => {
    const tab = await openTab(browser);
    const { page } = tab;
    // Note: a network that drops packets: the script's request hangs, neither loads nor fails.
    await page.route(SANDBOX_SCRIPT, () => undefined);
    await page.goto(`${gateway.origin}/`, { waitUntil: 'domcontentloaded' });
    const alert = page.getByRole('alert');
    await expect(alert.isVisible()).resolves.toBe(false);
    await alert.waitFor({ timeout: SANDBOX_TIMEOUT_SECONDS * 1000 + 5_000 });
    await expect(alert.getByRole('link', { name: 'GraphiQL' }).count()).resolves.toBe(1);
    expect(tab.errors).toEqual([]);
    await page.close();
  });
});
