import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTraditional, isTraditionalText, toSimplified } from '../../server/answer/convert-script.js';
import type { KnowledgeBase } from '../../server/knowledge-base.js';
import { buildTestApp } from '../helpers/app.js';

const texts: Array<{ text: string; traditional: boolean }> = [
  { text: '機頂盒停在開機畫面，請客戶斷電重啟後等五分鐘。', traditional: true },
  { text: '機頂盒停在 LOGO 畫面多為軟件問題', traditional: true },
  { text: '机顶盒停在开机画面，请客户断电重启后等五分钟。', traditional: false },
  // A Simplified article quoting the customer's Traditional words is still Simplified.
  {
    text: '客户在微信里写“網路不通”，其实是光猫掉线，请先确认光猫指示灯、路由器和网线的连接情况。',
    traditional: false,
  },
  { text: 'LOS 10071 WiFi', traditional: false },
];

const phrases: Array<{ from: string; to: string }> = [
  { from: '軟體更新後記憶體不足', to: '软件更新后内存不足' },
  { from: '怎麼辦', to: '怎么办' },
  { from: '網路連線中斷', to: '网络连接中断' },
];

describe('isTraditionalText', () => {
  it.each(texts)('$text -> $traditional', ({ text, traditional }) => {
    expect(isTraditionalText(text)).toBe(traditional);
  });
});

describe('toSimplified', () => {
  it.each(phrases)('$from -> $to (by phrase, not by character)', ({ from, to }) => {
    expect(toSimplified(from)).toBe(to);
  });
});

describe('convert=simplified on the agent routes', () => {
  let app: FastifyInstance;
  let kb: KnowledgeBase;
  beforeAll(async () => {
    ({ app, kb } = await buildTestApp());
  });
  afterAll(() => app.close());

  const get = async (url: string) => (await app.inject({ url })).json();

  it('shows a Traditional article in Simplified, says so, and keeps the original without the parameter', async () => {
    const original = await get('/v1/articles/tv-stuck-logo');
    expect(original.title).toBe('機頂盒開機後一直停在 LOGO 畫面');
    expect(original).toMatchObject({ traditional: true, converted: false });
    const shown = await get('/v1/articles/tv-stuck-logo?convert=simplified');
    expect(shown).toMatchObject({ traditional: true, converted: true, title: '机顶盒开机后一直停在 LOGO 画面' });
    expect(shown.sections.map((s: { anchor: string }) => s.anchor)).toEqual(
      original.sections.map((s: { anchor: string }) => s.anchor),
    );
    const html = shown.sections.map((s: { html: string }) => s.html).join('');
    expect(html).toContain('href="/?article=tv-error-10071"');
    expect(html).not.toMatch(/機頂盒|畫面/);
  });

  it('leaves a Simplified article exactly as it is', async () => {
    const original = await get('/v1/articles/bb-los-red');
    expect(original).toMatchObject({ traditional: false, converted: false });
    expect(await get('/v1/articles/bb-los-red?convert=simplified')).toEqual(original);
  });

  it('converts the answer card and the hits of Traditional articles only', async () => {
    const q = encodeURIComponent('機頂盒一直停在開機畫面');
    const answer = await get(`/v1/answer?q=${q}&convert=simplified`);
    expect(answer.answer).toMatchObject({ articleId: 'tv-stuck-logo', traditional: true, converted: true });
    expect((await get(`/v1/answer?q=${q}`)).answer).toMatchObject({ traditional: true, converted: false });
    expect(JSON.stringify(answer.answer)).not.toMatch(/機頂盒|畫面/);
    const article = kb.getArticle('tv-stuck-logo', 'agent');
    expect(answer.answer.steps).toHaveLength(article?.sections.find((s) => s.kind === 'steps')?.items.length ?? -1);

    const search = await get(`/v1/search?q=${q}&convert=simplified`);
    const plain = await get(`/v1/search?q=${q}`);
    expect(search.hits.map((h: { id: string }) => h.id)).toEqual(plain.hits.map((h: { id: string }) => h.id));
    expect(search.hits[0].title).toBe('机顶盒开机后一直停在 LOGO 画面');
    const simplifiedHits = plain.hits.filter((h: { id: string }) => {
      const a = kb.getArticle(h.id, 'agent');
      return a && !isTraditional(a);
    });
    expect(simplifiedHits.length).toBeGreaterThan(0);
    for (const hit of simplifiedHits) expect(search.hits).toContainEqual(hit);
  });

  it('rejects any other value with a 400 that says what to send', async () => {
    const res = await app.inject({ url: '/v1/articles/bb-los-red?convert=traditional' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('convert 只能是 simplified');
  });
});
