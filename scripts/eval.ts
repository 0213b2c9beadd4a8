/**
 * Relevance evaluation: runs every query of scripts/eval-set.json against the
 * sample knowledge base and prints MRR@10, Recall@1/5, zero-result rate,
 * confident-but-wrong rate and out-of-scope handling, overall and per kind, per
 * engine. Writes the full report as JSON.
 *
 *   npm run eval [-- --set scripts/eval-set.json --out data/eval-report.json --misses]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Converter } from 'opencc-js';
import { composeAnswer } from '../server/answer/compose-answer.js';
import { loadConfig } from '../server/config.js';
import { createEmbeddedEngine } from '../server/engine/embedded/embedded-engine.js';
import { createMeilisearchEngine } from '../server/engine/meilisearch/meilisearch-engine.js';
import { buildMeiliSettings } from '../server/engine/meilisearch/meilisearch-settings.js';
import type { SearchEngine } from '../server/engine/search-engine.js';
import { createKnowledgeBase, type KnowledgeBase } from '../server/knowledge-base.js';
import { loadLexicon } from '../server/load/load-lexicon.js';
import { searchKnowledgeBase } from '../server/search/search.js';

type EvalQuery = { q: string; kind: string; expected: string[]; why?: string };
type Outcome = EvalQuery & {
  rank: number | null;
  top: string | null;
  total: number;
  confident: boolean;
  tookMs: number;
};

const { values: args } = parseArgs({
  options: {
    set: { type: 'string', default: 'scripts/eval-set.json' },
    content: { type: 'string', default: 'content' },
    out: { type: 'string', default: 'data/eval-report.json' },
    misses: { type: 'boolean', default: false },
  },
});

// Phrase-level Taiwan -> Mainland conversion (vocabulary too: 軟體 -> 软件), used to
// build a Simplified twin of every Traditional query and compare the two.
const toMainland = Converter({ from: 'twp', to: 'cn' });

async function main(): Promise<void> {
  const set = JSON.parse(await readFile(args.set, 'utf8')) as { queries: EvalQuery[] };
  const config = loadConfig();
  const engines: Array<{ name: string; make: () => SearchEngine | undefined; why?: string }> = [
    { name: 'embedded', make: () => createEmbeddedEngine() },
    {
      // The adapter itself, without the embedded fallback: a down server must not be scored as Meilisearch.
      name: 'meilisearch',
      make: () =>
        config.meiliUrl
          ? createMeilisearchEngine({
              host: config.meiliUrl,
              apiKey: config.meiliMasterKey,
              indexUid: 'kb_eval_sections',
              settings: async () => buildMeiliSettings((await loadLexicon(args.content)).lexicon),
            })
          : undefined,
      why: '未设置 MEILI_URL（docker compose up 后设置 MEILI_URL=http://127.0.0.1:7700 和 MEILI_MASTER_KEY 再运行）',
    },
  ];
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    set: args.set,
    queries: set.queries.length,
  };
  for (const { name, make, why } of engines) {
    const engine = make();
    if (!engine) {
      console.log(`\n[${name}] 跳过：${why}`);
      report[name] = { skipped: why };
      continue;
    }
    const kb = createKnowledgeBase({ contentDir: args.content, engine });
    await kb.reload();
    const outcomes: Outcome[] = [];
    for (const query of set.queries) outcomes.push(await run(kb, query));
    // Latency: after the warm-up pass above, each query's median of LATENCY_RUNS runs.
    for (const outcome of outcomes) outcome.tookMs = await medianLatency(kb, outcome.q);
    const twins: Outcome[] = [];
    for (const query of set.queries.filter((x) => x.kind === 'traditional')) {
      twins.push(await run(kb, { ...query, q: toMainland(query.q), kind: 'traditional-as-simplified' }));
    }
    const byKind = groupBy(outcomes, (o) => o.kind);
    const table = [
      ['all (in scope)', summarize(outcomes.filter((o) => o.expected.length > 0))],
      ...[...byKind].map(([kind, list]) => [kind, summarize(list)] as const),
      ['traditional-as-simplified', summarize(twins)],
    ] as const;
    const outOfScope = outcomes.filter((o) => o.expected.length === 0);
    const latencies = outcomes.map((o) => o.tookMs).sort((a, b) => a - b);
    const engineReport = {
      metrics: Object.fromEntries(table),
      outOfScopeNotConfident: ratio(outOfScope.filter((o) => !o.confident).length, outOfScope.length),
      latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies.at(-1) },
      misses: outcomes.filter((o) => o.expected.length > 0 && o.rank !== 1),
      confidentOutOfScope: outOfScope.filter((o) => o.confident).map((o) => ({ q: o.q, top: o.top })),
    };
    report[name] = engineReport;
    print(name, table, engineReport);
  }
  await mkdir(path.dirname(args.out), { recursive: true });
  await writeFile(args.out, JSON.stringify(report, null, 2));
  console.log(`\n完整报告：${args.out}`);
}

async function run(kb: KnowledgeBase, query: EvalQuery): Promise<Outcome> {
  const outcome = await searchKnowledgeBase(kb, { q: query.q, scope: 'agent', limit: 10, offset: 0, prefix: false });
  const answer = composeAnswer(outcome, (id) => kb.getArticle(id, 'agent'));
  const index = outcome.hits.findIndex((h) => query.expected.includes(h.id));
  return {
    ...query,
    rank: index === -1 ? null : index + 1,
    top: outcome.hits[0]?.id ?? null,
    total: outcome.total,
    confident: answer.confident,
    tookMs: outcome.tookMs,
  };
}

const LATENCY_RUNS = 7;

async function medianLatency(kb: KnowledgeBase, q: string): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const started = performance.now();
    const outcome = await searchKnowledgeBase(kb, { q, scope: 'agent', limit: 10, offset: 0, prefix: false });
    composeAnswer(outcome, (id) => kb.getArticle(id, 'agent'));
    runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  return round(runs[Math.floor(runs.length / 2)] ?? 0);
}

type Summary = {
  n: number;
  mrr10: number;
  recall1: number;
  recall5: number;
  zeroResult: number;
  /** Share of queries answered `confident: true`. */
  confident: number;
  /** Among confident answers, the share whose top article is wrong (or that had no answer). */
  confidentWrong: number;
};

function summarize(list: Outcome[]): Summary {
  const inScope = list.filter((o) => o.expected.length > 0);
  const wrongConfident = list.filter((o) => o.confident && (o.expected.length === 0 || o.rank !== 1));
  return {
    n: list.length,
    mrr10: round(inScope.reduce((sum, o) => sum + (o.rank ? 1 / o.rank : 0), 0) / (inScope.length || 1)),
    recall1: ratio(inScope.filter((o) => o.rank === 1).length, inScope.length),
    recall5: ratio(inScope.filter((o) => o.rank !== null && o.rank <= 5).length, inScope.length),
    zeroResult: ratio(inScope.filter((o) => o.total === 0).length, inScope.length),
    confident: ratio(list.filter((o) => o.confident).length, list.length),
    confidentWrong: ratio(wrongConfident.length, list.filter((o) => o.confident).length),
  };
}

function print(
  name: string,
  table: ReadonlyArray<readonly [string, Summary]>,
  r: { outOfScopeNotConfident: number; latencyMs: Record<string, number | undefined>; misses: Outcome[] },
): void {
  console.log(`\n[${name}]`);
  console.log('kind                         n    MRR@10  R@1    R@5    zero   confident  confident-but-wrong');
  for (const [kind, s] of table) {
    console.log(
      `${kind.padEnd(27)} ${String(s.n).padStart(4)}   ${fmt(s.mrr10)}   ${fmt(s.recall1)}  ${fmt(s.recall5)}  ${fmt(s.zeroResult)}  ${fmt(s.confident)}      ${fmt(s.confidentWrong)}`,
    );
  }
  console.log(`out of scope answered confident: false  ${fmt(r.outOfScopeNotConfident)}`);
  console.log(
    `search + answer latency (median of ${LATENCY_RUNS} runs per query)  p50 ${r.latencyMs.p50} ms  p99 ${r.latencyMs.p99} ms  max ${r.latencyMs.max} ms`,
  );
  if (args.misses) {
    for (const m of r.misses)
      console.log(
        `  miss  [${m.kind}] ${m.q} -> ${m.top ?? '∅'} (want ${m.expected.join('|')}, rank ${m.rank ?? '-'})`,
      );
  }
}

function groupBy<T>(list: T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of list) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}
const round = (n: number) => Math.round(n * 1000) / 1000;
const ratio = (a: number, b: number) => (b === 0 ? 0 : round(a / b));
const fmt = (n: number) => n.toFixed(3);
function percentile(sorted: number[], p: number): number | undefined {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

await main();
