import fs from 'node:fs';
import path from 'node:path';
import { launchChromium } from './chromium';
import { prepareGateways, type Dataset, type GatewayOptions } from './gateways';
import { embeddingHtml, startHostPage } from './host-page';
import { SHOTS, type Shot } from './shots';

export interface ScreenshotOptions extends GatewayOptions {
  /** Folder the PNG files are written to. */
  outDir: string;
  /** Only the shots of these names. */
  only?: string[];
}

/**
 * Takes the shots of {@link SHOTS}: for each dataset they need, a gateway on it (the seed on a
 * fresh database, the national directory from its cache), the intranet page on another origin,
 * and headless Chromium at device scale 1 with reduced motion (no box caught mid-transition).
 * Returns the files written.
 */
export async function takeScreenshots(o: ScreenshotOptions): Promise<string[]> {
  const log = o.log ?? (() => undefined);
  const shots = SHOTS.filter((s) => !o.only || o.only.includes(s.name));
  const unknown = (o.only ?? []).filter((name) => !SHOTS.some((s) => s.name === name));
  if (unknown.length) throw new Error(`No shot named ${unknown.join(', ')}.`);
  fs.mkdirSync(o.outDir, { recursive: true });
  const host = await startHostPage();
  const browser = await launchChromium();
  const written: string[] = [];
  try {
    for (const dataset of ['seed', 'national'] as Dataset[]) {
      const mine = shots.filter((s) => s.dataset === dataset);
      if (!mine.length) continue;
      const gateways = await prepareGateways(dataset, host.origin, o);
      const gateway = await gateways.start();
      try {
        const origin = new URL(gateway.url).origin;
        for (const shot of mine) written.push(await take(shot, origin));
      } finally {
        await gateway.stop();
        await gateways.dispose();
      }
    }
  } finally {
    await browser.close();
    await host.close();
  }
  return written;

  async function take(shot: Shot, gateway: string): Promise<string> {
    const context = await browser.newContext({
      viewport: shot.viewport,
      deviceScaleFactor: 1,
      reducedMotion: 'reduce',
      locale: 'fr-FR',
    });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await shot.stage(page, {
        gateway,
        host,
        embed: async (attributes, dark) => {
          await page.goto(host.serve(`/${shot.name}`, embeddingHtml(gateway, attributes, dark)));
        },
      });
      await page.waitForLoadState('networkidle');
      if (errors.length) throw new Error(`${shot.name}: ${errors.join('; ')}`);
      const file = path.join(o.outDir, `${shot.name}.png`);
      await page.screenshot({ path: file });
      log(`${file}: ${shot.alt}`);
      return file;
    } finally {
      await context.close();
    }
  }
}
