import { browserSuitesRun } from '../helpers/browser';
import { startVisit, type Visit } from '../helpers/embedding';

// Note: these run inside the page; the test program itself has no DOM library.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare function getComputedStyle(element: any): any;

const describeBrowser = browserSuitesRun() ? describe : describe.skip;

describeBrowser('an intranet page embeds the org chart of the seed', () => {
  let visit: Visit;
  beforeAll(async () => {
    visit = await startVisit();
  });
  afterAll(() => visit?.close());

  it('draws the prefecture two levels down, from another origin', async () => {
    const { page } = visit;
    await visit.open('root="prefecture-seine-et-marne" depth="2"');
    const tree = page.getByRole('tree', { name: 'Organigramme' });
    await tree.waitFor();
    const items = tree.getByRole('treeitem');
    await expect(items.allInnerTexts()).resolves.toHaveLength(4);
    const prefecture = page.getByRole('treeitem', { name: /Préfecture de Seine-et-Marne/ });
    await expect(prefecture.getAttribute('aria-level')).resolves.toBe('1');
    await expect(prefecture.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(prefecture.innerText()).resolves.toContain('Préfet de Seine-et-Marne');
    await expect(prefecture.innerText()).resolves.toContain('Titulaire non nommé');
    const cabinet = page.getByRole('treeitem', { name: /Cabinet du préfet/ });
    await expect(cabinet.innerText()).resolves.toContain('Directeur de cabinet du préfet');
    await expect(cabinet.innerText()).resolves.toContain('Frédéric Lavigne');
    const services = page.getByRole('treeitem', { name: /Services du cabinet/ });
    await expect(services.getAttribute('aria-level')).resolves.toBe('3');
    await expect(services.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(page.locator('annuaire-organigramme svg.links path').count()).resolves.toBe(3);
    expect(visit.errors).toEqual([]);
  });

  it('draws every top unit when no root is given', async () => {
    const { page } = visit;
    await visit.open('');
    await page.getByRole('tree').waitFor();
    const roots = page.locator('[role="treeitem"][aria-level="1"]');
    const names = (await roots.allInnerTexts()).map((text) => text.split('\n')[1]);
    expect(names.sort()).toEqual([
      'Commission départementale de la mémoire',
      'Office national des anciens combattants et des victimes de guerre',
      'Préfecture de Seine-et-Marne',
    ]);
    const onacvg = page.getByRole('treeitem', { name: /ONACVG/ });
    await expect(onacvg.innerText()).resolves.toContain('Direction non renseignée');
    expect(visit.errors).toEqual([]);
  });

  it('speaks English and takes the dark theme when asked', async () => {
    const { page } = visit;
    await visit.open('root="prefecture-seine-et-marne" lang="en" theme="dark"');
    await page.getByRole('tree', { name: 'Org chart' }).waitFor();
    await expect(
      page.getByRole('treeitem', { name: /Préfecture de Seine-et-Marne/ }).innerText(),
    ).resolves.toContain('Holder not named');
    await expect(page.getByRole('button', { name: 'Fit to screen' }).count()).resolves.toBe(1);
    const background = await page
      .locator('annuaire-organigramme')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe('rgb(22, 22, 22)');
  });

  it('makes no request outside the gateway and the host page', () => {
    const origins = new Set(visit.requests.map((url) => new URL(url).origin));
    expect([...origins].sort()).toEqual([visit.gateway.origin, visit.host.origin].sort());
  });
});
