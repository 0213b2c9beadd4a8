import type { ConfidenceSignals } from '../../server/answer/confidence.js';
import { round } from './metrics.js';

/** One judged query for fitting: its signals, and whether the top article was right. */
export type Sample = { set: string; signals: ConfidenceSignals; right: boolean };

const FEATURES = ['lead', 'coverage'] as const satisfies ReadonlyArray<keyof ConfidenceSignals>;

/**
 * Logistic regression of "the top article is right" on the confidence
 * signals, by batch gradient descent with a small L2 penalty. Each set weighs
 * the same in total, so the biggest set does not decide alone. Prints the
 * weights to paste into server/answer/confidence.ts (CONFIDENCE_MODEL).
 */
export function fitConfidence(samples: Sample[]): Record<string, number> {
  const perSet = new Map<string, number>();
  for (const s of samples) perSet.set(s.set, (perSet.get(s.set) ?? 0) + 1);
  const weightOf = (s: Sample) => 1 / (perSet.size * (perSet.get(s.set) ?? 1));
  const w = new Array(FEATURES.length + 1).fill(0) as number[];
  const rate = 0.5;
  const l2 = 1e-4;
  for (let iteration = 0; iteration < 4000; iteration++) {
    const grad = new Array(w.length).fill(0) as number[];
    for (const s of samples) {
      const x = [1, ...FEATURES.map((f) => s.signals[f])];
      const z = x.reduce((sum, xi, i) => sum + xi * (w[i] as number), 0);
      const error = 1 / (1 + Math.exp(-z)) - (s.right ? 1 : 0);
      for (let i = 0; i < w.length; i++) grad[i] = (grad[i] as number) + weightOf(s) * error * (x[i] as number);
    }
    for (let i = 0; i < w.length; i++)
      w[i] = (w[i] as number) - rate * ((grad[i] as number) + (i > 0 ? l2 * (w[i] as number) : 0));
  }
  const model = {
    intercept: round(w[0] as number),
    ...Object.fromEntries(FEATURES.map((f, i) => [f, round(w[i + 1] as number)])),
  };
  console.log(`\n拟合的置信度模型（写入 server/answer/confidence.ts 的 CONFIDENCE_MODEL）：${JSON.stringify(model)}`);
  return model;
}
