import type { CDPSession } from 'playwright-core';
import { browserSuitesRun } from '../helpers/browser';
import { startVisit, type Visit } from '../helpers/embedding';

const describeBrowser = browserSuitesRun() ? describe : describe.skip;

/** One request as Chromium's network layer saw it, CORS preflights included. */
interface Sent {
  id: string;
  method: string;
  url: string;
  fromCache: boolean;
}

/**
 * Records every request of the page through the DevTools protocol: unlike Playwright's `request`
 * event, it sees the CORS preflights (OPTIONS) that Chromium sends on its own.
 */
async function recordNetwork(visit: Visit): Promise<{ sent: Sent[]; cdp: CDPSession }> {
  const cdp = await visit.page.context().newCDPSession(visit.page);
  const sent: Sent[] = [];
  cdp.on('Network.requestWillBeSent', (e) =>
    sent.push({ id: e.requestId, method: e.request.method, url: e.request.url, fromCache: false }),
  );
  const cached = (id: string) => {
    for (const s of sent) if (s.id === id) s.fromCache = true;
  };
  cdp.on('Network.requestServedFromCache', (e) => cached(e.requestId));
  cdp.on('Network.responseReceived', (e) => {
    if (e.response.fromDiskCache) cached(e.requestId);
  });
  await cdp.send('Network.enable');
  return { sent, cdp };
}

/** The headers a page's script may set on a cross-origin request without a preflight. */
const SAFELISTED = new Set(['accept', 'accept-language', 'content-language']);

/** Headers that Chromium adds by itself, which the page does not choose. */
const BROWSER_SET = /^(sec-|user-agent$|referer$|origin$)/;

describeBrowser(
  'the widget reads with plain GETs, which need no preflight and can be cached',
  () => {
    let visit: Visit;
    let sent: Sent[];
    beforeAll(async () => {
      // Note: a long search text is allowed, for the POST of a URL that would be too long.
      visit = await startVisit({ SEARCH_MAX_LENGTH: '2000' });
      ({ sent } = await recordNetwork(visit));
    });
    afterAll(() => visit?.close());

    const graphql = () => sent.filter((s) => new URL(s.url).pathname === '/graphql');

    it('loads, expands, opens a card and searches with GETs and no OPTIONS', async () => {
      const { page } = visit;
      const headers: Array<Record<string, string>> = [];
      page.on('request', (r) => {
        if (new URL(r.url()).pathname === '/graphql') headers.push(r.headers());
      });
      await visit.open('root="prefecture-seine-et-marne"');
      const services = page.getByRole('treeitem', { name: /Services du cabinet/ });
      await services.locator('.toggle').click();
      await page.getByRole('treeitem', { name: /Bureau de la communication/ }).waitFor();
      await page.getByRole('treeitem', { name: /Cabinet du préfet/ }).click();
      await page.getByRole('dialog', { name: /Cabinet du préfet/ }).waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('combobox').fill('communication');
      await page.getByRole('option', { name: /Bureau de la communication/ }).waitFor();

      const methods = graphql().map((s) => s.method);
      expect(methods).toHaveLength(4);
      expect(new Set(methods)).toEqual(new Set(['GET']));
      for (const s of graphql()) expect(new URL(s.url).searchParams.get('query')).toBeTruthy();
      expect(headers).toHaveLength(4);
      for (const h of headers) {
        const chosen = Object.keys(h).filter((name) => !BROWSER_SET.test(name));
        expect(chosen.filter((name) => !SAFELISTED.has(name))).toEqual([]);
        // A safelisted `Accept`: short, without the bytes that would make it unsafe.
        expect(h.accept.length).toBeLessThanOrEqual(128);
        expect(h.accept).not.toMatch(/["():<>?@[\\\]{}\u007f]/);
      }
      expect(visit.errors).toEqual([]);
    });

    it('sees the preflight of a JSON POST, so none of the widget was missed', async () => {
      const { page, gateway } = visit;
      await page.evaluate(async (url) => {
        await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ topUnits { slug } }' }),
        });
      }, gateway.url);
      // Note: DevTools events arrive on their own channel; give them a moment after the answer.
      for (let i = 0; i < 50 && graphql().length < 6; i++) await page.waitForTimeout(20);
      // The widget's own requests came before, with no preflight among them.
      const methods = graphql().map((s) => s.method);
      expect(methods.slice(0, 4)).toEqual(['GET', 'GET', 'GET', 'GET']);
      expect(methods.slice(4).sort()).toEqual(['OPTIONS', 'POST']);
    });

    it('gets the chart from the browser cache when the page opens again', async () => {
      const { page } = visit;
      const before = sent.length;
      await visit.open('root="prefecture-seine-et-marne"');
      await page.getByRole('treeitem', { name: /Cabinet du préfet/ }).waitFor();
      const chart = sent.slice(before).filter((s) => new URL(s.url).pathname === '/graphql');
      expect(chart).toHaveLength(1);
      expect(chart[0]).toMatchObject({ method: 'GET', fromCache: true });
    });

    it('POSTs an operation whose URL would be too long, and still finds the unit', async () => {
      const { page } = visit;
      const before = sent.length;
      await page.getByRole('combobox').fill(Array(150).fill('préfecture').join(' '));
      await page.getByRole('option', { name: /Préfecture de Seine-et-Marne/ }).waitFor();
      const search = sent.slice(before).filter((s) => new URL(s.url).pathname === '/graphql');
      // Note: the preflight of the previous test is still cached (Access-Control-Max-Age).
      expect(search.map((s) => s.method)).toEqual(['POST']);
      expect(visit.errors).toEqual([]);
    });
  },
);
