import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../server/parse/article.js';
import { isPublicSection } from '../../server/parse/article.js';
import { sampleLexicon } from '../helpers/sample.js';
import { launchChromium, lowContrastTexts, openPage, type Served, screenshot, serve } from './browser.js';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const CONTACT = { text: '拨打客服热线 400-123-4567（每天 8:00–22:00）', url: 'tel:4001234567' };
const INTERNAL_WORDS = ['内部备注', '内部信息', '内部说明', '勿向客户透露'];
const AGENT_VOICE = sampleLexicon().agentVoice;

let browser: Browser;
let served: Served;
beforeAll(async () => {
  browser = await launchChromium();
  served = await serve({ helpContact: CONTACT });
});
afterAll(async () => {
  await browser?.close();
  await served?.app.close();
});

let page: Page;
let errors: string[];
let closePage: (() => Promise<void>) | undefined;
let apiCalls: string[];
async function open(path: string): Promise<Page> {
  ({ page, errors, close: closePage } = await openPage(browser, served.baseUrl, PHONE));
  apiCalls = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.includes('/v1/')) apiCalls.push(url.pathname);
  });
  await page.goto(path);
  return page;
}
afterEach(async () => {
  expect(errors, 'no script errors or CSP violations').toEqual([]);
  expect(
    apiCalls.filter((path) => !path.startsWith('/public/v1/')),
    'the help page calls the public API only',
  ).toEqual([]);
  await closePage?.();
  closePage = undefined;
});

/**
 * What only agents may read in an article: its internal sections and the
 * lines of `::: internal` blocks, taken from the agent view of the article.
 * Lines that also occur in the public text are left out.
 */
function internalLines(article: Article): string[] {
  const squash = (text: string) => text.replace(/\s+/g, '');
  const publicText = squash(article.sections.map((s) => (s.internal ? '' : s.publicText)).join('\n'));
  const lines = article.sections.flatMap((s) =>
    s.internal ? [s.heading, ...s.text.split('\n')] : s.text.split('\n').filter((l) => !s.publicText.includes(l)),
  );
  return [...new Set(lines.map(squash))].filter((line) => line.length >= 4 && !publicText.includes(line));
}

/** Fails when the page shows any internal line of the article or internal wording. */
async function expectNoInternalText(article: Article): Promise<void> {
  const text = (await page.locator('body').innerText()).replace(/\s+/g, '');
  for (const line of internalLines(article)) expect(text, `${article.id} leaks: ${line}`).not.toContain(line);
  for (const word of INTERNAL_WORDS) expect(text, `${article.id} shows ${word}`).not.toContain(word);
  // The help page speaks to the customer: no "请客户…", "建工单", "转派" (lexicon/agent-voice.txt).
  for (const phrase of AGENT_VOICE) expect(text, `${article.id} says ${phrase}`).not.toContain(phrase);
  expect(await page.locator('[data-internal], .kb-internal, .is-internal, .badge-internal, .kb-customer').count()).toBe(
    0,
  );
}

async function noSideways(): Promise<void> {
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
}

describe('public help page', () => {
  it('searches with suggestions and opens a readable public article on a phone', async () => {
    await open('/help');
    await page.locator('#kb-help-intro').waitFor();
    const box = page.getByLabel('遇到了什么问题？');
    await box.pressSequentially('光猫亮红灯', { delay: 30 });
    const suggestions = page.locator('#kb-suggest [role="option"]');
    await suggestions.first().waitFor();
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    expect(await suggestions.first().locator('mark').count()).toBeGreaterThan(0);
    await screenshot(page, 'help-suggest-mobile.png', false);

    await box.press('Enter');
    await page.waitForURL(/\/help\?q=/);
    const results = page.locator('#kb-help-list a');
    await results.first().waitFor();
    expect(await results.first().getAttribute('href')).toBe(
      `/help/articles/bb-los-red?q=${encodeURIComponent('光猫亮红灯')}`,
    );
    expect(await page.locator('#kb-help-status').innerText()).toMatch(/找到 \d+ 篇/);
    await noSideways();
    await screenshot(page, 'help-search-mobile.png');

    await results.first().click();
    await page.waitForURL('**/help/articles/bb-los-red?q=*');
    const article = served.kb.getArticle('bb-los-red', 'agent');
    if (!article) throw new Error('sample article bb-los-red is missing');
    expect(internalLines(article).length).toBeGreaterThan(0);
    await page.getByRole('heading', { level: 1, name: article.title }).waitFor();
    expect(await page.locator('#kb-help-article .article-section').count()).toBe(
      article.sections.filter(isPublicSection).length,
    );
    expect(await page.locator('#kb-help-back').innerText()).toContain('返回搜索结果');
    // The customer's heading for what agents call 升级与时效; the text under it is the customer version.
    const waiting = page.locator('#kb-help-article #escalation');
    expect(await waiting.locator('.article-section-title').innerText()).toBe('要等多久、接下来会怎样');
    expect(await waiting.locator('.article-body').innerText()).toContain('24 小时内');
    await expectNoInternalText(article);
    expect(await lowContrastTexts(page)).toEqual([]);
    await noSideways();
    await screenshot(page, 'help-mobile.png');
  });

  it('opens the suggestion picked with the keyboard', async () => {
    await open('/help');
    const box = page.getByLabel('遇到了什么问题？');
    await box.pressSequentially('空调漏水');
    const first = page.locator('#kb-suggest [role="option"]').first();
    await first.waitFor();
    const href = await first.getAttribute('data-href');
    await box.press('ArrowDown');
    expect(await first.getAttribute('aria-selected')).toBe('true');
    await box.press('Enter');
    await page.waitForURL(`**${href}`);
    await page.locator('#kb-help-article h1').waitFor();
  });

  it('never shows a line of internal text on any public article', { timeout: 120_000 }, async () => {
    const articles = served.kb.articles('public').filter((a) => internalLines(a).length > 0);
    expect(articles.length).toBeGreaterThan(5);
    await open('/help');
    for (const article of articles) {
      await page.goto(`/help/articles/${article.id}`);
      await page.locator('#kb-help-article h1').waitFor();
      await expectNoInternalText(article);
    }
  });

  it('treats an internal article like one that does not exist', async () => {
    const internal = served.kb.articles('agent').find((a) => a.audience === 'internal');
    if (!internal) throw new Error('the sample content has no internal article');
    await open(`/help/articles/${internal.id}`);
    await page.getByText('没有找到这篇文章').waitFor();
    expect(await page.locator('body').innerText()).not.toContain(internal.title);
    // The API's 404 is logged by the browser; it is the expected answer here.
    errors.splice(0, errors.length, ...errors.filter((e) => !e.includes('404')));
  });

  it('searches in Traditional and says so plainly when nothing matches, with the way to reach a person', async () => {
    await open(`/help?q=${encodeURIComponent('光貓一直閃紅燈')}`);
    await page.locator(`#kb-help-list a[href^="/help/articles/bb-los-red?"]`).waitFor();
    expect(await page.locator('#kb-help-none').isHidden()).toBe(true);

    const q = 'xyzzyq';
    const api = await served.app.inject({ url: `/public/v1/search?q=${q}` });
    expect(api.json().hits).toEqual([]);
    await page.goto(`/help?q=${q}`);
    const none = page.locator('#kb-help-none');
    await none.getByRole('heading', { name: '没有找到' }).waitFor();
    const contact = none.getByRole('link', { name: CONTACT.text });
    expect(await contact.getAttribute('href')).toBe(CONTACT.url);
    expect(await page.locator('#kb-help-results').isHidden()).toBe(true);
    expect(await lowContrastTexts(page)).toEqual([]);
    await noSideways();
    await screenshot(page, 'help-none-mobile.png');
  });

  it('shows the contact route in the footer of every page', async () => {
    for (const path of ['/help', '/help/articles/bb-los-red']) {
      await open(path);
      const link = page.locator('footer').getByRole('link', { name: CONTACT.text });
      expect(await link.getAttribute('href')).toBe(CONTACT.url);
      await closePage?.();
    }
    closePage = undefined;
  });

  it('answers 404 for a missing or internal article, with the page that says so', async () => {
    const internal = served.kb.articles('agent').find((a) => a.audience === 'internal');
    if (!internal) throw new Error('the sample content has no internal article');
    await open('/help');
    for (const [path, status] of [
      ['/help/articles/bb-los-red', 200],
      ['/help/articles/no-such-article', 404],
      [`/help/articles/${internal.id}`, 404],
      ['/help/articles/NOT_AN_ID', 404],
    ] as const) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(status);
      if (status === 404) await page.getByText('没有找到这篇文章').waitFor();
      else await page.locator('#kb-help-article h1').waitFor();
    }
    errors.splice(0, errors.length, ...errors.filter((e) => !e.includes('404')));
  });

  it('links back to the results only when the article was opened from them', async () => {
    await open('/help/articles/bb-los-red');
    await page.locator('#kb-help-article h1').waitFor();
    expect(await page.locator('#kb-help-back').innerText()).toBe('← 返回帮助中心');
    expect(await page.locator('#kb-help-back').getAttribute('href')).toBe('/help');

    await page.goto(`/help?q=${encodeURIComponent('光猫')}`);
    await page.locator('#kb-help-list a').first().click();
    await page.locator('#kb-help-article h1').waitFor();
    expect(await page.locator('#kb-help-back').innerText()).toBe('← 返回搜索结果');
    await page.locator('#kb-help-back').click();
    await page.waitForURL(/\/help\?q=/);
    expect(await page.getByLabel('遇到了什么问题？').inputValue()).toBe('光猫');
  });

  it('suggests each article once, even when its title and a similar question both match', async () => {
    const q = '光猫';
    const api = (await served.app.inject({ url: `/public/v1/suggest?q=${encodeURIComponent(q)}&limit=20` })).json();
    const ids: string[] = api.suggestions.map((s: { articleId: string }) => s.articleId);
    expect(new Set(ids).size, 'the API itself lists an article twice for this query').toBeLessThan(ids.length);
    await open('/help');
    await page.getByLabel('遇到了什么问题？').pressSequentially(q);
    const options = page.locator('#kb-suggest [role="option"]');
    await options.first().waitFor();
    const hrefs = await options.evaluateAll((els) => els.map((el) => el.getAttribute('data-href')));
    expect(hrefs).toHaveLength(Math.min(6, new Set(ids).size));
    expect(new Set(hrefs).size).toBe(hrefs.length);
  });
});
