import type { SearchOutcome } from '../search/search.js';

/**
 * The confidence rule, written down (README "答案怎么选"). `confidence` is a
 * score in 0..1: a logistic model over two signals of the top hit,
 *
 *   lead      how far the top article is ahead of the runner-up after
 *             rescoring (score ratio, capped at LONE_LEAD; LONE_LEAD when
 *             there is no runner-up);
 *   coverage  share of the typed words found in it (match-quality.ts);
 *
 * with weights fitted by logistic regression on the evaluation sets, each set
 * weighing the same (`npm run eval -- --fit`, docs/relevance.md). Title
 * similarity was tried as a third signal: once lead and coverage are known it
 * added nothing (its fitted weight was small and negative), so it is left out.
 * An answer is `confident` when the score reaches CONFIDENT_SCORE and at least
 * MIN_COVERAGE of the typed words are in the article, and never when the
 * search found no good match. A bot hands over to a person otherwise.
 */
export const CONFIDENCE_MODEL = { intercept: -3.577, lead: 0.805, coverage: 2.102 } as const;
export const CONFIDENT_SCORE = 0.6;
export const MIN_COVERAGE = 0.67;
export const LONE_LEAD = 6;

export type ConfidenceSignals = { lead: number; coverage: number };

export type Confidence = {
  confident: boolean;
  /** 0..1, higher when the top article is more likely the right one. */
  confidence: number;
  /** Share of typed words found in the top article, 0..1. */
  coverage: number;
};

export function confidenceSignals(outcome: SearchOutcome): ConfidenceSignals | undefined {
  const [top, runnerUp] = outcome.raw;
  const evidence = outcome.evidence[0];
  if (!top || !evidence) return undefined;
  const lead = runnerUp && runnerUp.score > 0 ? Math.min(LONE_LEAD, top.score / runnerUp.score) : LONE_LEAD;
  return { lead, coverage: evidence.coverage };
}

export function confidenceScore(signals: ConfidenceSignals): number {
  const m = CONFIDENCE_MODEL;
  return 1 / (1 + Math.exp(-(m.intercept + m.lead * signals.lead + m.coverage * signals.coverage)));
}

export function judgeConfidence(outcome: SearchOutcome): Confidence {
  const signals = confidenceSignals(outcome);
  if (!signals || outcome.noGoodMatch)
    return { confident: false, confidence: 0, coverage: round(signals?.coverage ?? 0) };
  const confidence = confidenceScore(signals);
  return {
    confident: confidence >= CONFIDENT_SCORE && signals.coverage >= MIN_COVERAGE,
    confidence: round(confidence),
    coverage: round(signals.coverage),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
