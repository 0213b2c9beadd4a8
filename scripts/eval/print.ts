import type { Outcome, Summary } from './metrics.js';
import { precisionCurve } from './metrics.js';

const fmt = (n: number | undefined) => (n === undefined ? '  –  ' : n.toFixed(3));

export function printTable(title: string, rows: Array<[string, Summary, { baseline?: boolean }?]>): void {
  console.log(`\n${title}`);
  console.log(`${''.padEnd(30)}    n  MRR@10  R@1    R@5    zero   confident  confident right`);
  for (const [name, s, opts] of rows) {
    const confidence = opts?.baseline ? '  –          –' : `${fmt(s.confident)}      ${fmt(s.confidentPrecision)}`;
    console.log(
      `${name.padEnd(30)} ${String(s.n).padStart(4)}  ${fmt(s.mrr10)}   ${fmt(s.recall1)}  ${fmt(s.recall5)}  ${fmt(s.zeroResult)}  ${confidence}`,
    );
  }
}

export function printCurve(outcomes: Outcome[]): void {
  const curve = precisionCurve(outcomes);
  console.log('confidence score: answer only the most confident share of in-scope queries →');
  console.log(`  answered   ${curve.map((p) => `${Math.round(p.coverage * 100)}%`.padStart(6)).join('')}`);
  console.log(`  right      ${curve.map((p) => fmt(p.precision).padStart(6)).join('')}`);
  console.log(`  score ≥    ${curve.map((p) => p.threshold.toFixed(2).padStart(6)).join('')}`);
}

export function printMisses(outcomes: Outcome[], limit = 40): void {
  const misses = outcomes.filter((o) => o.expected.length > 0 && o.rank !== 1);
  for (const m of misses.slice(0, limit))
    console.log(`  miss  [${m.kind}] ${m.q} -> ${m.top ?? '∅'} (want ${m.expected.join('|')}, rank ${m.rank ?? '-'})`);
  if (misses.length > limit) console.log(`  … ${misses.length - limit} more in the JSON report`);
}
