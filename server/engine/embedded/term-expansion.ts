import { lowerBound } from './postings-layout.js';
import type { PostingsView } from './postings-view.js';

/** MiniSearch's weights for derived terms, kept so tuned rankings carry over. */
const PREFIX_WEIGHT = 0.5;
const FUZZY_WEIGHT = 0.4;
/** Edit-distance tolerance only makes sense for Latin words (wifi, router models). */
const FUZZY_TERM = /^[a-z][a-z0-9]{3,}$/;

/** The term itself, plus prefix expansions of the last typed word and fuzzy ones of Latin words. */
export function expandTerm(index: PostingsView, term: string, prefix: boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const exact = index.termIndex.get(term);
  if (exact !== undefined) out.push([exact, 1]);
  const fuzzy = FUZZY_TERM.test(term);
  if (!prefix && !fuzzy) return out;
  const sorted = index.sortedTerms();
  const prefixed = new Set<string>();
  if (prefix) {
    for (let i = lowerBound(sorted, term); i < sorted.length; i++) {
      const candidate = sorted[i] as string;
      if (!candidate.startsWith(term)) break;
      if (candidate === term) continue;
      prefixed.add(candidate);
      const distance = candidate.length - term.length;
      out.push([
        index.termIndex.get(candidate) as number,
        (PREFIX_WEIGHT * candidate.length) / (candidate.length + 0.3 * distance),
      ]);
    }
  }
  if (fuzzy) {
    // Latin terms sort between 'a' and '{' (after digits, before CJK and the gram markers).
    for (let i = lowerBound(sorted, 'a'); i < sorted.length; i++) {
      const candidate = sorted[i] as string;
      if (candidate >= '{') break;
      if (candidate === term || prefixed.has(candidate) || !withinOneEdit(term, candidate)) continue;
      out.push([index.termIndex.get(candidate) as number, (FUZZY_WEIGHT * candidate.length) / (candidate.length + 1)]);
    }
  }
  return out;
}

/** Levenshtein distance ≤ 1 (one insertion, deletion or substitution). */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
