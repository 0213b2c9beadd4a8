import type { AnalyzedQuery } from '../analyze/analyzer.js';
import type { EngineHit } from '../engine/search-engine.js';

export type MatchQuality = {
  /** Share of the typed words found in the article, weighted by length, 0..1. */
  coverage: number;
  /**
   * At least one typed word that says something (two characters or more, or a
   * code) was found: itself, a synonym, two of its characters side by side, or
   * its sound (a homophone typo). When only single characters were typed,
   * every one of them must be found. An article matching only single
   * characters (上, 点 of 火星上的外卖怎么点) shares letters with the question,
   * not its subject.
   */
  informative: boolean;
};

/** What each typed word is found by, worked out once per query. */
type WordPlan = {
  long: boolean;
  weight: number;
  /** The word or a synonym of it: full credit. */
  direct: string[];
  /** Pinyin pairs inside it (homophone typos), and how many a whole match has. */
  sounds: string[];
  expectedSounds: number;
  /** Its single characters (fragments). */
  chars: string[];
  /** Its two-character pieces. */
  pieces: string[];
};

const plans = new WeakMap<AnalyzedQuery, WordPlan[]>();

function planOf(query: AnalyzedQuery): WordPlan[] {
  let plan = plans.get(query);
  if (plan) return plan;
  plan = query.terms
    .filter((t) => t.origin === 'query' && !t.minor)
    .map((word) => {
      const related = query.terms.filter((t) => t.source === word.term);
      const long = word.term.length > 1;
      return {
        long,
        weight: long ? 1 : 0.5,
        direct: related.filter((t) => t.origin === 'query' || t.origin === 'synonym').map((t) => t.term),
        sounds: query.terms.filter((t) => t.origin === 'pinyin' && t.covers?.includes(word.term)).map((t) => t.term),
        expectedSounds: Math.max(1, word.term.length - 1),
        // Gram terms carry a one-character prefix: a unigram is 2 long, a bigram 3.
        chars: related.filter((t) => t.origin === 'gram' && t.term.length === 2).map((t) => t.term),
        pieces: related.filter((t) => t.origin === 'gram' && t.term.length === 3).map((t) => t.term),
      };
    });
  plans.set(query, plan);
  return plan;
}

/**
 * How well one hit covers what was typed. Each typed word (long queries: only
 * the most informative ones) is weighted by its length (a single character
 * says less than a word: half weight) and counts fully when it or one of its
 * synonyms matched. Otherwise it gets partial credit from fuzzy evidence,
 * whichever is larger: up to 0.75 for the pinyin pairs inside it that matched
 * (a homophone typo), up to 0.5 for its characters that matched (a fragment).
 */
export function matchQuality(query: AnalyzedQuery, hit: EngineHit | undefined): MatchQuality {
  const plan = planOf(query);
  if (!hit || plan.length === 0) return { coverage: 0, informative: false };
  const matched = new Set(hit.matchedTerms);
  const found = (terms: string[]) => terms.reduce((n, t) => n + (matched.has(t) ? 1 : 0), 0);
  let covered = 0;
  let total = 0;
  let informative = false;
  for (const word of plan) {
    total += word.weight;
    let credit = 0;
    // Two adjacent characters of the word found together, or its sound: a fragment or a typo, not a chance letter.
    let pieceFound = false;
    if (found(word.direct) > 0) credit = 1;
    else {
      const soundCredit = (0.75 * Math.min(word.expectedSounds, found(word.sounds))) / word.expectedSounds;
      const charCredit = word.chars.length > 0 ? (0.5 * found(word.chars)) / word.chars.length : 0;
      credit = Math.max(soundCredit, charCredit);
      pieceFound = soundCredit >= 0.5 || found(word.pieces) > 0;
    }
    covered += word.weight * credit;
    if (word.long && (credit === 1 || pieceFound)) informative = true;
  }
  const coverage = covered / total;
  // Only single characters typed (猫, 闪红): nothing longer to require, so all of them must be found.
  if (plan.every((w) => !w.long)) informative = coverage === 1;
  return { coverage, informative };
}
