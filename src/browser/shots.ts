import type { Page } from 'playwright-core';
import type { Dataset } from './gateways';
import type { HostPage } from './host-page';

/** What a shot is staged against: the gateway of its dataset and the intranet page's server. */
export interface Stage {
  /** The gateway's origin, e.g. http://127.0.0.1:4321. */
  gateway: string;
  host: HostPage;
  /** Opens the intranet page embedding the widget with these attributes. */
  embed(attributes: string, dark?: boolean): Promise<void>;
}

/** One picture of docs/screenshots/: where it is taken and how the page is brought there. */
export interface Shot {
  /** The file's name, without `.png`; also what `--only` names. */
  name: string;
  /** What it shows: the image's alternative text in the README. */
  alt: string;
  dataset: Dataset;
  viewport: { width: number; height: number };
  /** Opens the page and brings it to the state pictured; the picture is taken when it returns. */
  stage(page: Page, at: Stage): Promise<void>;
}

/** The tree of the widget, drawn. */
const chartDrawn = (page: Page) => page.getByRole('tree').waitFor();

/** The pictures `npm run screenshots` takes, in order. Add one with an entry here. */
export const SHOTS: Shot[] = [
  {
    name: 'widget-cabinet',
    alt: 'The widget in an intranet page: the Cabinet du préfet de Seine-et-Marne two levels down',
    dataset: 'seed',
    viewport: { width: 1280, height: 600 },
    async stage(page, at) {
      await at.embed('root="cabinet-du-prefet-seine-et-marne" depth="2"');
      await chartDrawn(page);
    },
  },
  {
    name: 'widget-card',
    alt: 'The card of the Cabinet du préfet: its head, missions with their references, relations and dated sources',
    dataset: 'seed',
    viewport: { width: 1280, height: 600 },
    async stage(page, at) {
      await at.embed('root="prefecture-seine-et-marne" depth="2"');
      await page.getByRole('treeitem', { name: /Cabinet du préfet/ }).click();
      await page.getByRole('dialog', { name: /Cabinet du préfet/ }).waitFor();
    },
  },
  {
    name: 'widget-narrow',
    alt: 'Below 600 px of width, an indented list instead of the drawing',
    dataset: 'seed',
    viewport: { width: 420, height: 720 },
    async stage(page, at) {
      await at.embed('root="prefecture-seine-et-marne" depth="3" style="--ao-height: 36rem"');
      await chartDrawn(page);
    },
  },
  {
    name: 'widget-dark',
    alt: 'The dark theme, in English, on the prefecture',
    dataset: 'seed',
    viewport: { width: 1280, height: 600 },
    async stage(page, at) {
      await at.embed('root="prefecture-seine-et-marne" depth="2" theme="dark" lang="en"', true);
      await chartDrawn(page);
    },
  },
  {
    name: 'chart-page',
    alt: 'The chart page, /organigramme, with its picker of every top unit',
    dataset: 'seed',
    viewport: { width: 1280, height: 720 },
    async stage(page, at) {
      await page.goto(`${at.gateway}/organigramme`);
      // Note: the picker is filled from topUnits; three top units in the seed, plus « Toutes ».
      await page.waitForFunction(
        "document.querySelectorAll('#root-picker option:not([hidden])').length > 1",
      );
      await chartDrawn(page);
    },
  },
  {
    name: 'graphiql',
    alt: 'GraphiQL at /graphiql, served by the gateway, having run the example operation OrgChart',
    dataset: 'seed',
    viewport: { width: 1280, height: 720 },
    async stage(page, at) {
      await page.goto(`${at.gateway}/graphiql`);
      await page.locator('.graphiql-query-editor').getByText('query OrgChart').waitFor();
      await page.getByRole('button', { name: /Execute query/ }).click();
      await page
        .locator('.graphiql-response')
        .getByText('"prefecture-seine-et-marne"')
        .first()
        .waitFor();
    },
  },
  {
    name: 'national-prefecture',
    alt: 'A prefecture of the synthetic national directory on the chart page, its secrétariat général expanded',
    dataset: 'national',
    viewport: { width: 1600, height: 640 },
    async stage(page, at) {
      // Note: two levels of a national prefecture are some thirty boxes wide, too small to read
      // once fitted; one level, then one unit expanded, shows the lazy expansion too.
      await page.goto(`${at.gateway}/organigramme/prefecture-du-gard-30`);
      await page.locator('annuaire-organigramme').evaluate((el) => el.setAttribute('depth', '1'));
      await page
        .locator('[role="treeitem"][aria-level="3"]')
        .first()
        .waitFor({ state: 'detached' });
      const general = page.locator('[role="treeitem"][aria-level="2"]', {
        hasText: 'Secrétariat général',
      });
      await general.locator('.toggle').click();
      await page.locator('[role="treeitem"][aria-level="3"]').first().waitFor();
      await page.getByRole('button', { name: 'Ajuster à l’écran' }).click();
    },
  },
];
