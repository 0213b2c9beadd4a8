import { describe, expect, it } from 'vitest';
import {
  buildMeiliSettings,
  RANKING_RULES,
  settingsHash,
} from '../../../server/engine/meilisearch/meilisearch-settings.js';
import { parseLexicon } from '../../../server/load/load-lexicon.js';

const lexicon = parseLexicon({
  dictionary: '光貓 10 n\n机顶盒\n# 注释\nWiFi 6\n',
  synonyms: '光猫,猫,ONT\n光猫,光纤猫\n花贝 => 花呗\n軟體,软件\n',
  stopwords: '亲\n哈喽\n',
}).lexicon;

describe('Meilisearch settings from the lexicon', () => {
  const settings = buildMeiliSettings(lexicon);

  it('keeps lexicon and synonym words whole, folded like the analyzer folds them', () => {
    // Traditional 光貓 and 軟體 fold to Simplified, Latin folds to lower case; single characters
    // and entries with spaces cannot be dictionary words.
    expect(settings.dictionary).toEqual(expect.arrayContaining(['光猫', '机顶盒', '光纤猫', '花贝', '花呗']));
    expect(settings.dictionary).toContain('软体');
    expect(settings.dictionary).not.toContain('猫');
    expect(settings.dictionary).not.toContain('光貓');
  });

  it('keeps only entries Meilisearch would cut: entries match inside other words (ont in front)', () => {
    expect(settings.dictionary).not.toContain('ont');
    const latin = buildMeiliSettings(parseLexicon({ dictionary: 'wifi\nv2.0\n4g网络\n' }).lexicon).dictionary;
    // The built-in lexicon's words are there too; of these three, only the ones Meilisearch would cut.
    expect(latin?.filter((w) => ['wifi', 'v2.0', '4g网络'].includes(w))).toEqual(['4g网络', 'v2.0']);
  });

  it('expands groups both ways, one-way rules one way, and merges groups sharing a word', () => {
    expect(settings.synonyms?.光猫).toEqual(['ont', '光纤猫', '猫']);
    expect(settings.synonyms?.猫).toEqual(['ont', '光猫']);
    expect(settings.synonyms?.花贝).toEqual(['花呗']);
    expect(settings.synonyms?.花呗).toBeUndefined();
    expect(settings.synonyms?.软体).toEqual(['软件']);
  });

  it('sets no stop words: the analyzer removes them, Meilisearch would remove pieces of other words', () => {
    expect(settings.stopWords).toEqual([]);
  });

  it('declares Chinese on every searchable field and filters on scope, product, category, audience, article', () => {
    expect(settings.searchableAttributes).toEqual(['title', 'questions', 'heading', 'body', 'grams']);
    expect(settings.localizedAttributes).toEqual([
      { attributePatterns: ['title', 'questions', 'heading', 'body', 'grams'], locales: ['cmn'] },
    ]);
    expect(settings.filterableAttributes).toEqual(['visibility', 'product', 'category', 'audience', 'articleId']);
    expect(settings.distinctAttribute).toBe('articleId');
    expect(settings.typoTolerance).toEqual({ disableOnAttributes: ['grams'] });
  });

  it('ranks by field before proximity and breaks ties by section kind', () => {
    expect(RANKING_RULES.indexOf('attributeRank')).toBeLessThan(RANKING_RULES.indexOf('proximity'));
    expect(RANKING_RULES.at(-1)).toBe('kindRank:desc');
    expect(settings.rankingRules).toEqual(RANKING_RULES);
  });

  it('hashes equal settings equally and notices a lexicon edit', () => {
    expect(settingsHash(buildMeiliSettings(lexicon))).toBe(settingsHash(settings));
    const edited = parseLexicon({ dictionary: '光猫\n机顶盒\n路由器\n' }).lexicon;
    expect(settingsHash(buildMeiliSettings(edited))).not.toBe(settingsHash(settings));
  });
});
