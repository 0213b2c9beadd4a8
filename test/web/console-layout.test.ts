import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, type Served, screenshot, serve } from './browser.js';

// A laptop screen: what the agent needs during a call (one-line answer, words
// to say, steps, who takes over and how long) must be on it without scrolling.
const VIEWPORT = { width: 1280, height: 800 };
const CALL_BLOCKS = ['.card-summary', '.card-block-script', '.card-block-steps', '.card-block-escalation'];

let browser: Browser;
let served: Served;
let page: Page;
let errors: string[];
let closePage: () => Promise<void>;
beforeAll(async () => {
  browser = await launchChromium();
  served = await serve();
  ({ page, errors, close: closePage } = await openPage(browser, served.baseUrl, { viewport: VIEWPORT }));
});
afterAll(async () => {
  await closePage?.();
  await browser?.close();
  await served?.app.close();
});

type Box = { selector: string; top: number; bottom: number };

/** The card's blocks in the page's coordinates, in the order they are drawn (a string: no DOM library here). */
function boxes(): Promise<Box[]> {
  return page.evaluate<Box[]>(`${JSON.stringify([...CALL_BLOCKS, '.card-facts'])}.flatMap((selector) => {
    const el = document.querySelector('#kb-answer ' + selector);
    if (!el) return [];
    const { top, bottom } = el.getBoundingClientRect();
    return [{ selector, top, bottom }];
  })`);
}

async function answerFor(q: string) {
  const res = await served.app.inject({ url: `/v1/answer?q=${encodeURIComponent(q)}&convert=simplified` });
  return res.json();
}

describe('answer card at 1280×800', () => {
  it('leads with answer, script, steps and escalation, all above the fold, symptom and cause after', async () => {
    await page.goto('/');
    await page.locator('#kb-q').pressSequentially('光猫一直闪红灯', { delay: 20 });
    await page.locator('#kb-answer[data-article-id="bb-los-red"]').waitFor();
    const drawn = await boxes();
    expect(drawn.map((b) => b.selector)).toEqual([...CALL_BLOCKS, '.card-facts']);
    for (let i = 1; i < drawn.length; i++) {
      expect(drawn[i]?.top, `${drawn[i]?.selector} below ${drawn[i - 1]?.selector}`).toBeGreaterThanOrEqual(
        drawn[i - 1]?.bottom ?? 0,
      );
    }
    const escalation = drawn.find((b) => b.selector === '.card-block-escalation');
    expect(escalation?.bottom).toBeLessThanOrEqual(VIEWPORT.height);
    await screenshot(page, 'console-1280x800.png', false);
  });

  it('fits every sample article’s card down to the escalation', async () => {
    await page.goto('/');
    await page.evaluate('import("/assets/js/answer-card.js").then((m) => { window.kbCard = m; })');
    await page.waitForFunction('window.kbCard !== undefined');
    const tooLong: string[] = [];
    let checked = 0;
    let lowest = 0;
    for (const article of served.kb.articles('agent')) {
      const data = await answerFor(article.title);
      if (data.answer?.articleId !== article.id) continue;
      checked++;
      await page.evaluate(
        `(() => {
          const card = document.getElementById('kb-answer');
          window.kbCard.renderAnswerCard(card, ${JSON.stringify(data)}, ${JSON.stringify(article.title)}, { onScript() {} });
          card.hidden = false;
          document.getElementById('kb-empty').hidden = true;
          window.scrollTo(0, 0);
        })()`,
      );
      const last = (await boxes()).filter((b) => CALL_BLOCKS.includes(b.selector)).at(-1);
      lowest = Math.max(lowest, last?.bottom ?? 0);
      if (!last || last.bottom > VIEWPORT.height) tooLong.push(`${article.id}: ${Math.round(last?.bottom ?? 0)} px`);
    }
    console.log(`[web] ${checked} cards at 1280×800: the lowest escalation ends at ${Math.round(lowest)} px`);
    expect(checked).toBeGreaterThan(50);
    expect(tooLong, 'cards whose escalation ends below the fold').toEqual([]);
    expect(errors).toEqual([]);
  });
});
