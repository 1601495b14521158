import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

// Debian's Chromium (installed by .ci/run), headless, with the flags that keep it off the network.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const VIEWPORTS = {
  tablet: { width: 1280, height: 800 },
  tabletPortrait: { width: 800, height: 1280 },
  phone: { width: 390, height: 844 },
} as const;

/** A full-page screenshot at tablet and at phone size (`<path>-tablet.png`, `<path>-phone.png`), then back to the tablet. */
export async function screenshotBothSizes(page: Page, path: string): Promise<void> {
  await page.setViewportSize(VIEWPORTS.tablet);
  await page.screenshot({ path: `${path}-tablet.png`, fullPage: true });
  await page.setViewportSize(VIEWPORTS.phone);
  await page.screenshot({ path: `${path}-phone.png`, fullPage: true });
  await page.setViewportSize(VIEWPORTS.tablet);
}
