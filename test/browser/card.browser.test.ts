import { browserSuitesRun } from '../helpers/browser';
import { startVisit, type Visit } from '../helpers/embedding';

const describeBrowser = browserSuitesRun() ? describe : describe.skip;

describeBrowser('a visitor opens the card of a unit', () => {
  let visit: Visit;
  beforeAll(async () => {
    visit = await startVisit();
  });
  afterAll(() => visit?.close());

  it('reads its missions with their references, its head, its relations and its dated sources', async () => {
    const { page } = visit;
    await visit.open('root="prefecture-seine-et-marne"');
    await page.getByRole('treeitem', { name: /Cabinet du préfet/ }).click();
    const card = page.getByRole('dialog', { name: /Cabinet du préfet/ });
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('Directeur de cabinet du préfet');
    expect(text).toContain('Frédéric Lavigne, sous-préfet');
    expect(text).toContain('Missions');
    await expect(card.locator('.ref', { hasText: 'ORSEC' }).count()).resolves.toBeGreaterThan(0);
    expect(text).toContain('Relations');
    const source = card.locator('.sources li').first();
    await expect(source.innerText()).resolves.toMatch(
      /Le cabinet du préfet, Préfecture de Seine-et-Marne, à jour au 5 décembre 2022/,
    );
    await expect(source.locator('time').getAttribute('datetime')).resolves.toBe('2022-12-05');
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'detached' });
  });

  it('says « Titulaire non nommé » for the prefect and follows a relation to another unit', async () => {
    const { page } = visit;
    await page.getByRole('treeitem', { name: /Préfecture de Seine-et-Marne/ }).click();
    const card = page.getByRole('dialog', { name: /Préfecture de Seine-et-Marne/ });
    await card.waitFor();
    await expect(card.innerText()).resolves.toContain('Titulaire non nommé');
    await card.getByRole('button', { name: 'Fermer' }).click();
    await card.waitFor({ state: 'detached' });
    expect(visit.errors).toEqual([]);
  });
});
