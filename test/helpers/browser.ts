import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * The browser the browser tests drive: Debian's Chromium, through playwright-core (Playwright's
 * own browser downloads are not used). `CHROMIUM_PATH` names another executable.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags of a headless run that makes no request of its own to any other host. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

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

/** Launches the headless Chromium. Each suite closes its own browser in `afterAll`. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}
