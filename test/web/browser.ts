import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import type { AccessConfig } from '../../server/http/auth.js';
import type { HelpContact } from '../../server/http/web-routes.js';
import type { KnowledgeBase } from '../../server/knowledge-base.js';
import { buildTestApp } from '../helpers/app.js';
import { ROOT } from '../helpers/sample.js';

// Real-browser tests: Debian's Chromium driven by playwright-core against the
// real service on a free port. `npx playwright install` has nothing to fetch
// here, so the system browser is used; a missing one fails the suite.

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

/**
 * No inline script or style, no eval. Every page in these tests is served
 * under it on top of whatever policy the service sends, so a violation shows
 * up as a console error and fails the test.
 */
const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

export type Served = { app: FastifyInstance; kb: KnowledgeBase; baseUrl: string };

/** Launches Debian's Chromium; throws (the suite fails, it does not skip) when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM} and it is not there. Install it with: apt-get install chromium`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The sample knowledge base behind the real app, listening on a free loopback port. */
export async function serve(
  options: { kb?: KnowledgeBase; access?: AccessConfig; helpContact?: HelpContact } = {},
): Promise<Served> {
  const { app, kb } = await buildTestApp(options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { app, kb, baseUrl: `http://127.0.0.1:${port}` };
}

/**
 * A page in a fresh context. Pages (not API calls) get the strict CSP added;
 * page errors and console errors are collected in `errors`.
 */
export async function openPage(
  browser: Browser,
  baseUrl: string,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL: baseUrl, ...options });
  // Under vitest's 20 s test timeout, so a missing element fails with the locator's own message.
  context.setDefaultTimeout(8_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      errors.push(`console: ${message.text()}`);
    }
  });
  await page.route(
    (url) => url.pathname === '/' || url.pathname.startsWith('/help'),
    async (route) => {
      const response = await route.fetch();
      const served = response.headers()['content-security-policy'];
      // Two comma-separated policies are both enforced: the service's own and the strict one.
      const csp = served ? `${served}, ${STRICT_CSP}` : STRICT_CSP;
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
    },
  );
  return { page, errors, close: () => context.close() };
}

/** Saves a screenshot (the full page unless told otherwise) under test-artifacts/. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/**
 * Text elements whose colour contrast with their background is under 4.5:1
 * (WCAG AA). Runs in the page, as a string because this project compiles
 * without the DOM library.
 */
export function lowContrastTexts(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const rgba = (c) => (c.match(/[\\d.]+/g) || ['0', '0', '0', '0']).map(Number).concat([1]).slice(0, 4);
    const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) return c;
      }
      return [255, 255, 255, 1];
    };
    const low = [];
    for (const el of document.body.querySelectorAll('*')) {
      const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!text || el.getClientRects().length === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      const [a, b] = [luminance(rgba(getComputedStyle(el).color)), luminance(background(el))].sort((x, y) => y - x);
      const ratio = (a + 0.05) / (b + 0.05);
      if (ratio < 4.5) low.push(ratio.toFixed(2) + ' ' + el.tagName + '.' + el.className + ': ' + el.textContent.trim().slice(0, 24));
    }
    return low;
  })()`);
}
