import nodejieba from 'nodejieba';
import { pinyin } from 'pinyin-pro';
import type { Token } from './token.js';

/**
 * The fuzzy side of analysis: character grams, pinyin pairs and the
 * informativeness of words. These feed the low-weight `grams` field and the
 * confidence judgement; exact words and synonyms live in analyzer.ts.
 */

/** Gram and pinyin terms carry these prefixes so they never collide with word terms. */
export const GRAM_PREFIX = '_';
export const PINYIN_PREFIX = '^';
/** A query with more typed words than this is a caller's sentence: only its most informative words must be covered. */
const LONG_QUERY_TERMS = 6;
export const HAN = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

/**
 * Pinyin of each pair of adjacent characters inside chains of contiguous
 * Chinese tokens (stop words break a chain, so 怎么 never becomes a pair).
 * Syllables are read in context by pinyin-pro, toneless, and folded for the
 * usual regional confusions (zh/z, ch/c, sh/s, -ng/-n).
 */
export function pinyinPairs(tokens: Token[]): Array<{ term: string; covers: string[] }> {
  const pairs: Array<{ term: string; covers: string[] }> = [];
  let chain: Token[] = [];
  const flush = () => {
    const owners = chain.flatMap((t) => [...t.term].map(() => t));
    const syllables = pinyin(chain.map((t) => t.term).join(''), { toneType: 'none', type: 'array' }).map(foldSyllable);
    for (let i = 0; i + 1 < syllables.length && syllables.length === owners.length; i++) {
      const [a, b] = [owners[i] as Token, owners[i + 1] as Token];
      // A pair vouches for a word it lies inside, or for two single characters that
      // jieba could not join (a typo it does not know: 广猫 -> 广 / 猫). A pair that
      // straddles a real word proves nothing about either word.
      const covers = a === b ? [a.term] : a.term.length === 1 && b.term.length === 1 ? [a.term, b.term] : [];
      pairs.push({ term: PINYIN_PREFIX + syllables[i] + syllables[i + 1], covers });
    }
    chain = [];
  };
  for (const token of tokens) {
    if (!HAN.test(token.term)) {
      flush();
      continue;
    }
    const last = chain.at(-1);
    if (last && last.end !== token.start) flush();
    chain.push(token);
  }
  flush();
  return pairs;
}

function foldSyllable(syllable: string): string {
  return syllable.replace(/^([zcs])h/, '$1').replace(/ng$/, 'n');
}

/**
 * The words of a query that must be found for a confident answer. In a long
 * rambling query (我跟你说啊我家那个宽带从前天开始就时好时坏的…) these are its
 * LONG_QUERY_TERMS most informative words by jieba's IDF table
 * (nodejieba.extract): filler like 开始 / 前天 scores low, 时好时坏 / 宽带 high.
 * Every word is still searched (cutting them from retrieval cost ranking quality
 * on the evaluation set); short queries keep every word.
 */
export function informativeTerms(typed: string[]): Set<string> {
  if (typed.length <= LONG_QUERY_TERMS) return new Set(typed);
  const weight = new Map(typed.map((term) => [term, informativeness(term)]));
  return new Set([...typed].sort((a, b) => (weight.get(b) ?? 0) - (weight.get(a) ?? 0)).slice(0, LONG_QUERY_TERMS));
}

function informativeness(term: string): number {
  if (!HAN.test(term)) return 12; // codes and Latin words (e1, los, 691) are the most specific words a caller says
  return nodejieba.extract(term, 1)[0]?.weight ?? 0;
}

export function pushGrams(run: string, out: string[], stopwords: Set<string>): void {
  for (let i = 0; i < run.length; i++) {
    const ch = run[i] as string;
    if (!stopwords.has(ch)) out.push(GRAM_PREFIX + ch);
    if (i + 1 < run.length) out.push(GRAM_PREFIX + run.slice(i, i + 2));
  }
}
