import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../server/analyze/analyzer.js';
import {
  buildFilter,
  mergeResults,
  planSearch,
  queryWords,
  quote,
} from '../../../server/engine/meilisearch/meilisearch-query.js';
import { PRESEGMENTED_LOCALE } from '../../../server/engine/meilisearch/meilisearch-settings.js';
import type { EngineQuery } from '../../../server/engine/search-engine.js';
import { sampleLexicon } from '../../helpers/sample.js';

const analyzer = createAnalyzer(sampleLexicon());

const engineQuery = (text: string, over: Partial<EngineQuery> = {}): EngineQuery => ({
  terms: analyzer.analyzeQuery(text).terms,
  prefixLast: false,
  scope: 'agent',
  filters: {},
  limit: 10,
  offset: 0,
  ...over,
});

describe('Meilisearch filter expressions', () => {
  it('puts the scope inside every query', () => {
    expect(buildFilter('agent', {})).toBe('visibility IN ["all", "agent"]');
    expect(buildFilter('public', {})).toBe('visibility IN ["all", "public"]');
  });

  // Each value must stay one string literal: [value, the literal Meilisearch reads].
  const hostile: Array<[string, string]> = [
    ['宽带" OR audience = "internal', '"宽带\\" OR audience = \\"internal"'],
    ['宽带\\', '"宽带\\\\"'],
    ['宽带\\" OR visibility = "agent', '"宽带\\\\\\" OR visibility = \\"agent"'],
    ['"] OR visibility IN ["agent', '"\\"] OR visibility IN [\\"agent"'],
  ];
  it.each(hostile)('escapes %s', (value, literal) => {
    expect(quote(value)).toBe(literal);
    const filter = buildFilter('public', { product: value, category: '故障排查' });
    expect(filter).toBe(`visibility IN ["all", "public"] AND product = ${literal} AND category = "故障排查"`);
    // Unescaped, the literal is exactly the value again: nothing leaked out of the quotes.
    expect(JSON.parse(literal)).toBe(value);
  });
});

describe('Meilisearch search plan', () => {
  it('sends one query per typed word, one with all of them, and one on the grams field', () => {
    const plan = planSearch(engineQuery('光猫 红灯'), 'kb_sections');
    expect(plan?.queries.map((q) => q.q)).toEqual(['光猫 ', '红灯 ', '光猫 红灯 ', expect.any(String)]);
    // A word Meilisearch cuts into pieces (a Latin word at `.`) must match all of them, not only the first.
    expect(plan?.queries.slice(0, 2).map((q) => q.matchingStrategy)).toEqual(['all', 'all']);
    expect(plan?.queries[2]?.matchingStrategy).toBe('last');
    expect(plan?.queries[3]).toMatchObject({ matchingStrategy: 'frequency', attributesToSearchOn: ['grams'] });
    for (const q of plan?.queries ?? []) {
      expect(q).toMatchObject({
        indexUid: 'kb_sections',
        locales: [PRESEGMENTED_LOCALE],
        filter: 'visibility IN ["all", "agent"]',
      });
      // Page mode: totalHits counts articles (distinct), estimatedTotalHits would count sections.
      expect(q).toMatchObject({ page: 1, hitsPerPage: 50 });
      expect(q.limit).toBeUndefined();
    }
  });

  it('sends bigrams as single Latin words that Meilisearch cannot cut into characters', () => {
    const grams = planSearch(engineQuery('光猫'), 'kb')?.queries.find((q) => q.attributesToSearchOn?.[0] === 'grams');
    const words = (grams?.q ?? '').trim().split(' ');
    expect(words).toContain('h5149732b'); // 光猫
    expect(words).toContain('guanmao');
    for (const word of words) expect(word).toMatch(/^[a-z0-9]+$/);
  });

  it('never sends synonyms (the index expands them) or single characters (chance matches)', () => {
    const query = engineQuery('光猫 红灯');
    expect(query.terms.some((t) => t.origin === 'synonym')).toBe(true);
    const words = planSearch(query, 'kb')?.queries.flatMap((q) => (q.q ?? '').split(' ').filter(Boolean)) ?? [];
    expect(words).not.toContain('ont');
    expect(words.filter((w) => w.length === 1)).toEqual([]);
    expect(words.some((w) => w.startsWith('_') || w.startsWith('^'))).toBe(false);
  });

  it('leaves only the last typed word as a prefix, and only when asked (no trailing space)', () => {
    const plan = planSearch(engineQuery('光猫 红', { prefixLast: true }), 'kb');
    expect(plan?.queries.slice(0, 3).map((q) => q.q)).toEqual(['光猫 ', '红', '光猫 红']);
    expect(plan?.queries[3]?.q?.endsWith(' ')).toBe(true);
  });

  it('searches every typed word, never past the 10-word limit counted after Meilisearch cuts words', () => {
    // Ten Han words and two more: Han words stay whole (PRESEGMENTED_LOCALE), so ten fit.
    const long = '光猫 红灯 宽带 断网 路由器 机顶盒 空调 漏水 遥控器 发票 退款 理赔';
    const query = engineQuery(long, { limit: 5, offset: 80 });
    const typed = query.terms.filter((t) => t.origin === 'query').map((t) => t.term);
    const plan = planSearch(query, 'kb', { wholeWords: new Set(['光猫']) });
    const perWord = plan?.queries.filter((q) => q.matchingStrategy === 'all') ?? [];
    expect(perWord.map((q) => (q.q ?? '').trim())).toEqual(typed);
    for (const q of plan?.queries ?? []) {
      const cost = (q.q ?? '')
        .trim()
        .split(' ')
        .reduce((sum, w) => sum + (q.attributesToSearchOn?.[0] === 'grams' ? 1 : queryWords(w, new Set(['光猫']))), 0);
      expect(cost, q.q ?? '').toBeLessThanOrEqual(10);
    }
    // Together: informative words in typed order, as many as surely fit (minor ones go first).
    const together = plan?.queries.find((q) => q.matchingStrategy === 'last');
    expect(together?.q?.trim().split(' ')).toHaveLength(10);
    expect(together?.q?.startsWith('光猫 ')).toBe(true);
    expect(plan?.window).toBe(85);
    expect(planSearch(engineQuery('光猫', { limit: 5 }), 'kb')?.window).toBe(50);
  });

  it('drops filler words of a long sentence from the together-query first', () => {
    const query = engineQuery('光猫 红灯', {});
    const terms = [
      ...query.terms,
      ...['开始', '前天', '时好时坏', '机顶盒', '遥控器', '发票', '退款', '理赔', '空调'].map((term, i) => ({
        term,
        weight: 1,
        origin: 'query' as const,
        source: term,
        ...(i < 2 ? { minor: true } : {}),
      })),
    ];
    const plan = planSearch({ ...query, terms }, 'kb');
    // Eleven words, ten fit: the last minor word (前天) goes, the informative ones stay.
    expect(plan?.queries.find((q) => q.matchingStrategy === 'last')?.q).toBe(
      '光猫 红灯 开始 时好时坏 机顶盒 遥控器 发票 退款 理赔 空调 ',
    );
  });

  it('counts the query words a term can become', () => {
    expect(queryWords('光猫', new Set(['光猫']))).toBe(1);
    expect(queryWords('路由器')).toBe(1);
    expect(queryWords('wifi')).toBe(1);
    expect(queryWords('v2.0')).toBe(2);
  });

  it('plans nothing when no word survives analysis', () => {
    expect(planSearch(engineQuery('吗呢'), 'kb')).toBeUndefined();
  });
});

describe('merging Meilisearch results', () => {
  const query = engineQuery('光猫 红灯', { limit: 2 });
  const plan = planSearch(query, 'kb');
  const hit = (articleId: string, anchor: string, score: number, grams?: string) => ({
    articleId,
    anchor,
    kind: anchor,
    _rankingScore: score,
    ...(grams ? { grams } : {}),
  });
  const results = [
    { hits: [hit('bb-los', 'summary', 1), hit('bb-wifi', 'summary', 0.4)], estimatedTotalHits: 2 },
    { hits: [hit('bb-los', 'cause', 0.5)], estimatedTotalHits: 1 },
    { hits: [hit('bb-los', 'cause', 0.9)], estimatedTotalHits: 1 },
    { hits: [hit('tv-box', 'summary', 0.8, 'h5149 h5149732b guanmao h673a9876')], estimatedTotalHits: 1 },
  ];

  it('adds weighted scores per article, rare words weighing more, best section from the biggest share', () => {
    if (!plan) throw new Error('no plan');
    const result = mergeResults(plan, results, query, 10);
    expect(result).toMatchObject({ engine: 'meilisearch', degraded: false, total: 3 });
    expect(result.hits.map((h) => h.articleId)).toEqual(['bb-los', 'bb-wifi']);
    expect(result.hits[0]?.section).toEqual({ anchor: 'cause', kind: 'cause' });
    expect(result.hits[0]?.matchedTerms.sort()).toEqual(['光猫', '红灯']);
    // The same match weighs more for a word found in 1 article of 10 than for one found in 5.
    const scoreFor = (df: number) =>
      mergeResults(plan, [{ hits: [hit('a', 'summary', 1)], totalHits: df }], query, 10).hits[0]?.score ?? 0;
    expect(scoreFor(1)).toBe(1);
    expect(scoreFor(5)).toBeLessThan(scoreFor(1));
    expect(scoreFor(5)).toBeGreaterThan(scoreFor(10));
  });

  it('reports the gram terms an article holds as matched', () => {
    if (!plan) throw new Error('no plan');
    const page2 = mergeResults(plan, results, { ...query, offset: 2 }, 10);
    expect(page2.hits.map((h) => h.articleId)).toEqual(['tv-box']);
    expect(page2.hits[0]?.matchedTerms).toEqual(expect.arrayContaining(['_光猫', '^guanmao']));
    expect(page2.hits[0]?.matchedTerms).not.toContain('_光');
  });

  it("counts articles with Meilisearch's totalHits once a query fills its window, never sections", () => {
    if (!plan) throw new Error('no plan');
    const full = Array.from({ length: plan.window }, (_, i) => hit(`a-${i}`, 'summary', 0.5));
    expect(mergeResults(plan, [{ hits: full, totalHits: 700 }], query, 1000).total).toBe(700);
    // estimatedTotalHits counts sections (distinct is applied only to the ranked part): not a total.
    expect(mergeResults(plan, [{ hits: full, estimatedTotalHits: 4000 }], query, 1000).total).toBe(plan.window);
  });
});
