import { browserSuitesRun } from '../helpers/browser';
import { startVisit, type Visit } from '../helpers/embedding';

const describeBrowser = browserSuitesRun() ? describe : describe.skip;

describeBrowser('a visitor expands and collapses a unit', () => {
  let visit: Visit;
  beforeAll(async () => {
    visit = await startVisit();
  });
  afterAll(() => visit?.close());

  it('loads the bureaus of the Services du cabinet with one request, then folds them away', async () => {
    const { page } = visit;
    await visit.open('root="prefecture-seine-et-marne"');
    const services = page.getByRole('treeitem', { name: /Services du cabinet/ });
    await services.waitFor();
    const graphqlCalls = () =>
      visit.requests.filter((url) => new URL(url).pathname === '/graphql').length;
    const before = graphqlCalls();

    await services.locator('.toggle').click();
    const bureau = page.getByRole('treeitem', { name: /Bureau de la communication/ });
    await bureau.waitFor();
    await expect(services.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(bureau.getAttribute('aria-level')).resolves.toBe('4');
    await expect(page.getByRole('treeitem').count()).resolves.toBe(6);
    expect(graphqlCalls() - before).toBe(1);

    await services.locator('.toggle').click();
    await bureau.waitFor({ state: 'detached' });
    await expect(services.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(page.getByRole('treeitem').count()).resolves.toBe(4);

    await services.locator('.toggle').click();
    await bureau.waitFor();
    expect(graphqlCalls() - before).toBe(1);
    expect(visit.errors).toEqual([]);
  });

  it('zooms, pans and fits the chart to the screen', async () => {
    const { page } = visit;
    const canvas = page.locator('annuaire-organigramme .canvas');
    await page.getByRole('button', { name: 'Ajuster à l’écran' }).click();
    const fitted = await canvas.evaluate((el) => el.style.transform);
    await page.getByRole('button', { name: 'Zoom avant' }).click();
    const zoomed = await canvas.evaluate((el) => el.style.transform);
    expect(zoomed).not.toBe(fitted);
    await page.getByRole('button', { name: 'Ajuster à l’écran' }).click();
    await expect(canvas.evaluate((el) => el.style.transform)).resolves.toBe(fitted);
    const box = (await page.locator('annuaire-organigramme .viewport').boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + box.height - 20);
    await page.mouse.down();
    await page.mouse.move(box.x + 120, box.y + box.height - 60, { steps: 5 });
    await page.mouse.up();
    await expect(canvas.evaluate((el) => el.style.transform)).resolves.not.toBe(fitted);
  });

  it('shows an indented list below 600 px', async () => {
    const { page } = visit;
    await page.setViewportSize({ width: 480, height: 800 });
    const cabinet = page.getByRole('treeitem', { name: /Cabinet du préfet/ });
    const prefecture = page.getByRole('treeitem', { name: /Préfecture de Seine-et-Marne/ });
    await page.locator('annuaire-organigramme .layout.narrow').waitFor();
    const [p, c] = [(await prefecture.boundingBox())!, (await cabinet.boundingBox())!];
    expect(c.x).toBeGreaterThan(p.x);
    expect(c.y).toBeGreaterThan(p.y);
    await expect(page.getByRole('button', { name: 'Zoom avant' }).isVisible()).resolves.toBe(false);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
