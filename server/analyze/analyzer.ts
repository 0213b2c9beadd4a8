import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodejieba from 'nodejieba';
import type { Lexicon } from '../load/load-lexicon.js';
import { fold } from '../text/fold.js';
import { withBuiltinLexicon } from './builtin-lexicon.js';
import { HAN, informativeTerms, pinyinPairs, pushGrams } from './fuzzy-terms.js';
import { DEFAULT_STOPWORDS } from './stopwords.js';
import type { Token } from './token.js';

/** Bump when analysis changes in a way that makes old index snapshots wrong. */
export const ANALYZER_VERSION = 6;

/** Weight of a term added by a synonym rule, relative to a term the user typed. */
const SYNONYM_WEIGHT = 0.8;
/** Weights of the character grams of a typed word, matched in the `grams` field only. */
const BIGRAM_WEIGHT = 0.35;
const UNIGRAM_WEIGHT = 0.2;
/** Weight of a pinyin syllable pair: catches homophone typos (光毛 for 光猫, 理陪 for 理赔). */
const PINYIN_WEIGHT = 0.45;

export type QueryTerm = {
  term: string;
  /** Relative importance, 1 for a typed term. */
  weight: number;
  /**
   * `query`: typed; `synonym`: from the lexicon; `gram`: a character gram of a
   * typed word; `pinyin`: the sound of two adjacent typed characters.
   */
  origin: 'query' | 'synonym' | 'gram' | 'pinyin';
  /** The typed term this one stands for (itself for a typed term). */
  source: string;
  /** For a pinyin pair: the typed terms its two characters belong to. */
  covers?: string[];
  /**
   * A typed word left out of the confidence judgement: in a long rambling query
   * only the most informative words must be covered. Still searched.
   */
  minor?: boolean;
  /**
   * Supporting evidence only: an article matching nothing but supporting terms
   * is not a result (single characters shared by chance: 量子纠缠 vs 光猫).
   */
  supporting?: boolean;
};

export type AnalyzedQuery = {
  /** The query as typed, trimmed. */
  text: string;
  /** Folded query terms joined by spaces: the form used for logs and grouping. */
  normalized: string;
  terms: QueryTerm[];
  /** The query as `canonicalText` reads it, from the same segmentation: what rescoring compares. */
  canonical: string;
};

export type Analyzer = {
  /** Hash of the analyzer version and the lexicon: part of every index snapshot key. */
  readonly fingerprint: string;
  /** Folded, segmented terms with offsets into `text`; stop words and punctuation dropped. */
  tokenize(text: string): Token[];
  /** Terms to index for a field: the tokens plus the sub-words of long words, so fragments match. */
  indexTerms(text: string): string[];
  /**
   * Fuzzy evidence for the low-weight `grams` field: character unigrams and
   * bigrams of the Chinese runs, and pinyin syllable pairs of adjacent characters.
   */
  gramTerms(text: string): string[];
  /** The query's terms, de-duplicated, with synonyms and character grams added at lower weights. */
  analyzeQuery(text: string): AnalyzedQuery;
  /**
   * The text as rescoring compares it (search/rerank.ts): folded, only letters,
   * digits and Han characters, every word of a synonym group replaced by one
   * word of that group (还钱 and 还款 read the same). Stop words stay.
   */
  canonicalText(text: string): string;
};

/**
 * Runs of Latin letters and digits (los, e1, 2.4g, wifi6) stay whole; runs of
 * Han characters go to jieba; everything else (spaces, punctuation, emoji) is a
 * separator. Applied to folded text, so Latin is already lower-case.
 */
const RUN = /[a-z0-9]+(?:[.][a-z0-9]+)*|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;

/**
 * Frequency given to lexicon words in jieba's user dictionary. jieba's default
 * weight for inserted words is the dictionary median, too low to keep 没电 or
 * 到账 whole against two very common characters; this one is (log(2e4 / 6e7)
 * beats the product of two common characters) without swallowing neighbours.
 */
const LEXICON_WORD_FREQUENCY = 20_000;

/** Signature of the word list nodejieba's process-wide dictionary was last loaded with. */
let loadedWords: string | undefined;

/**
 * Creates THE analyzer: one instance serves indexing and querying, so both
 * sides always agree on terms.
 *
 * Segmentation uses jieba's dictionary only (no HMM): HMM invents words from
 * unseen character sequences (我家网老断 -> 网老断) that match nothing. Unknown
 * sequences fall apart into single characters instead, and the character-gram
 * field catches them at a low weight.
 *
 * The lexicon is the built-in one (builtin-lexicon.ts) followed by the trainers'.
 *
 * nodejieba keeps one process-wide dictionary; creating an analyzer loads it
 * with the lexicon's words (only when they changed), so the latest analyzer wins.
 */
export function createAnalyzer(trainerLexicon: Lexicon): Analyzer {
  const lexicon = withBuiltinLexicon(trainerLexicon);
  loadSegmenter(lexicon);
  const stopwords = new Set([...DEFAULT_STOPWORDS, ...lexicon.stopwords].map(fold));
  const termsOf = (t: string) => segment(t, stopwords).map((tok) => tok.term);
  const expansions = buildExpansions(lexicon, termsOf);
  const canonical = buildCanonical(lexicon, termsOf);
  const noStopwords = new Set<string>();
  const canonicalOf = (tokens: Token[]) => tokens.map((t) => canonical.get(t.term) ?? t.term).join('');
  const fingerprint = createHash('sha256').update(`analyzer:${ANALYZER_VERSION}\u0000${lexicon.raw}`).digest('hex');
  // One string per distinct term: jieba hands back a new string for every occurrence, and a full
  // build holds every section's terms at once (millions of occurrences, some ten thousand words).
  const pool = new Map<string, string>();
  const intern = (term: string): string => {
    const known = pool.get(term);
    if (known !== undefined) return known;
    pool.set(term, term);
    return term;
  };

  return {
    fingerprint,
    tokenize: (text) => segment(text, stopwords),
    indexTerms(text) {
      const terms: string[] = [];
      for (const match of fold(text).matchAll(RUN)) {
        const run = match[0];
        if (!HAN.test(run)) {
          terms.push(intern(run));
          continue;
        }
        for (const term of nodejieba.cutForSearch(run, false)) if (!stopwords.has(term)) terms.push(intern(term));
      }
      return terms;
    },
    gramTerms(text) {
      const grams: string[] = [];
      for (const match of fold(text).matchAll(RUN)) {
        if (HAN.test(match[0])) pushGrams(match[0], grams, stopwords);
      }
      for (const pair of pinyinPairs(segment(text, stopwords))) grams.push(pair.term);
      return grams.map(intern);
    },
    canonicalText: (text) => canonicalOf(segment(text, noStopwords)),
    analyzeQuery(text) {
      const trimmed = text.trim();
      const seen = new Map<string, QueryTerm>();
      const add = (term: string, weight: number, origin: QueryTerm['origin'], source: string, supporting = false) => {
        if (!seen.has(term)) seen.set(term, { term, weight, origin, source, ...(supporting ? { supporting } : {}) });
      };
      // One segmentation serves both: the terms drop stop words, the canonical text keeps them.
      const all = segment(trimmed, noStopwords);
      const tokens = all.filter((t) => !stopwords.has(t.term));
      const typed = [...new Set(tokens.map((t) => t.term))];
      const informative = informativeTerms(typed);
      for (const term of typed) {
        add(term, 1, 'query', term);
        if (!informative.has(term)) (seen.get(term) as QueryTerm).minor = true;
      }
      for (const term of typed) {
        for (const synonym of expansions.get(term) ?? []) add(synonym, SYNONYM_WEIGHT, 'synonym', term);
      }
      for (const term of typed) {
        if (!HAN.test(term)) continue;
        const grams: string[] = [];
        pushGrams(term, grams, stopwords);
        for (const gram of grams) {
          const unigram = gram.length === 2;
          add(gram, unigram ? UNIGRAM_WEIGHT : BIGRAM_WEIGHT, 'gram', term, unigram);
        }
      }
      for (const pair of pinyinPairs(tokens)) {
        const existing = seen.get(pair.term);
        if (existing) existing.covers = [...new Set([...(existing.covers ?? []), ...pair.covers])];
        else
          seen.set(pair.term, {
            term: pair.term,
            weight: PINYIN_WEIGHT,
            origin: 'pinyin',
            source: pair.covers[0] ?? '',
            covers: pair.covers,
          });
      }
      return { text: trimmed, normalized: typed.join(' '), terms: [...seen.values()], canonical: canonicalOf(all) };
    },
  };
}

function loadSegmenter(lexicon: Lexicon): void {
  const words = new Set<string>();
  for (const word of lexicon.dictionary) words.add(fold(word));
  // Every synonym is a domain word by definition: keep it whole as well.
  for (const rule of lexicon.synonyms) for (const w of [...rule.from, ...rule.to]) words.add(fold(w));
  const lines = [...words].filter((w) => w.length > 1 && !/\s/.test(w)).sort();
  const signature = lines.join('\n');
  // Loading costs about a second: only when the word list changed.
  if (signature === loadedWords) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'kb-jieba-'));
  const userDict = path.join(dir, 'user.dict.utf8');
  try {
    writeFileSync(userDict, lines.map((w) => `${w} ${LEXICON_WORD_FREQUENCY} n`).join('\n'));
    nodejieba.load({ userDict });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  loadedWords = signature;
}

function segment(text: string, stopwords: Set<string>): Token[] {
  const folded = fold(text);
  const tokens: Token[] = [];
  for (const match of folded.matchAll(RUN)) {
    const run = match[0];
    const runStart = match.index;
    if (!HAN.test(run)) {
      if (!stopwords.has(run)) tokens.push({ term: run, start: runStart, end: runStart + run.length });
      continue;
    }
    let offset = 0;
    for (const piece of nodejieba.cut(run, false)) {
      // jieba returns the run cut into consecutive pieces; guard against a future change anyway.
      const at = run.startsWith(piece, offset) ? offset : run.indexOf(piece, offset);
      if (at < 0) continue;
      offset = at + piece.length;
      if (!stopwords.has(piece)) tokens.push({ term: piece, start: runStart + at, end: runStart + offset });
    }
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

/**
 * Each word of a synonym group mapped to one representative word of it, groups
 * that share a word merged into one (光猫 in two groups), by union-find. A
 * one-way rule (光毛 => 光猫) joins its left side to the right's group. Only
 * entries that segment to a single word take part.
 */
function buildCanonical(lexicon: Lexicon, termsOf: (text: string) => string[]): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (w: string): string => {
    let root = w;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as string;
    return root;
  };
  const single = (text: string) => {
    const terms = termsOf(text);
    return terms.length === 1 ? terms[0] : undefined;
  };
  for (const rule of lexicon.synonyms) {
    const targets = rule.to.map(single).filter((t): t is string => t !== undefined);
    const head = targets[0];
    if (head === undefined) continue;
    if (!parent.has(head)) parent.set(head, head);
    for (const word of [...rule.from.map(single), ...targets]) {
      if (word === undefined) continue;
      if (!parent.has(word)) parent.set(word, word);
      const [a, b] = [find(head), find(word)];
      if (a !== b) parent.set(b, a);
    }
  }
  const canonical = new Map<string, string>();
  for (const word of parent.keys()) if (find(word) !== word) canonical.set(word, find(word));
  return canonical;
}
