import type { Hit, MultiSearchQuery, SearchResponse } from 'meilisearch';
import type { SectionKind } from '../../parse/article.js';
import type { EngineHit, EngineQuery, EngineResult, Scope } from '../search-engine.js';
import { visibilitiesFor } from '../search-engine.js';
import { gramToken } from './meilisearch-documents.js';
import { GRAM_FIELD, PRESEGMENTED_LOCALE, WORD_FIELDS } from './meilisearch-settings.js';

/**
 * How an EngineQuery becomes Meilisearch searches. Meilisearch cannot weight
 * single query terms, and every `matchingStrategy` drops words instead of
 * OR-ing them (with `last`, a first word that matches nothing returns nothing:
 * https://github.com/orgs/meilisearch/discussions/4534). Simulating each
 * strategy's word dropping on scripts/eval-set.json (261 in-scope queries,
 * typed words and synonyms against the pre-segmented sample corpus), the
 * expected article is among the candidates for 42% of queries with `all`, 74%
 * with `frequency` and 87% with `last`, but 100% when any typed word may
 * match. So one multi-search request carries:
 *
 * - one query per typed word (synonyms come from the index's `synonyms`
 *   setting), weighted by the word's rarity (an IDF from the number of
 *   articles the word's query found), with `matchingStrategy: 'all'`: should
 *   Meilisearch still cut a word (a Latin word at a `.` that is not in the
 *   dictionary: v2.0 -> v2 / 0), the default `last` would let a section holding
 *   only the first piece match. Han words stay whole: the index and the
 *   queries use a locale without a Han segmenter (`PRESEGMENTED_LOCALE`);
 * - one query with the typed words together and `matchingStrategy: 'last'`
 *   (best of the three strategies above), rewarding sections where the words
 *   occur together;
 * - queries on the `grams` field only, with the character bigrams and pinyin
 *   pairs at a low weight (homophone typos, fragments), `matchingStrategy:
 *   'frequency'`, which drops the many gram words that match nothing first
 *   (it ranks a word found in no document as the most frequent one).
 *
 * An article's score is the weighted sum of its `_rankingScore`s. Single
 * characters (`supporting` unigrams) are never sent, so an article matching
 * only chance characters is never a hit, as in the embedded engine.
 *
 * Meilisearch reads only the first 10 words of `q`, counted after its own
 * segmentation (milli `located_query_terms_from_tokens`, `words_limit` 10), and
 * drops the rest without a word. So no query is sent that could exceed it: every
 * typed word has a query of its own, the together-query takes only as many
 * words as surely fit (informative words first), and the grams go ten to a query.
 */

/** Meilisearch reads only the first 10 words of `q` (https://www.meilisearch.com/docs/resources/help/known_limitations). */
export const MAX_QUERY_WORDS = 10;
/** Typed words searched one by one; a rambling sentence keeps its most informative ones. */
export const MAX_WORD_QUERIES = 24;
/** Grams queries of ten words each (the strongest first: pinyin pairs, then bigrams). */
const MAX_GRAM_QUERIES = 3;
/** Each query returns at least this many articles, so totals and pages agree across page sizes. */
const MIN_WINDOW = 50;
/** Meilisearch's default `pagination.maxTotalHits`. */
const MAX_WINDOW = 1000;
const ALL_WORDS_WEIGHT = 1;
const GRAMS_WEIGHT = 0.3;
const RETRIEVE = ['articleId', 'anchor', 'kind'];
const HAN = /\p{Script=Han}/u;

type Role = { kind: 'term'; term: string } | { kind: 'all'; terms: string[] } | { kind: 'grams'; terms: string[] };

export type SearchPlan = { queries: MultiSearchQuery[]; roles: Role[]; window: number };

export type PlanOptions = {
  /** Words Meilisearch keeps whole (its `dictionary` setting): one query word each. */
  wholeWords?: ReadonlySet<string>;
};

type HitFields = { articleId: string; anchor: string; kind: SectionKind; grams?: string };

/**
 * The filter every query carries: scope first (inside the query, never applied
 * afterwards), then the optional product and category, values escaped.
 */
export function buildFilter(scope: Scope, filters: EngineQuery['filters']): string {
  const visible = visibilitiesFor(scope)
    .map((v) => quote(v))
    .join(', ');
  const parts = [`visibility IN [${visible}]`];
  if (filters.product !== undefined) parts.push(`product = ${quote(filters.product)}`);
  if (filters.category !== undefined) parts.push(`category = ${quote(filters.category)}`);
  return parts.join(' AND ');
}

/**
 * A filter string literal. Inside double quotes Meilisearch unescapes `\"` and
 * `\\` (https://www.meilisearch.com/docs/changelog/v1.4), so a value can never
 * close its quotes and add a condition of its own.
 */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Plans the searches for one EngineQuery; undefined when it has no typed word. */
export function planSearch(query: EngineQuery, indexUid: string, options: PlanOptions = {}): SearchPlan | undefined {
  // Terms come from the analyzer (Han runs, [a-z0-9.] runs), so `q` never carries
  // Meilisearch's query syntax: no phrase quotes, no `-` negation. Each holds a letter,
  // digit or Han character, so its query is never empty: with no stop words in the index
  // settings (meilisearch-settings.ts), Meilisearch never falls back to a placeholder search.
  const typedTerms = query.terms.filter((t) => t.origin === 'query');
  if (typedTerms.length === 0) return undefined;
  const typed = typedTerms.map((t) => t.term);
  const minor = new Set(typedTerms.filter((t) => t.minor).map((t) => t.term));
  const lastTyped = typed.at(-1);
  const words = keepWithin(typed, minor, MAX_WORD_QUERIES, () => 1);
  // A trailing separator makes Meilisearch read the last word as a whole word, not a prefix.
  const q = (list: string[], prefix: boolean) => list.join(' ') + (prefix && list.at(-1) === lastTyped ? '' : ' ');
  const window = Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, query.offset + query.limit));
  const base = {
    indexUid,
    filter: buildFilter(query.scope, query.filters),
    locales: [PRESEGMENTED_LOCALE],
    showRankingScore: true,
    attributesToRetrieve: RETRIEVE,
    // Page mode: its `totalHits` counts distinct articles; `estimatedTotalHits` counts sections
    // (milli applies the distinct rule to the whole candidate set only for an exhaustive count).
    page: 1,
    hitsPerPage: window,
  };
  const queries: MultiSearchQuery[] = [];
  const roles: Role[] = [];
  for (const word of words) {
    queries.push({
      ...base,
      q: q([word], query.prefixLast),
      matchingStrategy: 'all',
      attributesToSearchOn: [...WORD_FIELDS],
    });
    roles.push({ kind: 'term', term: word });
  }
  const together = keepWithin(typed, minor, MAX_QUERY_WORDS, (w) => queryWords(w, options.wholeWords));
  if (together.length > 1) {
    queries.push({
      ...base,
      q: q(together, query.prefixLast),
      matchingStrategy: 'last',
      attributesToSearchOn: [...WORD_FIELDS],
    });
    roles.push({ kind: 'all', terms: together });
  }
  const grams = query.terms
    .filter((t) => (t.origin === 'gram' || t.origin === 'pinyin') && !t.supporting && gramToken(t.term))
    .sort((a, b) => b.weight - a.weight) // pinyin pairs (typos) before bigrams (fragments)
    .map((t) => t.term);
  for (let i = 0; i < grams.length && i < MAX_GRAM_QUERIES * MAX_QUERY_WORDS; i += MAX_QUERY_WORDS) {
    const chunk = grams.slice(i, i + MAX_QUERY_WORDS);
    queries.push({
      ...base,
      q: `${chunk.map(gramToken).join(' ')} `,
      matchingStrategy: 'frequency',
      attributesToSearchOn: [GRAM_FIELD],
      attributesToRetrieve: [...RETRIEVE, GRAM_FIELD],
    });
    roles.push({ kind: 'grams', terms: chunk });
  }
  return { queries, roles, window };
}

/**
 * How many query words Meilisearch makes of one of our terms. A dictionary
 * word stays whole, and so does a Han word (`PRESEGMENTED_LOCALE`); charabia
 * splits other Latin words at `.`.
 */
export function queryWords(term: string, wholeWords?: ReadonlySet<string>): number {
  if (wholeWords?.has(term) || HAN.test(term)) return 1;
  return term.split('.').filter(Boolean).length || 1;
}

/**
 * The words, in their order, whose costs add up to at most `budget`: minor
 * words (filler in a long sentence) go first, then words from the end.
 */
function keepWithin(
  words: string[],
  minor: ReadonlySet<string>,
  budget: number,
  cost: (w: string) => number,
): string[] {
  const kept = [...words];
  let total = kept.reduce((sum, w) => sum + cost(w), 0);
  while (total > budget && kept.length > 0) {
    let drop = kept.length - 1;
    for (let i = kept.length - 1; i >= 0; i--) {
      if (minor.has(kept[i] as string)) {
        drop = i;
        break;
      }
    }
    total -= cost(kept[drop] as string);
    kept.splice(drop, 1);
  }
  return kept;
}

/**
 * Merges the searches of a plan into ranked articles: weighted sum of ranking
 * scores, the best section from the query that contributed most, matched terms
 * from the queries that found the article (and, for grams, from its `grams`).
 *
 * @param articles articles in the index, for the word weights (0 when unknown)
 */
export function mergeResults(
  plan: SearchPlan,
  results: Array<Pick<SearchResponse, 'hits' | 'estimatedTotalHits' | 'totalHits'>>,
  query: EngineQuery,
  articles: number,
): EngineResult {
  type Group = { score: number; top: number; section: EngineHit['section']; terms: Set<string> };
  const groups = new Map<string, Group>();
  let truncated = false;
  let estimate = 0;
  plan.roles.forEach((role, i) => {
    const result = results[i];
    if (!result) return;
    if (result.hits.length >= plan.window) truncated = true;
    estimate = Math.max(estimate, articlesFound(result));
    const weight = weightOf(role, result, articles);
    // The queries retrieve exactly these fields (RETRIEVE).
    for (const hit of result.hits as Array<Hit<HitFields>>) {
      const contribution = weight * (hit._rankingScore ?? 0);
      let group = groups.get(hit.articleId);
      if (!group) {
        group = { score: 0, top: -1, section: { anchor: hit.anchor, kind: hit.kind }, terms: new Set() };
        groups.set(hit.articleId, group);
      }
      group.score += contribution;
      if (contribution > group.top) {
        group.top = contribution;
        group.section = { anchor: hit.anchor, kind: hit.kind };
      }
      if (role.kind === 'term') group.terms.add(role.term);
      if (role.kind === 'grams') {
        const present = new Set((hit.grams ?? '').split(' '));
        for (const term of role.terms) if (present.has(gramToken(term) ?? '')) group.terms.add(term);
      }
    }
  });
  const hits: EngineHit[] = [...groups]
    .map(([articleId, g]) => ({ articleId, score: g.score, section: g.section, matchedTerms: [...g.terms] }))
    .sort((a, b) => b.score - a.score || a.articleId.localeCompare(b.articleId));
  return {
    engine: 'meilisearch',
    degraded: false,
    // Exact when no query filled its window; beyond that, the largest article count of one
    // query: a lower bound of the union, never more than there are.
    total: truncated ? Math.max(hits.length, estimate) : hits.length,
    totalIsEstimate: truncated,
    hits: hits.slice(query.offset, query.offset + query.limit),
  };
}

/**
 * A typed word weighs by its rarity, like an IDF: ln(1 + N / df) scaled to at
 * most 1, with df the number of articles the word's own query found.
 */
function weightOf(role: Role, result: Counted, articles: number): number {
  if (role.kind === 'all') return ALL_WORDS_WEIGHT;
  if (role.kind === 'grams') return GRAMS_WEIGHT;
  const df = Math.max(1, articlesFound(result));
  const n = Math.max(articles, df);
  return n <= 1 ? 1 : Math.log(1 + n / df) / Math.log(1 + n);
}

type Counted = { hits: unknown[]; estimatedTotalHits?: number; totalHits?: number };

/** Articles a query found: `totalHits` in page mode (distinct articles), else what it returned. */
function articlesFound(result: Counted): number {
  return result.totalHits ?? Math.min(result.estimatedTotalHits ?? result.hits.length, result.hits.length);
}
