import { browserSuitesRun } from '../helpers/browser';
import { startVisit, type Visit } from '../helpers/embedding';

const describeBrowser = browserSuitesRun() ? describe : describe.skip;

interface TopUnit {
  slug: string;
  name: string;
}

describeBrowser('the chart page, /organigramme, with its picker of top units', () => {
  let visit: Visit;
  let tops: TopUnit[];
  beforeAll(async () => {
    visit = await startVisit();
    const answer = await visit.gateway.gql<{ topUnits: TopUnit[] }>('{ topUnits { slug name } }');
    tops = answer.body.data!.topUnits;
  });
  afterAll(() => visit?.close());

  const path = () => new URL(visit.page.url()).pathname;
  const picker = () => visit.page.getByLabel('Unité de premier niveau');
  const levelOne = () => visit.page.locator('[role="treeitem"][aria-level="1"]');

  it('lists every top unit of the seed, and draws them all at first', async () => {
    const { page, gateway } = visit;
    expect(tops.length).toBeGreaterThanOrEqual(3);
    await page.goto(`${gateway.origin}/organigramme`);
    await page.getByRole('tree', { name: 'Organigramme' }).waitFor();
    const options = picker().locator('option:not([hidden])');
    await options
      .last()
      .filter({ hasText: tops[tops.length - 1].name })
      .waitFor({ state: 'attached' });
    const values = await Promise.all((await options.all()).map((o) => o.getAttribute('value')));
    expect(values).toEqual(['', ...tops.map((u) => u.slug)]);
    await expect(options.allTextContents()).resolves.toEqual([
      'Toutes',
      ...tops.map((u) => u.name),
    ]);
    await expect(levelOne().count()).resolves.toBe(tops.length);
    await expect(picker().inputValue()).resolves.toBe('');
    expect(visit.errors).toEqual([]);
  });

  it('draws the unit picked, and the address follows', async () => {
    const { page } = visit;
    const chosen = tops.find((u) => u.slug === 'prefecture-seine-et-marne')!;
    await picker().selectOption(chosen.slug);
    await page.waitForURL(`**/organigramme/${chosen.slug}`);
    await page.getByRole('treeitem', { name: /Cabinet du préfet/ }).waitFor();
    await expect(levelOne().count()).resolves.toBe(1);
    await expect(levelOne().innerText()).resolves.toContain(chosen.name);

    const other = tops.find((u) => u !== chosen)!;
    await picker().selectOption(other.slug);
    await page.waitForURL(`**/organigramme/${other.slug}`);
    await levelOne().filter({ hasText: other.name }).waitFor();
    await expect(levelOne().count()).resolves.toBe(1);

    await page.goBack();
    await page.waitForURL(`**/organigramme/${chosen.slug}`);
    await expect(picker().inputValue()).resolves.toBe(chosen.slug);
    await page.getByRole('treeitem', { name: /Cabinet du préfet/ }).waitFor();
    expect(visit.errors).toEqual([]);
  });

  it('follows the selection of a unit in the chart', async () => {
    const { page } = visit;
    await page.getByRole('treeitem', { name: /Cabinet du préfet/ }).click();
    await page.waitForURL('**/organigramme/cabinet-du-prefet-seine-et-marne');
    // The chart stays as it was: only the address changed.
    await expect(levelOne().innerText()).resolves.toContain('Préfecture de Seine-et-Marne');
  });

  it('opens a link to /organigramme/<slug> on that unit, top unit or not', async () => {
    const { page, gateway } = visit;
    await page.goto(`${gateway.origin}/organigramme/prefecture-seine-et-marne`);
    await page.getByRole('treeitem', { name: /Cabinet du préfet/ }).waitFor();
    await expect(levelOne().innerText()).resolves.toContain('Préfecture de Seine-et-Marne');
    await expect(picker().inputValue()).resolves.toBe('prefecture-seine-et-marne');

    await page.goto(`${gateway.origin}/organigramme/cabinet-du-prefet-seine-et-marne`);
    await page.getByRole('treeitem', { name: /Services du cabinet/ }).waitFor();
    await expect(levelOne().innerText()).resolves.toContain('Cabinet du préfet');
    expect(path()).toBe('/organigramme/cabinet-du-prefet-seine-et-marne');
    await expect(picker().inputValue()).resolves.toBe('-');
    expect(visit.errors).toEqual([]);
  });
});
