import { describe, expect, it } from 'vitest';
import {
  buildMeiliSettings,
  PRESEGMENTED_LOCALE,
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

  it('puts only words with a separator in the dictionary: entries cut every word they occur in', () => {
    // Han words stay whole through the locale (PRESEGMENTED_LOCALE); a Han entry 光猫 would cut 光猫灯,
    // a Latin entry ont would cut front. Only v2.0 needs one (charabia splits Latin at `.`).
    const settingsWith = buildMeiliSettings(
      parseLexicon({ dictionary: 'wifi\nv2.0\n4g网络\nont\n', synonyms: 'v1.5,旧版\n' }).lexicon,
    );
    expect(settingsWith.dictionary).toEqual(expect.arrayContaining(['v1.5', 'v2.0']));
    expect(settingsWith.dictionary?.every((w) => w.includes('.'))).toBe(true);
    expect(settings.dictionary).not.toContain('光猫');
    expect(settings.dictionary).not.toContain('ont');
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

  it('declares the pre-segmented locale on every searchable field and filters on scope, product, category, audience, article', () => {
    expect(settings.searchableAttributes).toEqual(['title', 'questions', 'heading', 'body', 'grams']);
    expect(settings.localizedAttributes).toEqual([
      { attributePatterns: ['title', 'questions', 'heading', 'body', 'grams'], locales: [PRESEGMENTED_LOCALE] },
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
    const edited = parseLexicon({
      synonyms: '光猫,猫,ONT\n光猫,光纤猫\n花贝 => 花呗\n軟體,软件\n路由器,路由\n',
    }).lexicon;
    expect(settingsHash(buildMeiliSettings(edited))).not.toBe(settingsHash(settings));
  });
});
