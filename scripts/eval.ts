/**
 * Relevance evaluation. For every set, builds the knowledge base, runs every
 * query through search and answer exactly as the API does, and prints in one
 * table kb beside two plain lexical baselines (MiniSearch over the same
 * articles), the `confident` share and how often it is right, and a
 * precision/coverage curve of the confidence score. Writes everything as JSON.
 *
 * Sets: the frozen set written with the sample articles (scripts/eval-set.json)
 * and the real question sets in ../shared/eval/*.json (one article per real
 * question; see their README), all by default when present.
 *
 *   npm run eval [-- --set FILE ... --misses --out data/eval-report.json]
 *   npm run eval -- --fit    also fits the confidence model (server/answer/confidence.ts) on these sets
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Converter } from 'opencc-js';
import { composeAnswer } from '../server/answer/compose-answer.js';
import { confidenceSignals } from '../server/answer/confidence.js';
import { loadConfig } from '../server/config.js';
import { createEmbeddedEngine } from '../server/engine/embedded/embedded-engine.js';
import { createMeilisearchEngine } from '../server/engine/meilisearch/meilisearch-engine.js';
import { buildMeiliSettings } from '../server/engine/meilisearch/meilisearch-settings.js';
import type { Scope, SearchEngine } from '../server/engine/search-engine.js';
import { createKnowledgeBase, type KnowledgeBase } from '../server/knowledge-base.js';
import { loadLexicon } from '../server/load/load-lexicon.js';
import { searchKnowledgeBase } from '../server/search/search.js';
import { buildBaselines } from './eval/baselines.js';
import { compareWithExhaustive } from './eval/exhaustive.js';
import { fitConfidence, type Sample } from './eval/fit.js';
import {
  type Outcome,
  percentile,
  precisionCurve,
  rankOf,
  ratio,
  round,
  type Summary,
  summarize,
} from './eval/metrics.js';
import { printCurve, printMisses, printTable } from './eval/print.js';
import { type EvalQuery, type EvalSet, loadEvalSet } from './eval/sets.js';

const SHARED_EVAL = '../shared/eval';

const { values: args } = parseArgs({
  options: {
    set: { type: 'string', multiple: true },
    content: { type: 'string', default: 'content' },
    out: { type: 'string', default: 'data/eval-report.json' },
    misses: { type: 'boolean', default: false },
    fit: { type: 'boolean', default: false },
  },
});

// Phrase-level conversion both ways (vocabulary too: 軟體 <-> 软件): the frozen set's Traditional
// queries get a Simplified twin, the real sets' Simplified queries a Traditional (Taiwan) twin.
const toMainland = Converter({ from: 'twp', to: 'cn' });
const toTaiwan = Converter({ from: 'cn', to: 'twp' });

function setFiles(): string[] {
  if (args.set && args.set.length > 0) return args.set;
  const files = ['scripts/eval-set.json'];
  if (existsSync(SHARED_EVAL)) {
    for (const f of readdirSync(SHARED_EVAL).sort()) if (f.endsWith('.json')) files.push(path.join(SHARED_EVAL, f));
  } else console.log(`（未找到 ${SHARED_EVAL}：只评测固定集；真实问题集放在那里时会一并评测）`);
  return files;
}

function engines(contentDir: string): Array<{ name: string; make: () => SearchEngine | undefined; why?: string }> {
  const config = loadConfig();
  return [
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
              settings: async () => buildMeiliSettings((await loadLexicon(contentDir)).lexicon),
            })
          : undefined,
      why: '未设置 MEILI_URL（docker compose up 后设置 MEILI_URL=http://127.0.0.1:7700 和 MEILI_MASTER_KEY 再运行）',
    },
  ];
}

async function main(): Promise<void> {
  const report: Record<string, unknown> = { date: new Date().toISOString(), sets: {} };
  for (const file of setFiles()) {
    const set = await loadEvalSet(file, args.content);
    try {
      (report.sets as Record<string, unknown>)[set.name] = await evaluateSet(set);
    } finally {
      await set.dispose();
    }
  }
  if (args.fit) report.fitted = fitConfidence(samples);
  await mkdir(path.dirname(args.out), { recursive: true });
  await writeFile(args.out, JSON.stringify(report, null, 2));
  console.log(`\n完整报告：${args.out}`);
}

/** Every agent-scope outcome with its confidence signals, for `--fit`. */
const samples: Sample[] = [];

async function evaluateSet(set: EvalSet): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = { file: set.file, queries: set.queries.length };
  for (const { name, make, why } of engines(set.contentDir)) {
    const engine = make();
    if (!engine) {
      console.log(`\n[${set.name} · ${name}] 跳过：${why}`);
      result[name] = { skipped: why };
      continue;
    }
    const kb = createKnowledgeBase({ contentDir: set.contentDir, engine });
    try {
      await kb.reload();
      result[name] = await evaluateEngine(set, name, kb);
      if (name === 'embedded') {
        const check = await compareWithExhaustive(
          kb,
          set.contentDir,
          set.queries.map((q) => q.q),
        );
        console.log(
          `pruned vs exhaustive scoring, first page: ${check.compared - check.different.length} / ${check.compared} identical (agent and public, prefix on and off)`,
        );
        for (const line of check.different.slice(0, 10)) console.log(`  different: ${line}`);
        result.exhaustive = {
          compared: check.compared,
          different: check.different.length,
          examples: check.different.slice(0, 10),
        };
      }
    } finally {
      await kb.close();
    }
  }
  return result;
}

async function evaluateEngine(set: EvalSet, engineName: string, kb: KnowledgeBase): Promise<Record<string, unknown>> {
  const articles = kb.articles('agent');
  const outcomes: Outcome[] = [];
  for (const query of set.queries) outcomes.push(await run(kb, query, 'agent'));
  if (engineName === 'embedded') {
    for (const o of outcomes) if (o.signals) samples.push({ set: set.name, signals: o.signals, right: o.rank === 1 });
  }
  const inScope = outcomes.filter((o) => o.expected.length > 0);
  const kbSummary = summarize(inScope);
  const rows: Array<[string, Summary, { baseline?: boolean }?]> = [['kb', kbSummary]];
  const baselines: Record<string, Summary> = {};
  for (const baseline of buildBaselines(articles)) {
    const list = set.queries
      .filter((q) => q.expected.length > 0)
      .map((q) => {
        const ids = baseline.search(q.q);
        return {
          ...q,
          rank: rankOf(ids, q.expected),
          top: ids[0] ?? null,
          total: ids.length,
          confident: false,
          confidence: 0,
          noGoodMatch: false,
          tookMs: 0,
        };
      });
    baselines[baseline.name] = summarize(list);
    rows.push([baseline.name, baselines[baseline.name] as Summary, { baseline: true }]);
  }
  const extra: Record<string, unknown> = {};
  if (set.external) {
    const twins: Outcome[] = [];
    for (const query of set.queries)
      twins.push(await run(kb, { ...query, q: toTaiwan(query.q), kind: 'traditional' }, 'agent'));
    const twin = summarize(twins);
    rows.push(['kb, queries in Traditional', twin]);
    extra.traditional = twin;
    extra.traditionalDelta = round(kbSummary.mrr10 - twin.mrr10);
  } else {
    const byKind = new Map<string, Outcome[]>();
    for (const o of inScope) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o]);
    for (const [kind, list] of byKind) rows.push([`  ${kind}`, summarize(list)]);
    const twins: Outcome[] = [];
    for (const q of set.queries.filter((x) => x.kind === 'traditional'))
      twins.push(await run(kb, { ...q, q: toMainland(q.q), kind: 'traditional-as-simplified' }, 'agent'));
    rows.push(['  traditional-as-simplified', summarize(twins)]);
    Object.assign(extra, await publicScope(kb, set.queries));
    const outOfScope = outcomes.filter((o) => o.expected.length === 0);
    extra.outOfScopeNotConfident = ratio(outOfScope.filter((o) => !o.confident).length, outOfScope.length);
    extra.confidentOutOfScope = outOfScope.filter((o) => o.confident).map((o) => ({ q: o.q, top: o.top }));
  }
  const best = Math.max(...Object.values(baselines).map((b) => b.mrr10));
  printTable(`[${set.name} · ${engineName}] ${articles.length} articles, ${inScope.length} in-scope queries`, rows);
  console.log(`kb MRR@10 / best baseline: ×${(kbSummary.mrr10 / best).toFixed(3)}`);
  if (extra.traditionalDelta !== undefined) console.log(`Traditional queries: MRR@10 Δ ${extra.traditionalDelta}`);
  if (extra.outOfScopeNotConfident !== undefined) printFrozenExtras(extra);
  printCurve(outcomes);
  const latency = await latencyOf(kb, set.queries.slice(0, 300));
  console.log(
    `search + answer latency (median of ${LATENCY_RUNS} runs, ${Math.min(300, set.queries.length)} queries)  p50 ${latency.p50} ms  p99 ${latency.p99} ms`,
  );
  if (args.misses) printMisses(outcomes);
  return {
    kb: kbSummary,
    baselines,
    ratioToBestBaseline: round(kbSummary.mrr10 / best),
    curve: precisionCurve(outcomes),
    latencyMs: latency,
    ...extra,
    outcomes,
  };
}

function printFrozenExtras(extra: Record<string, unknown>): void {
  const pub = extra.public as Summary;
  console.log(`out of scope answered confident: false   ${(extra.outOfScopeNotConfident as number).toFixed(3)}`);
  console.log(
    `public scope: ${pub.n} queries with a public answer  MRR@10 ${pub.mrr10.toFixed(3)}  zero result ${pub.zeroResult.toFixed(3)}`,
  );
  console.log(`public scope: out of scope with no result shown  ${(extra.publicOutOfScopeEmpty as number).toFixed(3)}`);
}

/** The customers' view: queries whose answer is public, and out-of-scope queries that should show nothing. */
async function publicScope(kb: KnowledgeBase, queries: EvalQuery[]): Promise<Record<string, unknown>> {
  const publicIds = new Set(kb.articles('public').map((a) => a.id));
  const answerable = queries.filter((q) => q.expected.some((id) => publicIds.has(id)));
  const outcomes: Outcome[] = [];
  for (const q of answerable)
    outcomes.push(await run(kb, { ...q, expected: q.expected.filter((id) => publicIds.has(id)) }, 'public'));
  const outOfScope: Outcome[] = [];
  for (const q of queries.filter((x) => x.expected.length === 0)) outOfScope.push(await run(kb, q, 'public'));
  return {
    public: summarize(outcomes),
    publicOutOfScopeEmpty: ratio(outOfScope.filter((o) => o.total === 0).length, outOfScope.length),
  };
}

async function run(kb: KnowledgeBase, query: EvalQuery, scope: Scope): Promise<Outcome> {
  const started = performance.now();
  const outcome = await searchKnowledgeBase(kb, { q: query.q, scope, limit: 10, offset: 0, prefix: false });
  const answer = composeAnswer(outcome, (id) => kb.getArticle(id, scope));
  const ids = outcome.hits.map((h) => h.id);
  return {
    ...query,
    rank: rankOf(ids, query.expected),
    top: ids[0] ?? null,
    total: outcome.total,
    confident: answer.confident,
    confidence: answer.confidence,
    noGoodMatch: answer.noGoodMatch,
    signals: confidenceSignals(outcome),
    tookMs: performance.now() - started,
  };
}

const LATENCY_RUNS = 7;

async function latencyOf(kb: KnowledgeBase, queries: EvalQuery[]): Promise<{ p50?: number; p99?: number }> {
  const medians: number[] = [];
  for (const { q } of queries) {
    const runs: number[] = [];
    for (let i = 0; i < LATENCY_RUNS; i++) {
      const started = performance.now();
      const outcome = await searchKnowledgeBase(kb, { q, scope: 'agent', limit: 10, offset: 0, prefix: false });
      composeAnswer(outcome, (id) => kb.getArticle(id, 'agent'));
      runs.push(performance.now() - started);
    }
    runs.sort((a, b) => a - b);
    medians.push(runs[Math.floor(runs.length / 2)] ?? 0);
  }
  medians.sort((a, b) => a - b);
  const ms = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 100) / 100);
  return { p50: ms(percentile(medians, 0.5)), p99: ms(percentile(medians, 0.99)) };
}

await main();
