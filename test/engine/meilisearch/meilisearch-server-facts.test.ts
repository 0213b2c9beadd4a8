import { randomBytes } from 'node:crypto';
import { type Locale, Meilisearch, type Settings } from 'meilisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESEGMENTED_LOCALE } from '../../../server/engine/meilisearch/meilisearch-settings.js';
import { meiliTarget, skipReason } from './meili-target.js';

/**
 * What a real Meilisearch does with our kind of documents, checked on the
 * server itself: each fact below is one the adapter is built around (see
 * server/engine/meilisearch/). If an upgrade changes one, this file says which.
 * Plain indexes with one field, written through the client, no adapter code.
 */
const target = meiliTarget('facts about Meilisearch the adapter relies on');

type Doc = { id: string; articleId: string; text: string };

describe.runIf(target)('Meilisearch behaviour the adapter relies on', { timeout: 60_000 }, () => {
  const prefix = `kb_facts_${randomBytes(4).toString('hex')}`;
  let client: Meilisearch;
  let n = 0;

  /** A fresh index holding `docs` with the given settings (distinct on articleId, Chinese text). */
  async function indexWith(docs: Array<Partial<Doc> & { text: string }>, settings: Settings = {}, locale = 'cmn') {
    const uid = `${prefix}_${n++}`;
    await client.createIndex(uid, { primaryKey: 'id' }).waitTask();
    const index = client.index<Doc>(uid);
    const applied = await index
      .updateSettings({
        searchableAttributes: ['text'],
        filterableAttributes: ['articleId'],
        localizedAttributes: [{ attributePatterns: ['text'], locales: [locale as Locale] }],
        ...settings,
      })
      .waitTask();
    expect(applied.status).toBe('succeeded');
    const added = await index.addDocuments(docs.map((d, i) => ({ id: `d${i}`, articleId: `a${i}`, ...d }))).waitTask();
    expect(added.status, JSON.stringify(added.error)).toBe('succeeded');
    const search = async (q: string, extra: Record<string, unknown> = {}) =>
      index.search(q, { locales: [locale as Locale], showRankingScore: true, ...extra });
    const ids = async (q: string, extra: Record<string, unknown> = {}) =>
      (await search(q, extra)).hits.map((h) => h.id).sort();
    return { index, search, ids };
  }

  beforeAll(() => {
    client = new Meilisearch({ host: target?.url ?? '', apiKey: target?.masterKey });
  });
  afterAll(async () => {
    const { results } = await client.getRawIndexes({ limit: 1000 });
    for (const { uid } of results) if (uid.startsWith(prefix)) await client.deleteIndex(uid).waitTask();
  });

  it('cuts a space-separated Han pair it does not know into single characters; a Latin token stays whole', async () => {
    // 猫光 is no word: jieba without HMM falls back to single characters, so 猫 alone finds it.
    const { ids } = await indexWith([{ text: '猫光' }, { text: 'h732b5149' }]);
    expect(await ids('猫 ')).toEqual(['d0']);
    // The adapter's encoding of a bigram: found whole, never by a piece.
    expect(await ids('h732b5149 ')).toEqual(['d1']);
    expect(await ids('h732b ')).toEqual([]);
  });

  it("re-cuts a known word of three characters, so 'last' lets a document with the first piece match", async () => {
    const { ids } = await indexWith([{ text: '路由器 重启' }, { text: '路由 设置' }]);
    expect(await ids('路由器 ', { matchingStrategy: 'last' })).toEqual(['d0', 'd1']);
    expect(await ids('路由器 ', { matchingStrategy: 'all' })).toEqual(['d0']);
  });

  it('keeps every space-separated Han word whole under the pre-segmented locale, and still matches prefixes', async () => {
    const docs = [{ text: '猫粮 配送' }, { text: '路由器 重启' }, { text: '路由 设置' }, { text: '光猫 红灯' }];
    const { ids } = await indexWith(docs, {}, PRESEGMENTED_LOCALE);
    // No piece of 猫粮 or 光猫 is a word of its own, and 路由器 is not 路由 + 器.
    expect(await ids('猫 ')).toEqual([]);
    expect(await ids('猫粮 ')).toEqual(['d0']);
    expect(await ids('路由器 ', { matchingStrategy: 'last' })).toEqual(['d1']);
    // The last word without a trailing space is a prefix: as-you-type still works.
    expect(await ids('路由')).toEqual(['d1', 'd2']);
    expect(await ids('光')).toEqual(['d3']);
    // Two typed words also match the word they make together (Meilisearch's n-grams).
    expect(await ids('光 猫 ', { matchingStrategy: 'all' })).toEqual(['d3']);
  });

  it('turns a query made only of stop words into a placeholder search that matches everything', async () => {
    const docs = [{ text: '怎么 连接' }, { text: '空调 漏水' }];
    const withStops = await indexWith(docs, { stopWords: ['怎么'] });
    const placeholder = await withStops.search('怎么 ');
    expect(placeholder.hits).toHaveLength(2);
    expect(placeholder.hits.every((h) => h._rankingScore === 1)).toBe(true);
    // Without stop words in the settings the word is an ordinary word.
    const without = await indexWith(docs, { stopWords: [] });
    expect(await without.ids('怎么 ')).toEqual(['d0']);
  });

  it('counts sections, not articles, in estimatedTotalHits; page mode counts distinct articles', async () => {
    // Article x matches in every one of its sections' titles-like first word, article y only later.
    const docs = [
      ...[0, 1, 2].map((i) => ({ id: `x${i}`, articleId: 'x', text: '光猫 故障' })),
      ...[0, 1, 2].map((i) => ({
        id: `y${i}`,
        articleId: 'y',
        text: `其他 内容 段落${i} 很长 的 文字 后面 才有 光猫`,
      })),
    ];
    const { search } = await indexWith(docs, {
      distinctAttribute: 'articleId',
      rankingRules: ['words', 'proximity', 'wordPosition'],
    });
    const estimated = await search('光猫 ', { limit: 1 });
    expect(estimated.hits).toHaveLength(1);
    expect(estimated.estimatedTotalHits).toBeGreaterThan(2);
    const paged = await search('光猫 ', { page: 1, hitsPerPage: 1 });
    expect((paged as { totalHits?: number }).totalHits).toBe(2);
  });

  it('reads only the first 10 words of q, counted after its own segmentation', async () => {
    // Nine Latin words and 路由器 (two pieces: 路由 / 器) make eleven query words: 器 is dropped.
    const words = 'aa bb cc dd ee ff gg hh ii';
    const { ids } = await indexWith([{ text: `${words} 路由` }]);
    expect(await ids(`${words} 路由器 `, { matchingStrategy: 'all' })).toEqual(['d0']);
    expect(await ids(`${words.split(' ').slice(1).join(' ')} 路由器 `, { matchingStrategy: 'all' })).toEqual([]);
  });

  it('matches dictionary entries inside other words (no word boundary)', async () => {
    const docs = [{ text: 'front' }, { text: 'ont' }];
    const withEntry = await indexWith(docs, { dictionary: ['ont'] });
    expect(await withEntry.ids('ont ')).toEqual(['d0', 'd1']);
    const without = await indexWith(docs);
    expect(await without.ids('ont ')).toEqual(['d1']);
  });
});

if (!target) {
  describe.skip(`Meilisearch behaviour the adapter relies on (skipped: ${skipReason()})`, () => {
    it('needs a Meilisearch', () => {});
  });
}
