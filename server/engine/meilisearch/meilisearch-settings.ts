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
 * The locale of every searchable field and every query: one whose language has
 * no Han segmenter, so Meilisearch keeps the analyzer's words whole (see
 * `buildMeiliSettings`). It says how to cut the text, not what language it is.
 */
export const PRESEGMENTED_LOCALE = 'eng';

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
 * - `localizedAttributes` = `eng` (`PRESEGMENTED_LOCALE`) on every searchable
 *   field, and the same locale on every query: the fields arrive segmented by
 *   the analyzer (jieba with the trainers' lexicon), and Meilisearch must keep
 *   each space-separated word whole. With the Chinese locale, charabia re-cuts
 *   every word it does not know (猫粮 -> 猫 / 粮), so a query word 猫 matched
 *   猫粮, a thing the embedded engine never does. With one locale whose
 *   language has no segmenter for Han text, charabia picks its default
 *   segmenter, which keeps a run of one script between separators as one
 *   word (charabia 0.9.9 `segmenter/mod.rs`: `SEGMENTERS` has no `(Cj, Eng)`
 *   entry, `DEFAULT_SEGMENTER` is the Latin one; `detection/mod.rs`: a single
 *   allowed language is taken as detected). Its Chinese normalizer does not
 *   run either (`normalizer/chinese.rs` needs Cmn, Zho or no language); the
 *   analyzer has already folded Traditional to Simplified.
 * - `dictionary`: only lexicon words with a `.`, the one separator the analyzer
 *   keeps inside a term (v2.0), which Meilisearch would otherwise cut. Entries
 *   are matched anywhere in the text, with no word boundary (an Aho-Corasick
 *   automaton, charabia `tokenizer.rs`), so any other entry could only cut
 *   words: a Latin `ont` would split `front`, a Han 光猫 would split 光猫灯.
 * - `synonyms`: the lexicon's groups and one-way rules. The adapter sends only
 *   the typed words as `q`; a synonym then counts as the same query word for
 *   the `words` rule instead of being one more word a document must contain.
 * - `stopWords`: none. The analyzer already removes stop words from documents
 *   and queries; in Meilisearch they would remove the pieces charabia cuts out
 *   of words Meilisearch cut (with the Chinese locale: 怎么办理 -> 怎么 / 办理),
 *   and a typed word made only of such pieces would become a placeholder search matching every document with
 *   `_rankingScore` 1.0 (milli `search/new/mod.rs`: no query term left).
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
    localizedAttributes: [{ attributePatterns: [...SEARCHABLE_FIELDS], locales: [PRESEGMENTED_LOCALE] }],
    typoTolerance: { disableOnAttributes: [GRAM_FIELD] },
    faceting: { maxValuesPerFacet: 100_000 },
  };
}

/** A dictionary word Meilisearch would otherwise cut (see `buildMeiliSettings`). */
function needsDictionary(word: string): boolean {
  return [...word].length > 1 && !/\s/.test(word) && word.includes('.');
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
