import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lowContrastTexts, type Served, screenshot, serve } from './browser.js';
import { useConsole } from './console-page.js';

const ui = useConsole();
const { box, card, options, answerOf, typeAndWaitForCard } = ui;

describe('agent console', () => {
  it('focuses the search box on load and explains the keys', async () => {
    const page = await ui.open();
    await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('kb-q');
    expect(await page.locator('label[for="kb-q"]').innerText()).toBe('搜索客户问题');
    expect(await page.locator('#kb-search-keys').innerText()).toContain('Esc');
  });

  it('turns a colloquial query into the right answer card: steps, script, escalation, fault type', async () => {
    const page = await ui.open();
    // Time from the last keystroke to the card being on screen, measured in the page.
    await page.evaluate(`(() => {
      const card = document.getElementById('kb-answer');
      window.kbTiming = {};
      document.getElementById('kb-q').addEventListener('input', () => { window.kbTiming.lastInput = performance.now(); });
      new MutationObserver(() => {
        if (card.hidden || card.dataset.articleId !== 'bb-los-red' || window.kbTiming.card) return;
        requestAnimationFrame(() => setTimeout(() => { window.kbTiming.card ??= performance.now(); }));
      }).observe(card, { attributes: true, attributeFilter: ['data-article-id', 'hidden'] });
    })()`);
    await typeAndWaitForCard('光猫一直闪红灯', 'bb-los-red');
    await page.waitForFunction('window.kbTiming.card > 0');
    const ms = await page.evaluate<number>('window.kbTiming.card - window.kbTiming.lastInput');
    console.log(`[web] keystroke-to-card: ${Math.round(ms)} ms (includes the 120 ms typing debounce)`);

    const expected = (await answerOf('光猫一直闪红灯')).answer;
    const steps = card().locator('.card-steps li');
    expect(await steps.allInnerTexts()).toEqual(expected.steps);
    expect(await card().locator('.card-summary').innerText()).toBe(expected.summary);
    expect(await card().locator('.card-script-text').innerText()).toBe(expected.script);
    expect(await card().locator('.badge-fault').innerText()).toBe('硬件故障');
    const escalation = await card().locator('.card-escalation').innerText();
    expect(escalation).toContain('24 小时内');
    expect(await card().locator('.card-escalation .duration').first().innerText()).toMatch(/\d+ 小时/);
    expect(await card().getByRole('button', { name: '复制话术' }).isVisible()).toBe(true);
    if (!(await answerOf('光猫一直闪红灯')).confident) {
      expect(await card().locator('.card-unsure').innerText()).toContain('没有把握');
    }
    // The result list shows title, product / category and a highlighted snippet.
    const first = options().first();
    expect(await first.getAttribute('data-id')).toBe('bb-los-red');
    expect(await first.innerText()).toContain('宽带 · 故障排查');
    expect(await first.locator('.hit-snippet mark').count()).toBeGreaterThan(0);
    expect(await lowContrastTexts(page)).toEqual([]);
    await screenshot(page, 'console.png');
  });

  it('answers Traditional input with the same card', async () => {
    await ui.open();
    await typeAndWaitForCard('光貓一直閃紅燈', 'bb-los-red');
  });

  it('says 没有把握 when the answer is not confident', async () => {
    const q = '退款';
    expect((await answerOf(q)).confident).toBe(false);
    await ui.open();
    await box().fill(q);
    await card().locator('.card-unsure').waitFor();
    expect(await card().locator('.card-unsure').innerText()).toContain('没有把握');
  });

  it('copies the script with one click through the Clipboard API', async () => {
    const page = await ui.open('/', { permissions: ['clipboard-read', 'clipboard-write'] });
    await typeAndWaitForCard('光猫一直闪红灯', 'bb-los-red');
    await card().getByRole('button', { name: '复制话术' }).click();
    await card().getByText('已复制').waitFor();
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toBe((await answerOf('光猫一直闪红灯')).answer.script);
  });

  it('copies through the textarea fallback where the Clipboard API is missing', async () => {
    const page = await ui.open('about:blank');
    await page.addInitScript('Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined })');
    await page.goto('/');
    expect(await page.evaluate('navigator.clipboard === undefined')).toBe(true);
    await typeAndWaitForCard('空调漏水', 'ac-water-leak');
    await card().getByRole('button', { name: '复制话术' }).click();
    await card().getByText('已复制').waitFor();
  });

  it('is keyboard first: ↓/↑ move through the results, Enter opens and focuses the article, / and Esc', async () => {
    const page = await ui.open();
    await typeAndWaitForCard('光猫一直闪红灯', 'bb-los-red');
    await box().press('ArrowDown');
    await box().press('ArrowDown');
    await box().press('ArrowUp');
    expect(await options().first().getAttribute('aria-selected')).toBe('true');
    expect(await options().nth(1).getAttribute('aria-selected')).toBe('false');
    expect(await box().getAttribute('aria-activedescendant')).toBe(await options().first().getAttribute('id'));

    const title = await options().first().locator('.hit-title').innerText();
    await box().press('Enter');
    await page.locator('#kb-article h2').getByText(title).waitFor();
    expect(new URL(page.url()).searchParams.get('article')).toBe('bb-los-red');
    // Focus moved to the article: / goes back to the box instead of typing a slash into the query.
    expect(await page.evaluate('document.activeElement.id')).toBe('kb-article');
    expect(await card().isHidden()).toBe(true);
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement.id')).toBe('kb-q');
    expect(await box().inputValue()).toBe('光猫一直闪红灯');

    await box().press('Escape');
    expect(await box().inputValue()).toBe('');
    expect(await options().count()).toBe(0);
    expect(await page.locator('#kb-article-panel').isHidden()).toBe(true);
    expect(new URL(page.url()).search).toBe('');

    await page.locator('#kb-empty').click();
    expect(await page.evaluate('document.activeElement.id')).not.toBe('kb-q');
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement.id')).toBe('kb-q');
    expect(await box().inputValue()).toBe('');
  });

  it('Tab from the search box goes into the answer before any other link on the page', async () => {
    const page = await ui.open();
    await typeAndWaitForCard('光猫一直闪红灯', 'bb-los-red');
    await box().press('Tab');
    expect(await page.evaluate('document.activeElement.closest("#kb-answer") !== null')).toBe(true);
    expect(await page.evaluate('document.activeElement.getAttribute("href")')).toBe('/?article=bb-los-red');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('kb-q');
    // The links to the other pages come after the answer and the results.
    const order = await page.evaluate<boolean>(
      `!!(document.querySelector('#kb-results').compareDocumentPosition(document.querySelector('a[href="/help"]')) & Node.DOCUMENT_POSITION_FOLLOWING)`,
    );
    expect(order).toBe(true);
  });

  it('opens /?article=id with every section, internal ones visibly marked', async () => {
    const article = ui.served.kb.getArticle('bb-los-red', 'agent');
    if (!article) throw new Error('sample article bb-los-red is missing');
    const page = await ui.open('/?article=bb-los-red');
    await page.locator('#kb-article .article-section').first().waitFor();
    const headings = await page.locator('#kb-article .article-section-title').allInnerTexts();
    expect(headings).toHaveLength(article.sections.length);
    const internal = page.locator('#kb-article .article-section.is-internal');
    expect(await internal.count()).toBe(article.sections.filter((s) => s.internal).length);
    expect(await internal.first().locator('.badge-internal').innerText()).toContain('内部');
    expect(await page.locator('#kb-article .kb-internal').count()).toBeGreaterThan(0);
    expect(await page.title()).toContain(article.title);
    await screenshot(page, 'console-article.png');

    // A link inside the article opens the linked article in place.
    await page.locator('#kb-article a[href="/?article=bb-modem-restart"]').first().click();
    await page.waitForURL(/article=bb-modem-restart/);
    await page.locator('#kb-article[data-article-id="bb-modem-restart"]').waitFor();
    await page.goBack();
    await page.locator('#kb-article[data-article-id="bb-los-red"]').waitFor();
  });

  it('builds product and category chips from the results and filters with them', async () => {
    const page = await ui.open();
    await box().fill('退款');
    await options().first().waitFor();
    const categories = page.getByRole('group', { name: '按分类筛选' }).getByRole('button');
    expect(await categories.count()).toBeGreaterThan(1);
    const chip = categories.first();
    const category = await chip.innerText();
    await chip.click();
    await expect.poll(() => chip.getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate('document.activeElement.textContent')).toBe(category);
    await expect
      .poll(async () => (await options().allInnerTexts()).every((text) => text.includes(`· ${category}`)))
      .toBe(true);
    await page.getByRole('group', { name: '按分类筛选' }).getByRole('button', { name: category }).click();
    await expect.poll(() => categories.count()).toBeGreaterThan(1);
  });

  it('drops responses that arrive after a newer query', async () => {
    const page = await ui.open();
    await page.route(
      (url) => url.pathname.startsWith('/v1/') && url.searchParams.get('q') === '空调',
      async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 800));
        await route.continue().catch(() => {});
      },
    );
    await box().fill('空调');
    await page.waitForTimeout(250);
    await box().pressSequentially('漏水');
    await card().locator('[href="/?article=ac-water-leak"]').waitFor();
    await page.waitForTimeout(1000);
    expect(await card().getAttribute('data-article-id')).toBe('ac-water-leak');
  });

  it('shows 备用索引 when the answer comes from the fallback index', async () => {
    const page = await ui.open();
    await page.route('**/v1/search?*', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), degraded: true } });
    });
    await box().fill('空调漏水');
    await page.locator('#kb-degraded').waitFor();
    expect(await page.locator('#kb-degraded').innerText()).toContain('备用索引');
  });
});

describe('agent console with keys configured', () => {
  const key = 'console-test-key-0123456789';
  let keyed: Served;
  beforeAll(async () => {
    keyed = await serve({ kb: ui.served.kb, access: { agentKeys: [key], adminKeys: [], localMode: false } });
  });
  afterAll(() => keyed?.app.close());

  it('asks for the key on 401, keeps it in localStorage and sends it', async () => {
    const page = await ui.open('/', {}, keyed.baseUrl);
    await box().fill('空调漏水');
    const prompt = page.locator('#kb-key-form');
    await prompt.waitFor();
    expect(await prompt.innerText()).toContain('坐席密钥');
    await page.locator('#kb-key').fill(key);
    await prompt.getByRole('button', { name: '保存并重试' }).click();
    await page.locator('#kb-answer[data-article-id="ac-water-leak"]').waitFor();
    expect(await page.evaluate('localStorage.getItem("kb.agentKey")')).toBe(key);
    expect(await prompt.isHidden()).toBe(true);
    // The browser logs the 401s that asked for the key; those are the point of this test.
    ui.errors.splice(0, ui.errors.length, ...ui.errors.filter((e) => !e.includes('401')));
  });
});
