import type { AnalyzedQuery } from '../analyze/analyzer.js';
import type { EngineHit } from '../engine/search-engine.js';

export type MatchQuality = {
  /** Share of the typed words found in the article, weighted by length, 0..1. */
  coverage: number;
  /**
   * At least one typed word that says something (two characters or more, or a
   * code) was found: itself, a synonym, two of its characters side by side, or
   * its sound (a homophone typo). When only single characters were typed,
   * every one of them must be found. An article matching only single characters (上, 点 of
   * 火星上的外卖怎么点) shares letters with the question, not its subject.
   */
  informative: boolean;
};

/**
 * How well one hit covers what was typed. Each typed word (long queries: only
 * the most informative ones) is weighted by its length (a single character
 * says less than a word: half weight) and counts fully when it or one of its
 * synonyms matched. Otherwise it gets partial credit from fuzzy evidence,
 * whichever is larger: up to 0.75 for the pinyin pairs inside it that matched
 * (a homophone typo), up to 0.5 for its characters that matched (a fragment).
 */
export function matchQuality(query: AnalyzedQuery, hit: EngineHit | undefined): MatchQuality {
  const typed = query.terms.filter((t) => t.origin === 'query' && !t.minor);
  if (!hit || typed.length === 0) return { coverage: 0, informative: false };
  const matched = new Set(hit.matchedTerms);
  let covered = 0;
  let total = 0;
  let informative = false;
  for (const word of typed) {
    const long = word.term.length > 1;
    const weight = long ? 1 : 0.5;
    total += weight;
    const related = query.terms.filter((t) => t.source === word.term);
    let credit = 0;
    // Two adjacent characters of the word found together: a fragment of it, not a chance letter.
    let pieceFound = false;
    if (related.some((t) => (t.origin === 'query' || t.origin === 'synonym') && matched.has(t.term))) credit = 1;
    else {
      pieceFound = related.some((t) => t.origin === 'gram' && t.term.length === 3 && matched.has(t.term));
      const sounds = query.terms.filter((t) => t.origin === 'pinyin' && t.covers?.includes(word.term));
      const expectedSounds = Math.max(1, word.term.length - 1);
      const soundCredit =
        (0.75 * Math.min(expectedSounds, sounds.filter((t) => matched.has(t.term)).length)) / expectedSounds;
      const chars = related.filter((t) => t.origin === 'gram' && t.term.length === 2);
      const charCredit = chars.length > 0 ? (0.5 * chars.filter((t) => matched.has(t.term)).length) / chars.length : 0;
      credit = Math.max(soundCredit, charCredit);
      if (soundCredit >= 0.5) pieceFound = true;
    }
    covered += weight * credit;
    if (long && (credit === 1 || pieceFound)) informative = true;
  }
  const coverage = covered / total;
  // Only single characters typed (猫, 闪红): nothing longer to require, so all of them must be found.
  if (typed.every((t) => t.term.length === 1)) informative = coverage === 1;
  return { coverage, informative };
}
