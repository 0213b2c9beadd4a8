import { describe, expect, it } from 'vitest';
import { useConsole } from './console-page.js';

// The answer card and article view beyond search: links, copy, script, no good match, feedback.
const ui = useConsole();
const { box, card, answerOf, typeAndWaitForCard } = ui;

describe('agent console: card and article', () => {
  it('opens a kb: link inside a card step in the console', async () => {
    const page = await ui.open();
    await typeAndWaitForCard('光猫一直闪红灯', 'bb-los-red');
    const expected = (await answerOf('光猫一直闪红灯')).answer.links.find(
      (link: { articleId: string }) => link.articleId === 'bb-modem-restart',
    );
    const link = card().locator('.card-steps a[href="/?article=bb-modem-restart"]');
    expect(await link.innerText()).toBe(expected.text);
    await link.click();
    await page.locator('#kb-article[data-article-id="bb-modem-restart"]').waitFor();
    expect(new URL(page.url()).searchParams.get('article')).toBe('bb-modem-restart');
  });

  it('copies the script from the article view, without its internal block', async () => {
    const page = await ui.open('/?article=bb-los-red', { permissions: ['clipboard-read', 'clipboard-write'] });
    const script = page.locator('#kb-article .article-section').filter({ hasText: '话术' }).first();
    await script.getByRole('button', { name: '复制话术' }).click();
    await script.getByText('已复制').waitFor();
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toBe((await answerOf('光猫一直闪红灯')).answer.script);
    expect(copied).not.toContain('严禁');
  });

  it('marks the customer version of a section in the article view', async () => {
    const page = await ui.open('/?article=bb-los-red');
    const steps = page.locator('#kb-article #steps');
    await steps.waitFor();
    expect(await steps.locator('.article-body > ol').first().innerText()).toContain('请客户');
    const customer = steps.locator('.kb-customer');
    expect(await customer.locator('.kb-customer-label').innerText()).toContain('客户版本');
    expect(await customer.innerText()).not.toContain('请客户');
  });

  it('shows a Traditional article in Simplified, the original one click away', async () => {
    const original = ui.served.kb.getArticle('car-brake-noise', 'agent');
    if (!original) throw new Error('sample article car-brake-noise is missing');
    const q = '踩刹车吱吱响';
    const page = await ui.open();
    await typeAndWaitForCard(q, 'car-brake-noise');
    const converted = (await answerOf(q, '&convert=simplified')).answer;
    expect(converted.converted).toBe(true);
    expect(await card().locator('.card-title').innerText()).toBe(converted.title);
    expect(await card().locator('.badge-script').innerText()).toContain('已转为简体');
    await card().getByRole('button', { name: '看繁体原文' }).click();
    await expect.poll(() => card().locator('.card-title').innerText()).toBe(original.title);
    await card().getByRole('button', { name: '转为简体' }).click();
    await expect.poll(() => card().locator('.card-title').innerText()).toBe(converted.title);

    await card().locator('.card-title a').click();
    await page.locator('#kb-article[data-article-id="car-brake-noise"]').waitFor();
    expect(await page.locator('#kb-article .article-title').innerText()).toBe(converted.title);
    await page.locator('#kb-article').getByRole('button', { name: '看繁体原文' }).click();
    await expect.poll(() => page.locator('#kb-article .article-title').innerText()).toBe(original.title);
  });

  it('says 没有找到可靠答案 and lists the alternatives as 可能相关 when there is no good match', async () => {
    const page = await ui.open();
    // The field comes with the relevance work; here the response is given it.
    await page.route('**/v1/answer?*', async (route) => {
      const response = await route.fetch();
      const data = await response.json();
      await route.fulfill({ response, json: { ...data, noGoodMatch: true, confident: false, answer: null } });
    });
    await box().fill('空调漏水');
    await card().locator('.card-title').getByText('没有找到可靠答案').waitFor();
    expect(await card().getAttribute('data-state')).toBe('no-good-match');
    expect(await card().locator('#kb-card-alternatives').innerText()).toBe('可能相关');
    expect(await card().locator('.card-alternatives li').count()).toBeGreaterThan(0);
  });

  it('sends feedback and thanks the agent', async () => {
    const page = await ui.open();
    await typeAndWaitForCard('空调漏水', 'ac-water-leak');
    const posted = page.waitForRequest((request) => request.url().endsWith('/v1/feedback'));
    await card().getByRole('button', { name: '有帮助' }).click();
    expect((await posted).postDataJSON()).toEqual({ query: '空调漏水', articleId: 'ac-water-leak', helpful: true });
    await card().getByText('谢谢，已记录').waitFor();
    expect(await card().getByRole('button', { name: '有帮助' }).getAttribute('aria-pressed')).toBe('true');
    expect(await card().locator('.card-steps li').count()).toBeGreaterThan(0);
  });

  it('takes a short reason with 没帮助 and sends it with the feedback', async () => {
    const page = await ui.open();
    await typeAndWaitForCard('空调漏水', 'ac-water-leak');
    await card().getByRole('button', { name: '没帮助' }).click();
    const reason = card().getByRole('textbox', { name: '没帮助的原因' });
    expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe('没帮助的原因');
    const posted = page.waitForResponse((response) => response.url().endsWith('/v1/feedback'));
    await reason.fill('客户是挂机漏水，不是内机');
    await reason.press('Enter');
    const response = await posted;
    expect(response.status()).toBe(202);
    expect(response.request().postDataJSON()).toEqual({
      query: '空调漏水',
      articleId: 'ac-water-leak',
      helpful: false,
      comment: '客户是挂机漏水，不是内机',
    });
    await card().getByText('谢谢，已记录原因').waitFor();
    expect(await card().getByRole('button', { name: '没帮助' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('sends 没帮助 without a reason when the agent skips it', async () => {
    const page = await ui.open();
    await typeAndWaitForCard('空调漏水', 'ac-water-leak');
    await card().getByRole('button', { name: '没帮助' }).click();
    const posted = page.waitForRequest((request) => request.url().endsWith('/v1/feedback'));
    await card().getByRole('button', { name: '不填了' }).click();
    expect((await posted).postDataJSON()).toEqual({ query: '空调漏水', articleId: 'ac-water-leak', helpful: false });
    await card().getByText('谢谢，已记录').waitFor();
  });
});
