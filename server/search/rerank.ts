import type { EngineHit } from '../engine/search-engine.js';

/**
 * Whole-query rescoring of the engine's top candidates. Engines score words one
 * by one (BM25 over terms); on short questions among many similar short
 * questions that is not enough: 怎么更换绑定还款的卡 and 还款银行怎么更换 share
 * few words but read alike. This measures how much the query and an article's
 * title or similar questions read alike, character by character, on the
 * analyzer's canonical text (punctuation dropped, synonyms read as one word):
 *
 * - `jaccard`: overlap of their character bigrams (|A∩B| / |A∪B|);
 * - `lcsQuery`: longest common subsequence over the query's length (how much
 *   of what was typed appears in that order);
 * - `lcsSurface`: the same over the title's length (how much of the title the
 *   query accounts for).
 *
 * The article's best title or question counts. The boost is a fixed linear
 * combination (weights chosen on the evaluation sets, docs/relevance.md) and
 * multiplies the engine score: score × exp(boost − MAX_BOOST), so scores only
 * ever shrink and hits outside the window (boost 0) stay below those inside.
 * Engine-agnostic: the same for the embedded engine and Meilisearch.
 */
export const RERANK_WINDOW = 20;
export const RERANK_WEIGHTS = { jaccard: 2.5, lcsQuery: 1, lcsSurface: 1 } as const;
const MAX_BOOST = RERANK_WEIGHTS.jaccard + RERANK_WEIGHTS.lcsQuery + RERANK_WEIGHTS.lcsSurface;

export type Similarity = { jaccard: number; lcsQuery: number; lcsSurface: number; boost: number };

export const NO_SIMILARITY: Similarity = { jaccard: 0, lcsQuery: 0, lcsSurface: 0, boost: 0 };

export type RerankedHit = EngineHit & { similarity: Similarity };

/**
 * Re-orders `hits` (engine order) by engine score × similarity boost for the
 * first `window`; the rest keep their order below. `surfacesOf` gives an
 * article's title and questions, stop words removed, without separators.
 */
export function rerank(
  hits: EngineHit[],
  query: string,
  surfacesOf: (articleId: string) => readonly string[] | undefined,
  window = RERANK_WINDOW,
): RerankedHit[] {
  const penalty = Math.exp(-MAX_BOOST);
  if (query.length === 0) return hits.map((hit) => ({ ...hit, score: hit.score * penalty, similarity: NO_SIMILARITY }));
  const probe = new QueryProbe(query);
  const head = hits.slice(0, window).map((hit) => {
    const similarity = probe.best(surfacesOf(hit.articleId) ?? []);
    return { ...hit, score: hit.score * Math.exp(similarity.boost - MAX_BOOST), similarity };
  });
  head.sort((a, b) => b.score - a.score);
  const tail = hits.slice(window).map((hit) => ({ ...hit, score: hit.score * penalty, similarity: NO_SIMILARITY }));
  return [...head, ...tail];
}

/** A query prepared once for comparing against many surfaces. */
export class QueryProbe {
  private readonly grams: Set<string>;
  private readonly lcs: (other: string) => number;

  constructor(private readonly query: string) {
    this.grams = bigramSet(query);
    this.lcs = lcsAgainst(query);
  }

  /** The surface that reads most like the query, by the weighted boost. */
  best(surfaces: readonly string[]): Similarity {
    let best = NO_SIMILARITY;
    for (const surface of surfaces) {
      const s = this.similarity(surface);
      if (s.boost > best.boost) best = s;
    }
    return best;
  }

  similarity(surface: string): Similarity {
    if (surface.length === 0) return NO_SIMILARITY;
    const common = this.lcs(surface);
    const jaccard = jaccardOf(this.grams, bigramSet(surface));
    const lcsQuery = common / this.query.length;
    const lcsSurface = common / surface.length;
    const boost =
      RERANK_WEIGHTS.jaccard * jaccard + RERANK_WEIGHTS.lcsQuery * lcsQuery + RERANK_WEIGHTS.lcsSurface * lcsSurface;
    return { jaccard, lcsQuery, lcsSurface, boost };
  }
}

/** Character bigrams of a string; a single character stands for itself. */
export function bigramSet(text: string): Set<string> {
  const grams = new Set<string>();
  if (text.length === 1) grams.add(text);
  for (let i = 0; i + 1 < text.length; i++) grams.add(text.slice(i, i + 2));
  return grams;
}

function jaccardOf(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Length of the longest common subsequence of `a` and any other string.
 * Up to 31 characters, the bit-parallel algorithm of Allison and Dix (as
 * refined by Hyyrö): one machine word per character of the other string.
 * Longer queries (a caller's sentence) use the classic dynamic programme.
 */
export function lcsAgainst(a: string): (b: string) => number {
  if (a.length > 31) return (b) => lcsTable(a, b);
  const masks = new Map<string, number>();
  for (let i = 0; i < a.length; i++) {
    const ch = a[i] as string;
    masks.set(ch, (masks.get(ch) ?? 0) | (1 << i));
  }
  const all = a.length === 0 ? 0 : 2 ** a.length - 1;
  return (b) => {
    let v = all;
    for (let j = 0; j < b.length; j++) {
      const u = v & (masks.get(b[j] as string) ?? 0);
      v = ((v + u) | (v - u)) & all;
    }
    return a.length - popcount(v);
  };
}

function popcount(x: number): number {
  let n = x - ((x >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function lcsTable(a: string, b: string): number {
  let previous = new Uint16Array(b.length + 1);
  let current = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] =
        a[i - 1] === b[j - 1]
          ? (previous[j - 1] as number) + 1
          : Math.max(previous[j] as number, current[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}
