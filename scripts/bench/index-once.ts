/**
 * One index build (or snapshot load) in a fresh process, the stage functions
 * called directly: createKnowledgeBase().reload() on the embedded engine.
 * With --queries FILE (a JSON array of strings), then times those searches
 * one after another (no HTTP, no concurrency): the engine's own cost per
 * query. Prints one JSON line. Run by bench.ts in its own process so that its
 * memory and CPU profile are its own.
 *
 *   node --import tsx scripts/bench/index-once.ts --content data/corpus-real-10000 --data /tmp/kb-data [--queries q.json]
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createEmbeddedEngine } from '../../server/engine/embedded/embedded-engine.js';
import { createKnowledgeBase } from '../../server/knowledge-base.js';
import { searchKnowledgeBase } from '../../server/search/search.js';

export type IndexRun = {
  ms: number;
  rebuilt: boolean;
  articles: number;
  sections: number;
  snapshotBytes?: number;
  timings: { loadMs: number; parseMs: number; analyzerMs: number; indexMs: number };
  peakRssBytes: number;
  /** process.hrtime in microseconds when reload() returned: splits this process's CPU profile. */
  reloadedAtUs: number;
  /** Sequential in-process searches (searchKnowledgeBase, agent scope, limit 10), after a warm-up. */
  search?: { count: number; meanMs: number; p50: number; p95: number; p99: number; max: number };
};

const WARM_UP = 20;

const { values: args } = parseArgs({
  options: {
    content: { type: 'string' },
    data: { type: 'string' },
    queries: { type: 'string' },
  },
});
if (!args.content || !args.data) throw new Error('需要 --content 和 --data');

const started = performance.now();
const engine = createEmbeddedEngine({ dataDir: args.data });
const kb = createKnowledgeBase({ contentDir: args.content, engine, dataDir: args.data });
const result = await kb.reload();
const ms = performance.now() - started;
const reloadedAtUs = Number(process.hrtime.bigint() / 1000n);
const stats = await engine.stats();
const run: IndexRun = {
  ms: Math.round(ms),
  rebuilt: result.rebuilt,
  articles: result.accepted.length,
  sections: stats.documents,
  snapshotBytes: stats.sizeBytes,
  timings: result.timings,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  reloadedAtUs,
};
if (args.queries) {
  const queries = JSON.parse(await readFile(args.queries, 'utf8')) as string[];
  const count = queries.length;
  const times: number[] = [];
  // The first WARM_UP queries run twice: once to warm up, once timed.
  for (const [i, q] of [...queries.slice(0, WARM_UP), ...queries].entries()) {
    const t = performance.now();
    await searchKnowledgeBase(kb, { q, scope: 'agent', limit: 10, offset: 0 });
    if (i >= WARM_UP) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => round(times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0);
  const mean = times.reduce((sum, x) => sum + x, 0) / times.length;
  run.search = {
    count,
    meanMs: round(mean),
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: round(times.at(-1) ?? 0),
  };
}
console.log(JSON.stringify(run));

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
