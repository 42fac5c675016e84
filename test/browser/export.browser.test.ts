import fs from 'node:fs';
import { browserSuitesRun } from '../helpers/browser';
import { startVisit, type Visit } from '../helpers/embedding';

const describeBrowser = browserSuitesRun() ? describe : describe.skip;

describeBrowser('a visitor exports and prints the chart', () => {
  let visit: Visit;
  beforeAll(async () => {
    visit = await startVisit();
  });
  afterAll(() => visit?.close());

  it('downloads the visible chart as SVG, with the names of its units', async () => {
    const { page } = visit;
    await visit.open('root="prefecture-seine-et-marne"');
    await page.getByRole('tree').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Exporter en SVG' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('organigramme.svg');
    const svg = fs.readFileSync((await download.path())!, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const name of [
      'Préfecture de Seine-et-Marne',
      'Cabinet du préfet',
      'Services du cabinet',
    ]) {
      expect(svg).toContain(name);
    }
    expect(svg).toContain('Titulaire non nommé');
    expect(svg).not.toContain('Bureau de la communication');
  });

  it('downloads it as PNG', async () => {
    const { page } = visit;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Exporter en PNG' }).click(),
    ]);
    const png = fs.readFileSync((await download.path())!);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(visit.errors).toEqual([]);
  });

  it('prints the chart alone, as one drawing that fits the page', async () => {
    const { page } = visit;
    await page.emulateMedia({ media: 'print' });
    const print = page.locator('annuaire-organigramme .print svg');
    await print.waitFor();
    await expect(page.locator('annuaire-organigramme .toolbar').isVisible()).resolves.toBe(false);
    const width = await print.evaluate((el) => el.getBoundingClientRect().width);
    expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);
    await page.emulateMedia({ media: 'screen' });
  });
});
