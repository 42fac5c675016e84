import { browserSuitesRun } from '../helpers/browser';
import { startVisit, type Visit } from '../helpers/embedding';

// Note: these run inside the page; the test program itself has no DOM library.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(element: any): any;

const describeBrowser = browserSuitesRun() ? describe : describe.skip;

describeBrowser('a visitor uses the chart with the keyboard alone', () => {
  let visit: Visit;
  beforeAll(async () => {
    visit = await startVisit();
  });
  afterAll(() => visit?.close());

  const focused = () =>
    visit.page.evaluate(() => {
      const el = document.querySelector('annuaire-organigramme')!.shadowRoot!.activeElement;
      return el?.querySelector('.name')?.textContent ?? el?.textContent?.trim() ?? null;
    });

  it('tabs into the tree once, moves with the arrows, expands, and opens a card with Enter', async () => {
    const { page } = visit;
    await visit.open('root="prefecture-seine-et-marne"');
    await page.getByRole('tree').waitFor();
    const tabbable = page.locator('[role="treeitem"][tabindex="0"]');
    await expect(tabbable.count()).resolves.toBe(1);

    await page.getByRole('combobox').focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('Préfecture de Seine-et-Marne');
    const outline = await page.evaluate(() => {
      const el = document.querySelector('annuaire-organigramme')!.shadowRoot!.activeElement!;
      return getComputedStyle(el).outlineStyle;
    });
    expect(outline).toBe('solid');

    await page.keyboard.press('ArrowDown');
    await expect(focused()).resolves.toBe('Cabinet du préfet');
    await page.keyboard.press('End');
    await expect(focused()).resolves.toBe('Services du cabinet');
    await page.keyboard.press('ArrowRight');
    await page.getByRole('treeitem', { name: /Bureau de la communication/ }).waitFor();
    await page.keyboard.press('ArrowRight');
    await expect(focused()).resolves.toBe('Bureau de la communication interministérielle');
    await page.keyboard.press('ArrowLeft');
    await expect(focused()).resolves.toBe('Services du cabinet');
    await page.keyboard.press('ArrowLeft');
    await expect(
      page.getByRole('treeitem', { name: /Services du cabinet/ }).getAttribute('aria-expanded'),
    ).resolves.toBe('false');
    await page.keyboard.press('Home');
    await expect(focused()).resolves.toBe('Préfecture de Seine-et-Marne');
    await page.keyboard.press('d');
    await expect(focused()).resolves.toBe('Direction des sécurités');
    await page.keyboard.press('ArrowUp');
    await expect(focused()).resolves.toBe('Cabinet du préfet');
    await expect(tabbable.count()).resolves.toBe(1);

    await page.keyboard.press('Enter');
    const card = page.getByRole('dialog', { name: /Cabinet du préfet/ });
    await card.waitFor();
    await expect(
      page.getByRole('treeitem', { name: /Cabinet du préfet/ }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'detached' });
    await expect(focused()).resolves.toBe('Cabinet du préfet');
    expect(visit.errors).toEqual([]);
  });
});
