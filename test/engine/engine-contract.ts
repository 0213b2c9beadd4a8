import { beforeAll, describe, expect, it } from 'vitest';
import { type Analyzer, createAnalyzer } from '../../server/analyze/analyzer.js';
import type { SectionDoc } from '../../server/analyze/section-docs.js';
import { toSectionDocs } from '../../server/analyze/section-docs.js';
import type { EngineQuery, SearchEngine } from '../../server/engine/search-engine.js';
import type { Article } from '../../server/parse/article.js';
import { parseArticle } from '../../server/parse/parse-article.js';
import { article, sampleLexicon } from '../helpers/sample.js';

/** A small corpus with the cases every engine must get right. */
const SOURCES: Record<string, string> = {
  'bb-los.md': article(
    { id: 'bb-los', title: '光猫 LOS 灯红色闪烁', product: '宽带', category: '故障排查', audience: 'public' },
    `## 一句话答案\nLOS 红灯是线路故障。\n\n## 处理步骤\n1. 检查光纤\n\n::: internal\n内部暗号 蓝鲸计划\n:::\n\n## 内部备注\n机密 白鹭秘钥`,
  ),
  'bb-wifi.md': article(
    { id: 'bb-wifi', title: 'WiFi 信号弱', product: '宽带', category: '常见问题', audience: 'public' },
    '## 一句话答案\n路由器摆放位置影响信号，光猫旁边信号最好。',
  ),
  'ac-leak.md': article(
    { id: 'ac-leak', title: '空调漏水', product: '空调', category: '故障排查' },
    '## 一句话答案\n排水管堵塞导致漏水。\n\n## 话术\n您好，我们安排师傅上门。',
  ),
  'svc-secret.md': article(
    { id: 'svc-secret', title: '赔付权限 内部', product: '服务规范', category: '政策规定' },
    '## 一句话答案\n坐席可自行决定 200 元以内的赔付，暗号 蓝鲸计划。',
  ),
};

export type EngineFactory = () => Promise<SearchEngine>;

/**
 * The contract every `SearchEngine` adapter must pass. Written against the
 * port only: the embedded and Meilisearch adapters run the same cases.
 */
export function describeEngineContract(name: string, makeEngine: EngineFactory): void {
  describe(`SearchEngine contract: ${name}`, () => {
    let analyzer: Analyzer;
    let articles: Article[];
    let docs: SectionDoc[];
    let engine: SearchEngine;

    const query = (text: string, over: Partial<EngineQuery> = {}) =>
      engine.search({
        terms: analyzer.analyzeQuery(text).terms,
        prefixLast: false,
        scope: 'agent',
        filters: {},
        limit: 10,
        offset: 0,
        ...over,
      });

    beforeAll(async () => {
      analyzer = createAnalyzer(sampleLexicon());
      articles = Object.entries(SOURCES).map(([file, text]) => {
        const parsed = parseArticle(file, text).article;
        if (!parsed) throw new Error(`fixture ${file} does not parse`);
        return parsed;
      });
      docs = articles.flatMap((a) => toSectionDocs(a, analyzer));
      engine = await makeEngine();
      await engine.replaceAll('contract-v1', docs);
    });

    it('groups hits by article, best first, with the best section', async () => {
      const result = await query('光猫红灯');
      expect(result.hits[0]?.articleId).toBe('bb-los');
      expect(new Set(result.hits.map((h) => h.articleId)).size).toBe(result.hits.length);
      expect(result.total).toBe(result.hits.length);
      // A handful of matches is always counted, never estimated.
      expect(result.totalIsEstimate).toBe(false);
      expect(result.hits[0]?.section.anchor).toBeTruthy();
    });

    it('ranks a title match above a body-only match', async () => {
      const result = await query('光猫');
      expect(result.hits.map((h) => h.articleId).slice(0, 2)).toEqual(['bb-los', 'bb-wifi']);
    });

    it('reports which query terms matched in each article', async () => {
      const result = await query('空调 漏水');
      expect(result.hits[0]?.matchedTerms).toEqual(expect.arrayContaining(['空调', '漏水']));
    });

    it('never shows the public scope internal articles, internal sections or internal blocks', async () => {
      expect((await query('蓝鲸计划', { scope: 'agent' })).hits.map((h) => h.articleId).sort()).toEqual([
        'bb-los',
        'svc-secret',
      ]);
      for (const secret of ['蓝鲸计划', '白鹭秘钥', '赔付权限', '空调漏水']) {
        const result = await query(secret, { scope: 'public' });
        expect(result.total, secret).toBe(0);
        expect(result.hits, secret).toEqual([]);
      }
      const pub = await query('光猫', { scope: 'public' });
      expect(pub.hits.map((h) => h.articleId).sort()).toEqual(['bb-los', 'bb-wifi']);
    });

    it('filters by product and category; unknown or hostile values give nothing', async () => {
      expect((await query('漏水 光猫', { filters: { product: '空调' } })).hits.map((h) => h.articleId)).toEqual([
        'ac-leak',
      ]);
      expect((await query('光猫', { filters: { category: '常见问题' } })).hits.map((h) => h.articleId)).toEqual([
        'bb-wifi',
      ]);
      expect((await query('光猫', { filters: { product: '不存在' } })).total).toBe(0);
      const hostile = await query('光猫', { filters: { product: '宽带" OR audience = "internal' } });
      expect(hostile.total).toBe(0);
    });

    it('pages with limit and offset over the same ranking', async () => {
      const all = await query('光猫 空调 赔付', { limit: 10 });
      const page2 = await query('光猫 空调 赔付', { limit: 1, offset: 1 });
      expect(page2.total).toBe(all.total);
      expect(page2.hits.map((h) => h.articleId)).toEqual([all.hits[1]?.articleId]);
    });

    it('upserts and removes single articles', async () => {
      const changed = parseArticle(
        'ac-leak.md',
        article({ id: 'ac-leak', title: '空调外机结霜', product: '空调', category: '故障排查' }, '## 答案\n化霜即可。'),
      ).article as Article;
      await engine.upsertArticle('ac-leak', toSectionDocs(changed, analyzer));
      expect((await query('结霜')).hits.map((h) => h.articleId)).toEqual(['ac-leak']);
      expect((await query('排水管')).total).toBe(0);
      await engine.removeArticle('ac-leak');
      expect((await query('结霜')).total).toBe(0);
      await engine.replaceAll('contract-v1', docs);
    });

    it('replaces everything at once and calls produce only for a new key', async () => {
      let produced = 0;
      const same = await engine.sync('contract-v1', () => {
        produced++;
        return docs;
      });
      expect(same.rebuilt).toBe(false);
      const only = docs.filter((d) => d.articleId === 'bb-wifi');
      const fresh = await engine.sync('contract-v2', () => {
        produced++;
        return only;
      });
      expect(fresh.rebuilt).toBe(true);
      expect(produced).toBe(1);
      expect((await query('光猫')).hits.map((h) => h.articleId)).toEqual(['bb-wifi']);
      expect(await engine.stats()).toMatchObject({ articles: 1, key: 'contract-v2' });
      await engine.replaceAll('contract-v1', docs);
      expect(await engine.stats()).toMatchObject({ articles: 4, documents: docs.length });
    });

    it('returns nothing for a query with no terms', async () => {
      expect(await query('吗呢')).toMatchObject({ total: 0, hits: [] });
    });

    it('is healthy once loaded', async () => {
      expect((await engine.health()).ok).toBe(true);
    });
  });
}
