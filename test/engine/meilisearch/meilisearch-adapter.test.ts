import { randomBytes } from 'node:crypto';
import { Meilisearch } from 'meilisearch';
import { afterAll, describe, expect, it } from 'vitest';
import { type Analyzer, createAnalyzer } from '../../../server/analyze/analyzer.js';
import { toSectionDocs } from '../../../server/analyze/section-docs.js';
import { createMeilisearchEngine } from '../../../server/engine/meilisearch/meilisearch-engine.js';
import { buildMeiliSettings } from '../../../server/engine/meilisearch/meilisearch-settings.js';
import type { EngineQuery, SearchEngine } from '../../../server/engine/search-engine.js';
import { type Lexicon, parseLexicon } from '../../../server/load/load-lexicon.js';
import type { Article } from '../../../server/parse/article.js';
import { parseArticle } from '../../../server/parse/parse-article.js';
import { article } from '../../helpers/sample.js';
import { meiliTarget, skipReason } from './meili-target.js';

/**
 * The adapter against a real Meilisearch, one case per problem a reading of
 * Meilisearch v1.48.1's source found (issue 18): each fails with the adapter
 * as it was before.
 */
const target = meiliTarget('the Meilisearch adapter against a real server');

type Source = { id: string; title: string; body: string; product?: string };

describe.runIf(target)('Meilisearch adapter on a real server', { timeout: 120_000 }, () => {
  const prefix = `kb_adapter_${randomBytes(4).toString('hex')}`;
  let n = 0;
  const engines: SearchEngine[] = [];

  /** A fresh index holding the articles, analyzed with `lexicon` (the settings follow it). */
  async function load(sources: Source[], lexicon: Lexicon = parseLexicon({}).lexicon) {
    const analyzer: Analyzer = createAnalyzer(lexicon);
    const docs = sources.flatMap((s) => {
      const text = article({ id: s.id, title: s.title, product: s.product ?? '宽带', category: '故障排查' }, s.body);
      return toSectionDocs(parseArticle(`${s.id}.md`, text).article as Article, analyzer);
    });
    const engine = createMeilisearchEngine({
      host: target?.url ?? '',
      apiKey: target?.masterKey,
      indexUid: `${prefix}_${n++}`,
    });
    engine.setLexicon(lexicon);
    await engine.replaceAll('k1', docs);
    engines.push(engine);
    const search = (text: string, over: Partial<EngineQuery> = {}) =>
      engine.search({
        terms: analyzer.analyzeQuery(text).terms,
        prefixLast: false,
        scope: 'agent',
        filters: {},
        limit: 10,
        offset: 0,
        ...over,
      });
    return { engine, search, analyzer };
  }

  afterAll(async () => {
    const client = new Meilisearch({ host: target?.url ?? '', apiKey: target?.masterKey });
    const { results } = await client.getRawIndexes({ limit: 1000 });
    for (const { uid } of results) if (uid.startsWith(prefix)) await client.deleteIndex(uid).waitTask();
  });

  it('1. never matches an article on one chance character (a grams piece or a piece of a word)', async () => {
    // With both words in the lexicon the analyzer keeps 光猫 and 猫粮 whole, so 猫粮 shares only the
    // character 猫 with 光猫 and the embedded engine finds one article for each. As Han text the bigram
    // 光猫 would be searched as 光 / 猫, and under the Chinese locale charabia re-cut 猫粮 into 猫 / 粮.
    const lexicon = parseLexicon({ dictionary: '光猫\n猫粮\n' }).lexicon;
    const { search } = await load(
      [
        { id: 'modem', title: '光猫红灯', body: '## 答案\n检查光纤。' },
        { id: 'petfood', title: '猫粮配送', body: '## 答案\n三天内送达。' },
      ],
      lexicon,
    );
    expect((await search('光猫')).hits.map((h) => h.articleId)).toEqual(['modem']);
    expect((await search('猫粮')).hits.map((h) => h.articleId)).toEqual(['petfood']);
    // A fragment still finds its article through the grams (a bigram of the title).
    expect((await search('粮配')).hits.map((h) => h.articleId)).toEqual(['petfood']);
  });

  it('2a. matches a typed word only where the whole word is', async () => {
    // Under the Chinese locale charabia re-cut 路由器 into 路由 / 器, and with `last` an article with
    // only 路由 matched the word.
    const { search } = await load([
      { id: 'router', title: '路由器重启', body: '## 答案\n拔掉电源。' },
      { id: 'routing', title: '路由设置', body: '## 答案\n登录管理页面。' },
    ]);
    const result = await search('路由器');
    expect(result.hits[0]?.articleId).toBe('router');
    const routing = result.hits.find((h) => h.articleId === 'routing');
    expect(routing?.matchedTerms ?? []).not.toContain('路由器');
  });

  it('2c. never matches a typed character that is only a piece of an indexed word', async () => {
    // The analyzer indexes 路由器 (and 路由) but not 器; under the Chinese locale charabia re-cut 路由器
    // into 路由 / 器, so a typed 器 (jieba leaves unknown words in single characters) matched it.
    const { search } = await load([{ id: 'router', title: '路由器重启', body: '## 答案\n拔掉电源。' }]);
    expect((await search('器')).hits).toEqual([]);
    expect((await search('路由器')).hits.map((h) => h.articleId)).toEqual(['router']);
  });

  it('2b. never turns a word into a placeholder search that returns every article', async () => {
    // The trainers' stop words reach the analyzer, not Meilisearch: 路由器's pieces are both stop
    // words here, and Meilisearch would have searched for nothing, i.e. for everything.
    const lexicon = parseLexicon({ stopwords: '路由\n器\n' }).lexicon;
    const { search } = await load(
      [
        { id: 'router', title: '路由器重启', body: '## 答案\n拔掉电源。' },
        { id: 'leak', title: '空调漏水', body: '## 答案\n清理排水管。' },
        { id: 'tv', title: '机顶盒黑屏', body: '## 答案\n检查信号线。' },
      ],
      lexicon,
    );
    const result = await search('路由器');
    expect(result.hits.map((h) => h.articleId)).toEqual(['router']);
    expect(result.total).toBe(1);
  });

  it('3. counts articles, not sections, in total', async () => {
    const sources = Array.from({ length: 60 }, (_, i) => ({
      id: `modem-${i}`,
      title: `型号${i}说明`,
      body: '## 现象\n光猫指示灯异常。\n\n## 原因\n光猫老化。\n\n## 处理步骤\n1. 更换光猫',
    }));
    const { search } = await load(sources);
    const result = await search('光猫', { limit: 5 });
    expect(result.hits).toHaveLength(5);
    expect(result.total).toBe(60);
  });

  it('4. searches every typed word of a long query, however Meilisearch segments them', async () => {
    const { search } = await load([
      { id: 'invoice', title: '电子发票开具', body: '## 答案\n在订单页面申请。' },
      { id: 'router', title: '路由器重启', body: '## 答案\n拔掉电源。' },
    ]);
    // Eleven typed words; the only one that matters is the last.
    const long = '昨天 晚上 家里 突然 之间 莫名其妙 一直 反复 各种 尝试 发票';
    const result = await search(long);
    expect(result.hits.map((h) => h.articleId)).toContain('invoice');
  });

  it('5. keeps Latin dictionary words out of the dictionary, so they do not cut other words', async () => {
    const lexicon = parseLexicon({ dictionary: 'ont\n光猫\n' }).lexicon;
    const { search } = await load(
      [
        { id: 'front', title: 'front panel 指示灯', body: '## 答案\n看面板。' },
        { id: 'ont', title: 'ONT 注册', body: '## 答案\n联系装维。' },
      ],
      lexicon,
    );
    expect((await search('ont')).hits.map((h) => h.articleId)).toEqual(['ont']);
    expect((await search('front')).hits.map((h) => h.articleId)).toEqual(['front']);
  });

  it('applies the settings it is given and Meilisearch accepts them as they are', async () => {
    const { engine } = await load([{ id: 'leak', title: '空调漏水', body: '## 答案\n清理排水管。' }]);
    const client = new Meilisearch({ host: target?.url ?? '', apiKey: target?.masterKey });
    const uid = `${prefix}_${n - 1}`;
    const applied = await client.index(uid).getSettings();
    const wanted = buildMeiliSettings(parseLexicon({}).lexicon);
    expect(applied).toMatchObject({
      searchableAttributes: wanted.searchableAttributes,
      rankingRules: wanted.rankingRules,
      distinctAttribute: 'articleId',
      stopWords: [],
    });
    expect((await engine.stats()).articles).toBe(1);
  });
});

if (!target) {
  describe.skip(`Meilisearch adapter on a real server (skipped: ${skipReason()})`, () => {
    it('needs a Meilisearch', () => {});
  });
}
