import type { ConfidenceSignals } from '../../server/answer/confidence.js';
import type { EvalQuery } from './sets.js';

/** What one query got: the rank of the first expected article, and how sure the answer was. */
export type Outcome = EvalQuery & {
  rank: number | null;
  top: string | null;
  total: number;
  confident: boolean;
  /** The answer's confidence score, 0..1: what the precision/coverage curve sorts by. */
  confidence: number;
  noGoodMatch: boolean;
  /** What the confidence model saw (none without a hit). */
  signals?: ConfidenceSignals;
  tookMs: number;
};

export type Summary = {
  n: number;
  mrr10: number;
  recall1: number;
  recall5: number;
  zeroResult: number;
  /** Share of queries answered `confident: true`. */
  confident: number;
  /** Among confident answers, the share whose top article is an expected one. */
  confidentPrecision: number;
};

export function rankOf(ids: string[], expected: string[], depth = 10): number | null {
  const index = ids.slice(0, depth).findIndex((id) => expected.includes(id));
  return index === -1 ? null : index + 1;
}

export function summarize(list: Outcome[]): Summary {
  const inScope = list.filter((o) => o.expected.length > 0);
  const confident = list.filter((o) => o.confident);
  return {
    n: list.length,
    mrr10: mrr(inScope.map((o) => o.rank)),
    recall1: ratio(inScope.filter((o) => o.rank === 1).length, inScope.length),
    recall5: ratio(inScope.filter((o) => o.rank !== null && o.rank <= 5).length, inScope.length),
    zeroResult: ratio(inScope.filter((o) => o.total === 0).length, inScope.length),
    confident: ratio(confident.length, list.length),
    confidentPrecision: ratio(confident.filter((o) => o.rank === 1).length, confident.length),
  };
}

export function mrr(ranks: Array<number | null>): number {
  return ratio(
    ranks.reduce<number>((sum, r) => sum + (r ? 1 / r : 0), 0),
    ranks.length,
  );
}

/**
 * Precision of the top answer when only the queries whose confidence score is
 * highest are answered: at each coverage level (share of in-scope queries
 * answered), the share answered right and the score threshold that gives it.
 */
export function precisionCurve(
  list: Outcome[],
  levels = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
): Array<{ coverage: number; precision: number; threshold: number }> {
  const sorted = list.filter((o) => o.expected.length > 0).sort((a, b) => b.confidence - a.confidence);
  return levels.map((coverage) => {
    const take = sorted.slice(0, Math.max(1, Math.round(coverage * sorted.length)));
    return {
      coverage,
      precision: ratio(take.filter((o) => o.rank === 1).length, take.length),
      threshold: round(take.at(-1)?.confidence ?? 0),
    };
  });
}

export const round = (n: number) => Math.round(n * 1000) / 1000;
export const ratio = (a: number, b: number) => (b === 0 ? 0 : round(a / b));
export function percentile(sorted: number[], p: number): number | undefined {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
