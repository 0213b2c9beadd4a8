import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchChromium, openPage, type Served, serve } from './browser.js';

type PageOptions = Parameters<typeof openPage>[2];

/**
 * The agent console against the sample knowledge base, for one test file:
 * registers the hooks (a browser and a served app per file, a fresh page per
 * test, no script errors or CSP violations allowed) and returns the helpers.
 */
export function useConsole() {
  let browser: Browser;
  let served: Served;
  let page: Page;
  let errors: string[] = [];
  let closePage: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
    served = await serve();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.app.close();
  });
  afterEach(async () => {
    expect(errors, 'no script errors or CSP violations').toEqual([]);
    await closePage?.();
    closePage = undefined;
  });

  const ui = {
    get page() {
      return page;
    },
    get served() {
      return served;
    },
    get browser() {
      return browser;
    },
    /** Errors collected on the current page; a test that expects some removes them. */
    get errors() {
      return errors;
    },
    /** A fresh page at `path` (1280×900 unless told otherwise), on `baseUrl` or the sample app. */
    async open(path = '/', options: PageOptions = {}, baseUrl = served.baseUrl): Promise<Page> {
      const viewport = { width: 1280, height: 900 };
      ({ page, errors, close: closePage } = await openPage(browser, baseUrl, { viewport, ...options }));
      await page.goto(path);
      return page;
    },
    box: () => page.locator('#kb-q'),
    card: () => page.locator('#kb-answer'),
    options: () => page.locator('#kb-results [role="option"]'),
    async answerOf(q: string, extra = '') {
      const res = await served.app.inject({ url: `/v1/answer?q=${encodeURIComponent(q)}${extra}` });
      return res.json();
    },
    /**
     * Types like a person, one key at a time, and waits for the card of
     * `articleId` and the result list, both for the whole query: a card or
     * list drawn for a prefix typed on the way (a slow machine searches
     * "光猫一直闪" too) is redrawn moments later, so acting on it races with
     * that redraw.
     */
    async typeAndWaitForCard(q: string, articleId: string): Promise<void> {
      await ui.box().pressSequentially(q, { delay: 30 });
      await ui.waitForQuery(q, articleId);
    },
    /** The card of `articleId` and the result list, both drawn for `q`. */
    async waitForQuery(q: string, articleId: string): Promise<void> {
      const query = JSON.stringify(q);
      await page
        .locator(`#kb-answer[data-article-id="${articleId}"][data-query=${query}]`)
        .waitFor({ state: 'visible' });
      await page.locator(`#kb-results[data-query=${query}]`).waitFor({ state: 'attached' });
    },
  };
  return ui;
}
