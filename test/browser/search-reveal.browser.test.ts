import { browserSuitesRun } from '../helpers/browser';
import { startVisit, type Visit } from '../helpers/embedding';

// Note: these run inside the page; the test program itself has no DOM library.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;

const describeBrowser = browserSuitesRun() ? describe : describe.skip;

describeBrowser('a visitor searches for a unit and the chart reveals it', () => {
  let visit: Visit;
  beforeAll(async () => {
    visit = await startVisit();
  });
  afterAll(() => visit?.close());

  it('suggests units as one types without accents, and reveals the chosen one', async () => {
    const { page } = visit;
    await visit.open('root="prefecture-seine-et-marne" depth="1"');
    await page.getByRole('tree').waitFor();
    await page.evaluate(() =>
      document.querySelector('annuaire-organigramme')!.addEventListener('unit-select', (e: any) => {
        (window as unknown as { picked: unknown }).picked = (e as CustomEvent).detail;
      }),
    );
    const box = page.getByRole('combobox', { name: 'Rechercher une unité' });
    await box.fill('representation etat');
    const option = page.getByRole('option', { name: /Bureau de la Représentation de l'État/ });
    await option.waitFor();
    await expect(box.getAttribute('aria-expanded')).resolves.toBe('true');
    await box.press('ArrowDown');
    await expect(option.getAttribute('aria-selected')).resolves.toBe('true');
    await box.press('Enter');

    const bureau = page.getByRole('treeitem', { name: /Bureau de la Représentation/ });
    await bureau.waitFor();
    await expect(bureau.getAttribute('aria-selected')).resolves.toBe('true');
    await expect(bureau.evaluate((el) => el.matches(':focus'))).resolves.toBe(true);
    await expect(bureau.isVisible()).resolves.toBe(true);
    const viewport = (await page.locator('annuaire-organigramme .viewport').boundingBox())!;
    const placed = (await bureau.boundingBox())!;
    expect(placed.x).toBeGreaterThanOrEqual(viewport.x);
    expect(placed.x + placed.width).toBeLessThanOrEqual(viewport.x + viewport.width);
    for (const ancestor of [/Cabinet du préfet/, /Services du cabinet/]) {
      await expect(
        page.getByRole('treeitem', { name: ancestor }).getAttribute('aria-expanded'),
      ).resolves.toBe('true');
    }
    await expect(
      page.evaluate(() => (window as unknown as { picked: unknown }).picked),
    ).resolves.toEqual({
      id: expect.any(String),
      slug: 'bureau-representation-etat-seine-et-marne',
    });
    expect(visit.errors).toEqual([]);
  });
});
