import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../../server/knowledge-base.js';
import { searchKnowledgeBase } from '../../server/search/search.js';
import { suggest } from '../../server/search/suggest.js';
import { loadSampleKnowledgeBase } from '../helpers/app.js';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await loadSampleKnowledgeBase();
});

const search = (q: string, over: Record<string, unknown> = {}) =>
  searchKnowledgeBase(kb, { q, scope: 'agent', limit: 5, offset: 0, ...over });

/** Queries typed the way people type, with the article that must come first and why. */
const firstHits: Array<[query: string, id: string, why: string]> = [
  ['光猫一直闪红灯', 'bb-los-red', 'colloquial: the red light is LOS'],
  ['光貓一直閃紅燈', 'bb-los-red', 'Traditional script finds the Simplified article'],
  ['LOS', 'bb-los-red', 'an indicator name alone'],
  ['光毛亮红灯', 'bb-los-red', 'homophone typo from the lexicon (光毛 for 光猫)'],
  ['空调滴水', 'ac-water-leak', 'a synonym of 漏水'],
  ['電瓶沒電打不著火', 'car-battery-rescue', 'Traditional and colloquial'],
  ['机顶盒一直停在logo', 'tv-stuck-logo', 'Simplified query, Traditional article'],
  ['拨号691', 'bb-dial-error', 'error code'],
];

describe('search over the sample knowledge base', () => {
  it.each(firstHits)('%s -> %s first (%s)', async (q, id) => {
    const outcome = await search(q);
    expect(outcome.hits[0]?.id).toBe(id);
  });

  it('highlights a Traditional article in Traditional', async () => {
    const outcome = await search('机顶盒 画面');
    const hit = outcome.hits.find((h) => h.id === 'tv-stuck-logo');
    expect(hit?.section.snippet).toMatch(/<mark>(機頂盒|畫面)<\/mark>/);
  });

  it('filters by product and category, and an unknown product is simply empty', async () => {
    const outcome = await search('漏水', { product: '空调' });
    expect(outcome.hits.length).toBeGreaterThan(0);
    expect(outcome.hits.every((h) => h.product === '空调')).toBe(true);
    expect((await search('漏水', { product: '火箭' })).total).toBe(0);
    const cat = await search('光猫', { category: '业务办理' });
    expect(cat.hits.every((h) => h.category === '业务办理')).toBe(true);
  });

  it('pages through results without repeating an article', async () => {
    const first = await search('宽带', { limit: 3 });
    const second = await search('宽带', { limit: 3, offset: 3 });
    expect(second.total).toBe(first.total);
    const ids = [...first.hits, ...second.hits].map((h) => h.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('returns nothing for words that share only chance characters with the knowledge base', async () => {
    for (const q of ['光荣榜', '犀牛', '空姐', 'xyzzyq']) {
      expect((await search(q)).total, q).toBe(0);
    }
  });

  it('says noGoodMatch when the matches share only single characters with the question, listing them for agents', async () => {
    // 火星 and 外卖 are nowhere in the knowledge base; 上 and 点 are everywhere.
    const agent = await search('火星上的外卖怎么点');
    expect(agent.noGoodMatch).toBe(true);
    const pub = await search('火星上的外卖怎么点', { scope: 'public' });
    expect(pub).toMatchObject({ noGoodMatch: true, total: 0, hits: [] });
  });

  it('does not say noGoodMatch for real questions, typos and fragments', async () => {
    for (const q of ['光猫一直闪红灯', '光毛亮红灯', '空调滴水', '拨号691', '闪红']) {
      const outcome = await search(q);
      expect(outcome.noGoodMatch, q).toBe(false);
      expect(outcome.hits.length, q).toBeGreaterThan(0);
    }
  });

  it('on the public scope shows only hits with an informative match, and counts only those', async () => {
    const outcome = await search('光猫红灯', { scope: 'public', limit: 20 });
    expect(outcome.hits.length).toBeGreaterThan(0);
    expect(outcome.total).toBe(outcome.hits.length);
    expect(outcome.evidence.every((e) => e.informative)).toBe(true);
  });

  it('marks words in snippets, not stray single characters of a longer question', async () => {
    const outcome = await search('火星上的外卖怎么点');
    for (const hit of outcome.hits) expect(hit.section.snippet, hit.id).not.toMatch(/<mark>[上点]<\/mark>/);
    const words = await search('光猫一直闪红灯');
    expect(words.hits[0]?.section.snippet).toMatch(/<mark>(光猫|红灯|闪)/);
  });

  it('rescoring and judging never throw on empty, one-character, emoji-only or 500-character queries', async () => {
    for (const q of ['', '猫', '😀🙂', '光猫红灯'.repeat(125), '的了吗']) {
      for (const scope of ['agent', 'public'] as const) {
        const outcome = await search(q, { scope });
        expect(typeof outcome.noGoodMatch, q).toBe('boolean');
        expect(outcome.evidence).toHaveLength(outcome.hits.length);
      }
    }
  });

  it('marks articles past their review date as stale', async () => {
    const outcome = await search('路由器恢复出厂设置');
    expect(outcome.hits.find((h) => h.id === 'bb-router-reset')?.stale).toBe(true);
  });

  it('on the public scope, never returns internal articles and builds snippets from public text only', async () => {
    const internalIds = new Set(
      kb
        .articles('agent')
        .filter((a) => a.audience === 'internal')
        .map((a) => a.id),
    );
    for (const q of ['光猫', '赔付权限', '十大服务红线', '退款', '内部']) {
      const outcome = await search(q, { scope: 'public', limit: 50 });
      for (const hit of outcome.hits) {
        expect(internalIds.has(hit.id), `${q}: ${hit.id}`).toBe(false);
        expect(hit.section.kind).not.toBe('internal');
        expect(hit.section.snippet).not.toContain('内部');
      }
    }
  });
});

describe('suggest', () => {
  it('completes from titles and similar questions as the agent types', async () => {
    const suggestions = await suggest(kb, '光猫亮', 'agent', 8);
    expect(suggestions.length).toBeGreaterThan(0);
    expect(suggestions.some((s) => s.articleId === 'bb-los-red')).toBe(true);
    expect(suggestions[0]?.highlighted).toContain('<mark>');
  });

  it('on the public scope suggests only public articles', async () => {
    const publicIds = new Set(kb.articles('public').map((a) => a.id));
    for (const q of ['赔付', '红线', '光猫', '空调']) {
      for (const s of await suggest(kb, q, 'public', 20)) expect(publicIds.has(s.articleId), s.articleId).toBe(true);
    }
  });
});
