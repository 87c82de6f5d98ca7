// Shared set-up of the browser tests: the system Chromium driven by playwright-core (no browser is ever
// downloaded), the URL of a running `keipath serve --web build/web` (KEIPATH_URL, set by scripts/test-web),
// the screenshot folder (SCREENSHOT_DIR) and waits for the page's views.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const BASE_URL = process.env.KEIPATH_URL;
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? path.resolve('../build/web-tests');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const VIEWS = ['question', 'answer', 'kei', 'import', 'cost', 'states', 'safety'];
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export async function launch() {
  assert.ok(BASE_URL, 'KEIPATH_URL is not set: run scripts/test-web, or start `keipath serve --web build/web` and set it');
  assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (set CHROMIUM to its path)`);
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A fresh page that records its uncaught errors (page.errors) and every request that leaves the server's
// origin (page.foreign: the page must work with no internet, so nothing may come from a CDN).
export async function openPage(browser, { viewport = DESKTOP, mobile = false } = {}) {
  const context = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.errors = [];
  page.foreign = [];
  const origin = new URL(BASE_URL).origin;
  page.on('pageerror', (error) => page.errors.push(error.message));
  page.on('request', (request) => {
    const where = request.url();
    if (!where.startsWith(`${origin}/`) && !where.startsWith('data:')) page.foreign.push(where);
  });
  return page;
}

export function url(search = '') {
  return new URL(search, BASE_URL).href;
}

// The JSON of an API call, straight from the server (to compare the page with).
export async function api(pathAndQuery) {
  const response = await fetch(url(pathAndQuery));
  return { status: response.status, body: await response.json() };
}

// Wait until no view is still asking.
export async function settled(page) {
  await page.waitForFunction(() => {
    const views = [...document.querySelectorAll('section.view')].filter((s) => !s.hidden);
    return views.length > 0 && views.every((s) => s.getAttribute('aria-busy') !== 'true');
  }, null, { timeout: 20000 });
}

export async function screenshotViews(page, prefix) {
  for (const id of VIEWS) {
    const view = page.locator(`#${id}`);
    if (await view.isVisible()) await view.screenshot({ path: path.join(SCREENSHOT_DIR, `${prefix}-${id}.png`) });
  }
}

export async function noHorizontalScroll(page) {
  const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scrollWidth <= innerWidth, `the page scrolls sideways: ${scrollWidth}px wide in a ${innerWidth}px window`);
}
