import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../../src/browser/chromium';

export { CHROMIUM_PATH };

/**
 * Whether the browser suites run. Locally, without Chromium, they are skipped and say so in one
 * line; under CI (`CI=true`) a missing browser is a failure, never a skip.
 */
export function browserSuitesRun(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') return true;
  console.warn(`Skipping the browser tests: no Chromium at ${CHROMIUM_PATH}.`);
  return false;
}

/**
 * Launches the headless Chromium (src/browser/chromium.ts: Debian's, with the flags of a run that
 * makes no request of its own). Each suite closes its own browser in `afterAll`.
 */
export function launchBrowser(): Promise<Browser> {
  return launchChromium();
}
