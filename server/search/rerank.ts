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

/** A title or similar question as rescoring compares it: its characters and sorted distinct bigrams, computed once. */
export type Surface = { text: string; codes: Uint16Array; grams: Int32Array };

export function toSurface(text: string): Surface {
  const codes = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
  return { text, codes, grams: bigramCodes(codes) };
}

/**
 * Re-orders `hits` (engine order) by engine score × similarity boost for the
 * first `window`; the rest keep their order below. `surfacesOf` gives an
 * article's title and questions as the analyzer's canonical text.
 */
export function rerank(
  hits: EngineHit[],
  query: string,
  surfacesOf: (articleId: string) => readonly Surface[] | undefined,
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
  private readonly query: Surface;
  private readonly lcs: (other: Uint16Array) => number;

  constructor(query: string) {
    this.query = toSurface(query);
    this.lcs = lcsAgainst(this.query.codes);
  }

  /** The surface that reads most like the query, by the weighted boost. */
  best(surfaces: readonly Surface[]): Similarity {
    let best = NO_SIMILARITY;
    for (const surface of surfaces) {
      const s = this.similarity(surface);
      if (s.boost > best.boost) best = s;
    }
    return best;
  }

  similarity(surface: Surface): Similarity {
    const length = surface.codes.length;
    const queryLength = this.query.codes.length;
    if (length === 0 || queryLength === 0) return NO_SIMILARITY;
    const common = this.lcs(surface.codes);
    const jaccard = jaccardOf(this.query.grams, surface.grams);
    const lcsQuery = common / queryLength;
    const lcsSurface = common / length;
    const boost =
      RERANK_WEIGHTS.jaccard * jaccard + RERANK_WEIGHTS.lcsQuery * lcsQuery + RERANK_WEIGHTS.lcsSurface * lcsSurface;
    return { jaccard, lcsQuery, lcsSurface, boost };
  }
}

/**
 * Distinct character bigrams as sorted numbers (two UTF-16 code units in one
 * 32-bit integer); a single character stands for itself.
 */
export function bigramCodes(codes: Uint16Array): Int32Array {
  if (codes.length === 1) return Int32Array.of(codes[0] as number);
  const grams = new Int32Array(Math.max(0, codes.length - 1));
  for (let i = 0; i + 1 < codes.length; i++) grams[i] = ((codes[i] as number) << 16) | (codes[i + 1] as number);
  grams.sort();
  let n = 0;
  for (let i = 0; i < grams.length; i++) if (n === 0 || grams[i] !== grams[n - 1]) grams[n++] = grams[i] as number;
  return grams.subarray(0, n);
}

/** |A∩B| / |A∪B| of two sorted distinct lists, by merging. */
function jaccardOf(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared / (a.length + b.length - shared);
}

/**
 * Per-character match masks of the bit-parallel LCS, indexed by UTF-16 code
 * unit and shared by all queries. A stamp marks the entries the current owner
 * installed, so installing touches only the query's own characters (no
 * clearing, no Map); a query whose masks were replaced in between installs
 * them again (searches run one after another, so this is rare).
 */
const masks = new Int32Array(0x10000);
const stamps = new Uint32Array(0x10000);
let owner = 0;

/**
 * Length of the longest common subsequence of `a` and any other string.
 * Up to 31 characters, the bit-parallel algorithm of Allison and Dix (as
 * refined by Hyyrö): one machine word per character of the other string.
 * Longer queries (a caller's sentence) use the classic dynamic programme.
 */
export function lcsAgainst(a: Uint16Array): (b: Uint16Array) => number {
  if (a.length > 31) return (b) => lcsTable(a, b);
  let mine = 0;
  const install = () => {
    owner = (owner + 1) >>> 0 || 1;
    mine = owner;
    for (let i = 0; i < a.length; i++) {
      const c = a[i] as number;
      if (stamps[c] !== mine) {
        stamps[c] = mine;
        masks[c] = 0;
      }
      masks[c] = (masks[c] as number) | (1 << i);
    }
  };
  install();
  const all = a.length === 0 ? 0 : a.length === 31 ? 0x7fffffff : (1 << a.length) - 1;
  return (b) => {
    if (owner !== mine) install();
    let v = all;
    for (let j = 0; j < b.length; j++) {
      const c = b[j] as number;
      const u = stamps[c] === mine ? v & (masks[c] as number) : 0;
      v = ((v + u) | 0 | (v - u)) & all;
    }
    return a.length - popcount(v);
  };
}

function popcount(x: number): number {
  let n = x - ((x >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Rows of the dynamic programme, grown as needed and reused (searches run one at a time). */
let rowA = new Uint16Array(64);
let rowB = new Uint16Array(64);

function lcsTable(a: Uint16Array, b: Uint16Array): number {
  if (rowA.length <= b.length) {
    rowA = new Uint16Array(b.length * 2);
    rowB = new Uint16Array(b.length * 2);
  }
  let previous = rowA;
  let current = rowB;
  previous.fill(0, 0, b.length + 1);
  current[0] = 0;
  for (let i = 1; i <= a.length; i++) {
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      current[j] =
        ai === b[j - 1] ? (previous[j - 1] as number) + 1 : Math.max(previous[j] as number, current[j - 1] as number);
    }
    const swap = previous;
    previous = current;
    current = swap;
  }
  return previous[b.length] as number;
}
