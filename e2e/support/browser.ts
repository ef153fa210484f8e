/**
 * Debian's chromium driven by playwright-core (no browser download), with guards: every request
 * the pages make must stay on this machine (no CDN), and uncaught page errors fail the test.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.PUPERO_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'screenshots');

export const DESKTOP = { viewport: { width: 1280, height: 860 } };
/** An iPhone-sized screen (375 px wide): the smallest width the app is designed for. */
export const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export async function launchBrowser(): Promise<Browser> {
  // Each run's screenshots alone: numbered in the order they were taken.
  await rm(SCREENSHOT_DIR, { recursive: true, force: true });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export interface Actor {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Requests that left this machine (must stay empty). */
  offsite: string[];
  pageErrors: string[];
  /** Saves test-output/screenshots/<nn>-<name>-<label>.png (full page). */
  shot(label: string): Promise<void>;
}

let shotCounter = 0;

export async function newActor(browser: Browser, name: string, device: typeof DESKTOP | typeof PHONE): Promise<Actor> {
  const context = await browser.newContext({ ...device, locale: 'en-GB', timezoneId: 'UTC' });
  context.setDefaultTimeout(15_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
  const page = await context.newPage();
  const offsite: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return; // data:, blob:
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') offsite.push(request.url());
  });
  page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`));
  return {
    name,
    context,
    page,
    offsite,
    pageErrors,
    async shot(label: string) {
      shotCounter += 1;
      const file = `${String(shotCounter).padStart(2, '0')}-${name}-${label}.png`;
      // Sticky header: a full-page shot taken while scrolled would paint it mid-page.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SCREENSHOT_DIR, file), fullPage: true, animations: 'disabled' });
    },
  };
}
