import net from 'node:net';
import { browserSuitesRun } from '../helpers/browser';
import { startVisit, type Visit } from '../helpers/embedding';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

const describeBrowser = browserSuitesRun() ? describe : describe.skip;

/** A port that nothing listens on, for now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The widget's alert: the message of a failure with its « Réessayer » button. */
const alertOf = (visit: Visit) => visit.page.locator('annuaire-organigramme [role="alert"]');

describeBrowser('the widget says what went wrong and retries', () => {
  let visit: Visit;
  let other: TestGateway | undefined;
  beforeAll(async () => {
    visit = await startVisit();
  });
  afterAll(async () => {
    await other?.stop();
    await visit?.close();
  });

  it('says so when the server cannot be reached, and draws the chart once it can', async () => {
    const { page } = visit;
    const port = await freePort();
    await visit.open(`endpoint="http://127.0.0.1:${port}" root="prefecture-seine-et-marne"`);
    const alert = alertOf(visit);
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toContain(
      'Impossible de joindre le serveur de l’annuaire.',
    );
    other = await startTestGateway({ CORS_ORIGINS: visit.host.origin, PORT: String(port) });
    await alert.getByRole('button', { name: 'Réessayer' }).click();
    await page.getByRole('treeitem', { name: /Préfecture de Seine-et-Marne/ }).waitFor();
    await expect(alert.count()).resolves.toBe(0);
    expect(visit.errors).toEqual([]);
  });

  it('says that no unit matches an unknown root, again after « Réessayer »', async () => {
    const { page } = visit;
    await visit.open('root="unite-qui-n-existe-pas"');
    const alert = alertOf(visit);
    await alert.waitFor();
    const text = 'Aucune unité ne correspond à « unite-qui-n-existe-pas ».';
    await expect(alert.innerText()).resolves.toContain(text);
    const calls = () => visit.requests.filter((url) => new URL(url).pathname === '/graphql').length;
    const before = calls();
    await Promise.all([
      page.waitForResponse((res) => new URL(res.url()).pathname === '/graphql'),
      alert.getByRole('button', { name: 'Réessayer' }).click(),
    ]);
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toContain(text);
    expect(calls()).toBe(before + 1);
    await expect(page.getByRole('tree').count()).resolves.toBe(0);
    expect(visit.errors).toEqual([]);
  });

  it('keeps the chart when the server goes away, says so on the next expansion, and recovers', async () => {
    const { page } = visit;
    await visit.open('root="prefecture-seine-et-marne"');
    const services = page.getByRole('treeitem', { name: /Services du cabinet/ });
    await services.waitFor();
    await visit.stopGateway();
    await services.locator('.toggle').click();
    const alert = alertOf(visit);
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toContain(
      'La connexion au serveur de l’annuaire a été perdue.',
    );
    // Never a blank box: the chart drawn so far stays.
    await expect(page.getByRole('treeitem').count()).resolves.toBe(4);
    await expect(services.getAttribute('aria-expanded')).resolves.toBe('false');

    await visit.restartGateway();
    await alert.getByRole('button', { name: 'Réessayer' }).click();
    await page.getByRole('treeitem', { name: /Bureau de la communication/ }).waitFor();
    await expect(services.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(alert.count()).resolves.toBe(0);
    expect(visit.errors).toEqual([]);
  });
});

describeBrowser('the widget meets a spent rate budget', () => {
  let visit: Visit;
  beforeAll(async () => {
    // Note: a budget that one chart fits in, over a short window, so the wait is seconds.
    visit = await startVisit({ RATE_LIMIT_POINTS: '1500', RATE_LIMIT_WINDOW_SECONDS: '6' });
  });
  afterAll(() => visit?.close());

  it('waits for Retry-After before « Retry », then draws the chart', async () => {
    const { page, gateway } = visit;
    // The test and the browser share one address, so one budget: spend it from here, early in
    // a window, so that it stays spent while the page opens.
    const spend = async () => {
      let answer;
      do answer = await gateway.gql('{ topUnits { slug } }');
      while (answer.status !== 429);
      return Number(answer.headers.get('retry-after'));
    };
    const wait = await spend();
    if (wait < 4) {
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      await spend();
    }
    const [refused] = await Promise.all([
      page.waitForResponse((res) => res.status() === 429),
      visit.open('root="prefecture-seine-et-marne" lang="en"'),
    ]);
    const retryAfter = Number(await refused.headerValue('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    const alert = alertOf(visit);
    await alert.waitFor();
    const shown = /Too many requests: you may retry in (\d+) s\./.exec(await alert.innerText());
    expect(Number(shown?.[1])).toBeLessThanOrEqual(retryAfter);
    const retry = alert.getByRole('button', { name: 'Retry' });
    await expect(retry.isDisabled()).resolves.toBe(true);
    await alert.getByRole('button', { name: 'Retry', disabled: false }).waitFor();
    await expect(alert.innerText()).resolves.toContain('Too many requests: you may retry now.');
    await retry.click();
    await page.getByRole('treeitem', { name: /Préfecture de Seine-et-Marne/ }).waitFor();
    await expect(alert.count()).resolves.toBe(0);
    expect(visit.errors).toEqual([]);
  });
});

describeBrowser('the widget meets GraphQL errors', () => {
  let visit: Visit;
  beforeAll(async () => {
    // Note: a gateway whose depth limit refuses the widget's chart query.
    visit = await startVisit({ QUERY_MAX_DEPTH: '2' });
  });
  afterAll(() => visit?.close());

  it('shows the error in the chosen language, then draws the chart once the server accepts', async () => {
    const { page } = visit;
    await visit.open('root="prefecture-seine-et-marne" lang="en"');
    const alert = alertOf(visit);
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toMatch(/^The server refused the request: .+/);
    await visit.restartGateway({});
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('treeitem', { name: /Préfecture de Seine-et-Marne/ }).waitFor();
    await expect(alert.count()).resolves.toBe(0);
    expect(visit.errors).toEqual([]);
  });
});
