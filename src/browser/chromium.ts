import { chromium, type Browser } from 'playwright-core';

/**
 * The browser that the browser tests, the screenshots and the front-end benchmark drive: Debian's
 * Chromium, through playwright-core (Playwright's own browser downloads are not used).
 * `CHROMIUM_PATH` names another executable.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags of a headless run that makes no request of its own to any other host. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches the headless Chromium; the caller closes it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
