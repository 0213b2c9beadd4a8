import { createHash } from 'node:crypto';
import type { Settings } from 'meilisearch';
import { withBuiltinLexicon } from '../../analyze/builtin-lexicon.js';
import type { Lexicon } from '../../load/load-lexicon.js';
import { fold } from '../../text/fold.js';

/**
 * Searchable attributes in priority order (title > questions > heading > body),
 * the same order as the embedded engine's field boosts. `grams` holds the
 * character bigrams and pinyin pairs of the title, questions and tags: fuzzy
 * evidence, searched only by its own low-weight query (see meilisearch-query.ts).
 */
export const WORD_FIELDS = ['title', 'questions', 'heading', 'body'] as const;
export const GRAM_FIELD = 'grams';
export const SEARCHABLE_FIELDS = [...WORD_FIELDS, GRAM_FIELD];

/**
 * Filterable attributes. `visibility` carries the scope and is in every query's
 * filter; `articleId` also serves delete-by-filter for single-article updates
 * and the distinct count in `stats()`; `audience` is there for operators.
 */
export const FILTERABLE_FIELDS = ['visibility', 'product', 'category', 'audience', 'articleId'];

/**
 * Meilisearch's default ranking rules are
 * `words, typo, proximity, attributeRank, sort, wordPosition, exactness`
 * (https://www.meilisearch.com/docs/learn/relevancy/ranking_rules). Two changes:
 *
 * - `attributeRank` moves ahead of `proximity`. Which field a term is in (title
 *   over similar question over heading over body) is the strongest signal we have,
 *   exactly as in the embedded engine's field boosts. Proximity between
 *   pre-segmented terms is weaker evidence, and most of our queries are single
 *   words (one query per typed word), where proximity says nothing at all.
 * - `kindRank:desc` is appended as the last tie-breaker. Every section of an
 *   article carries the article's title and questions, so a title-only match
 *   ties across all of its sections; the distinct rule then keeps the first one,
 *   and this makes it the one-line answer, then the steps (the embedded engine's
 *   section-kind prior). Custom rules do not change `_rankingScore`
 *   (https://www.meilisearch.com/docs/learn/relevancy/custom_ranking_rules).
 */
export const RANKING_RULES = [
  'words',
  'typo',
  'attributeRank',
  'proximity',
  'sort',
  'wordPosition',
  'exactness',
  'kindRank:desc',
];

/**
 * Index settings built from the trainers' lexicon, so Meilisearch segments,
 * expands and filters words exactly as the analyzer does:
 *
 * - `dictionary`: lexicon and synonym words, kept whole by Meilisearch's own
 *   segmenter too: fields arrive pre-segmented, but charabia still re-cuts
 *   every word (jieba without HMM, then its own cut of words of three or more
 *   characters: charabia 0.9.9 `segmenter/chinese.rs`). Entries are matched
 *   anywhere in the text, with no word boundary (an Aho-Corasick automaton,
 *   `tokenizer.rs`), so a Latin entry such as `ont` would split `front` and
 *   `content`. Only entries that need it are kept: those with a Han character,
 *   or with a `.`, the one separator the analyzer keeps inside a term (v2.0).
 *   Latin words without separators stay whole anyway.
 * - `synonyms`: the lexicon's groups and one-way rules. The adapter sends only
 *   the typed words as `q`; a synonym then counts as the same query word for
 *   the `words` rule instead of being one more word a document must contain.
 * - `stopWords`: none. The analyzer already removes stop words from documents
 *   and queries; in Meilisearch they would remove the pieces charabia cuts out
 *   of other words (怎么办理 -> 怎么 / 办理), and a typed word made only of such
 *   pieces would become a placeholder search matching every document with
 *   `_rankingScore` 1.0 (milli `search/new/mod.rs`: no query term left).
 * - `localizedAttributes` = `cmn` on every searchable field: short Chinese
 *   texts are otherwise sometimes detected as Japanese
 *   (https://www.meilisearch.com/docs/reference/api/settings/update-localizedattributes).
 * - typo tolerance off on `grams`: pinyin pairs are already folded sound keys;
 *   one more edit (guangmao -> guanmao) would match unrelated words.
 * - `faceting.maxValuesPerFacet` high enough to count articles exactly in `stats()`;
 *   no search request asks for facets.
 */
export function buildMeiliSettings(trainerLexicon: Lexicon): Settings {
  // The same words as the analyzer: the built-in lexicon, then the trainers'.
  const lexicon = withBuiltinLexicon(trainerLexicon);
  const words = new Set<string>();
  for (const word of lexicon.dictionary) words.add(fold(word));
  for (const rule of lexicon.synonyms) for (const w of [...rule.from, ...rule.to]) words.add(fold(w));
  return {
    searchableAttributes: [...SEARCHABLE_FIELDS],
    filterableAttributes: [...FILTERABLE_FIELDS],
    displayedAttributes: ['*'],
    distinctAttribute: 'articleId',
    rankingRules: [...RANKING_RULES],
    dictionary: [...words].filter(needsDictionary).sort(),
    synonyms: buildSynonyms(lexicon),
    stopWords: [],
    localizedAttributes: [{ attributePatterns: [...SEARCHABLE_FIELDS], locales: ['cmn'] }],
    typoTolerance: { disableOnAttributes: [GRAM_FIELD] },
    faceting: { maxValuesPerFacet: 100_000 },
  };
}

/** A dictionary word Meilisearch would otherwise cut (see `buildMeiliSettings`). */
function needsDictionary(word: string): boolean {
  return [...word].length > 1 && !/\s/.test(word) && (/\p{Script=Han}/u.test(word) || word.includes('.'));
}

/** Identifies a settings object: stored beside the corpus key to detect changed settings. */
export function settingsHash(settings: Settings): string {
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16);
}

/**
 * Meilisearch synonyms are one-way (`word -> alternatives`): a group expands to
 * every other member, `光毛 => 光猫` only from left to right. Words that sit in
 * several groups (光猫) collect the alternatives of all of them.
 */
function buildSynonyms(lexicon: Lexicon): Record<string, string[]> {
  const map = new Map<string, Set<string>>();
  for (const rule of lexicon.synonyms) {
    const targets = rule.to.map(fold);
    for (const source of rule.from.map(fold)) {
      const set = map.get(source) ?? new Set<string>();
      for (const t of targets) if (t !== source) set.add(t);
      if (set.size > 0) map.set(source, set);
    }
  }
  return Object.fromEntries([...map.keys()].sort().map((k) => [k, [...(map.get(k) ?? [])].sort()]));
}
