import { createHash } from 'node:crypto';
import nodejieba from 'nodejieba';
import type { Lexicon } from '../load/load-lexicon.js';
import { fold } from './fold.js';
import { DEFAULT_STOPWORDS } from './stopwords.js';

/** Bump when analysis changes in a way that makes old index snapshots wrong. */
export const ANALYZER_VERSION = 1;

/** Weight of a term added by a synonym rule, relative to a term the user typed. */
const SYNONYM_WEIGHT = 0.8;

export type Token = {
  /** Folded (Simplified, lower-case, half-width) term. */
  term: string;
  /** Offsets into the ORIGINAL text: folding is length-preserving. */
  start: number;
  end: number;
};

export type QueryTerm = {
  term: string;
  /** Relative importance, 1 for a typed term. */
  weight: number;
  origin: 'query' | 'synonym';
  /** The typed term this one stands for (itself for a typed term). */
  source: string;
};

export type AnalyzedQuery = {
  /** The query as typed, trimmed. */
  text: string;
  /** Folded query terms joined by spaces: the form used for logs and grouping. */
  normalized: string;
  terms: QueryTerm[];
};

export type Analyzer = {
  /** Hash of the analyzer version and the lexicon: part of every index snapshot key. */
  readonly fingerprint: string;
  /** Folded, segmented terms with offsets into `text`; stop words and punctuation dropped. */
  tokenize(text: string): Token[];
  /** Terms to index for a field: the tokens plus the sub-words of long words, so fragments match. */
  indexTerms(text: string): string[];
  /** The query's terms, de-duplicated, with synonyms added at a lower weight. */
  analyzeQuery(text: string): AnalyzedQuery;
};

const WORD = /[\p{L}\p{N}]/u;

/** Words inserted into nodejieba's process-wide dictionary so far. */
let insertedWords: Set<string> | undefined;

/**
 * Creates THE analyzer: one instance serves indexing and querying, so both
 * sides always agree on terms.
 *
 * nodejieba keeps one process-wide dictionary; creating an analyzer reloads it
 * with the lexicon's words, so the most recently created analyzer wins.
 */
export function createAnalyzer(lexicon: Lexicon): Analyzer {
  loadSegmenter(lexicon);
  const stopwords = new Set([...DEFAULT_STOPWORDS, ...lexicon.stopwords].map(fold));
  const expansions = buildExpansions(lexicon, (t) => segment(t, stopwords).map((tok) => tok.term));
  const fingerprint = createHash('sha256').update(`analyzer:${ANALYZER_VERSION}\u0000${lexicon.raw}`).digest('hex');

  return {
    fingerprint,
    tokenize: (text) => segment(text, stopwords),
    indexTerms(text) {
      const folded = fold(text);
      const terms: string[] = [];
      for (const term of nodejieba.cutForSearch(folded, true)) {
        if (WORD.test(term) && !stopwords.has(term)) terms.push(term.trim());
      }
      return terms;
    },
    analyzeQuery(text) {
      const trimmed = text.trim();
      const seen = new Map<string, QueryTerm>();
      for (const { term } of segment(trimmed, stopwords)) {
        if (!seen.has(term)) seen.set(term, { term, weight: 1, origin: 'query', source: term });
      }
      const typed = [...seen.keys()];
      for (const term of typed) {
        for (const synonym of expansions.get(term) ?? []) {
          if (!seen.has(synonym)) {
            seen.set(synonym, { term: synonym, weight: SYNONYM_WEIGHT, origin: 'synonym', source: term });
          }
        }
      }
      return { text: trimmed, normalized: typed.join(' '), terms: [...seen.values()] };
    },
  };
}

function loadSegmenter(lexicon: Lexicon): void {
  const words = new Set<string>();
  for (const word of lexicon.dictionary) words.add(fold(word));
  // Every synonym is a domain word by definition: keep it whole as well.
  for (const rule of lexicon.synonyms) for (const w of [...rule.from, ...rule.to]) words.add(fold(w));
  for (const word of words) if (word.length < 2) words.delete(word);

  // Loading the default dictionary costs about a second, so reload only when a
  // word was removed from the lexicon (jieba cannot forget a single word).
  const removed = insertedWords && [...insertedWords].some((w) => !words.has(w));
  if (!insertedWords || removed) {
    nodejieba.load();
    insertedWords = new Set();
  }
  for (const word of words) {
    if (!insertedWords.has(word)) nodejieba.insertWord(word);
    insertedWords.add(word);
  }
}

function segment(text: string, stopwords: Set<string>): Token[] {
  const folded = fold(text);
  const tokens: Token[] = [];
  let offset = 0;
  for (const piece of nodejieba.cut(folded, true)) {
    // jieba returns the input cut into consecutive pieces; guard against a future change anyway.
    const start = folded.startsWith(piece, offset) ? offset : folded.indexOf(piece, offset);
    if (start < 0) continue;
    offset = start + piece.length;
    const term = piece.trim();
    if (term.length === 0 || !WORD.test(term) || stopwords.has(term)) continue;
    tokens.push({ term, start, end: offset });
  }
  return tokens;
}

function buildExpansions(lexicon: Lexicon, termsOf: (text: string) => string[]): Map<string, string[]> {
  const expansions = new Map<string, string[]>();
  for (const rule of lexicon.synonyms) {
    const targets = rule.to.flatMap(termsOf);
    for (const source of rule.from.flatMap(termsOf)) {
      const list = expansions.get(source) ?? [];
      for (const t of targets) if (t !== source && !list.includes(t)) list.push(t);
      expansions.set(source, list);
    }
  }
  return expansions;
}
