import fs from 'node:fs';
import { browserSuitesRun } from '../helpers/browser';
import { startVisit, type Visit } from '../helpers/embedding';

// Note: these run inside the page; the test program itself has no DOM library.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;

const describeBrowser = browserSuitesRun() ? describe : describe.skip;

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** One violation as the report shows it: the rule, and where. */
interface Found {
  rule: string;
  impact: string | null;
  help: string;
  targets: unknown[];
}

/**
 * Runs axe-core on the whole page, the widget's open shadow root included, with all its rules
 * but the experimental ones (WCAG 2.1 A and AA, the RGAA's reference, and best practices), and
 * returns the violations.
 */
async function violations(visit: Visit): Promise<Found[]> {
  const { page } = visit;
  // Note: evaluated through the DevTools protocol, which the pages' Content-Security-Policy
  // (script-src 'self', no inline script) does not govern, unlike an injected script tag.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe: typeof import('axe-core') = window.axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => n.target),
    }));
  });
}

describeBrowser('axe-core finds no violation in the widget', () => {
  let visit: Visit;
  beforeAll(async () => {
    visit = await startVisit();
  });
  afterAll(() => visit?.close());

  for (const theme of ['light', 'dark']) {
    describe(`in the ${theme} theme`, () => {
      it('at the first render', async () => {
        await visit.open(`root="prefecture-seine-et-marne" theme="${theme}"`);
        await visit.page.getByRole('tree').waitFor();
        await expect(violations(visit)).resolves.toEqual([]);
      });

      it('with a unit expanded and one selected', async () => {
        const { page } = visit;
        const services = page.getByRole('treeitem', { name: /Services du cabinet/ });
        await services.locator('.toggle').click();
        await page.getByRole('treeitem', { name: /Bureau de la communication/ }).waitFor();
        await page.getByRole('treeitem', { name: /Cabinet du préfet/ }).focus();
        await page.keyboard.press(' ');
        await expect(violations(visit)).resolves.toEqual([]);
      });

      it('with the card open', async () => {
        const { page } = visit;
        await page.getByRole('treeitem', { name: /Cabinet du préfet/ }).click();
        await page.getByRole('dialog', { name: /Cabinet du préfet/ }).waitFor();
        await expect(violations(visit)).resolves.toEqual([]);
      });

      it('with search suggestions open', async () => {
        const { page } = visit;
        await page.keyboard.press('Escape');
        await page.getByRole('combobox').fill('bureau');
        await page.getByRole('option').first().waitFor();
        await expect(violations(visit)).resolves.toEqual([]);
      });

      it('with a failure message', async () => {
        await visit.open(`root="unite-inconnue" theme="${theme}"`);
        await visit.page.locator('annuaire-organigramme [role="alert"]').waitFor();
        await expect(violations(visit)).resolves.toEqual([]);
        expect(visit.errors).toEqual([]);
      });
    });
  }

  it('on the chart page, /organigramme', async () => {
    const { page, gateway } = visit;
    await page.goto(`${gateway.origin}/organigramme`);
    await page.getByRole('tree').waitFor();
    await expect(violations(visit)).resolves.toEqual([]);
  });

  it('as an indented list below 600 px', async () => {
    const { page } = visit;
    await page.setViewportSize({ width: 480, height: 800 });
    await visit.open('root="prefecture-seine-et-marne"');
    await page.locator('annuaire-organigramme .layout.narrow').waitFor();
    await page.getByRole('treeitem', { name: /Cabinet du préfet/ }).waitFor();
    await expect(violations(visit)).resolves.toEqual([]);
  });
});
