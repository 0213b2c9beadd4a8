/**
 * The two engines side by side on one corpus, in one run: full index build,
 * search latency one query at a time and under concurrency, time from a saved
 * edit to searchable, and for Meilisearch its own memory and disk. The stages
 * are called in this process (searchKnowledgeBase, as the HTTP route does),
 * so the figures are the engines' and not HTTP's; `npm run bench` measures
 * the service over HTTP. Meilisearch is the adapter itself, no fallback.
 *
 *   npx tsx scripts/with-meilisearch.ts npm run bench:engines -- [--articles 10000 --seconds 10]
 *   MEILI_URL=… MEILI_MASTER_KEY=… npm run bench:engines
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Meilisearch } from 'meilisearch';
import { loadConfig } from '../server/config.js';
import { createEmbeddedEngine } from '../server/engine/embedded/embedded-engine.js';
import { createMeilisearchEngine } from '../server/engine/meilisearch/meilisearch-engine.js';
import type { SearchEngine } from '../server/engine/search-engine.js';
import { createKnowledgeBase, type KnowledgeBase } from '../server/knowledge-base.js';
import { searchKnowledgeBase } from '../server/search/search.js';
import { prepareCorpus } from './bench/prepare-corpus.js';
import { DEFAULT_POOL_DIR } from './bench/question-pool.js';

const { values: args } = parseArgs({
  options: {
    articles: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '8' },
    queries: { type: 'string', default: '300' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '16' },
    edits: { type: 'string', default: '5' },
  },
});

type Figures = {
  engine: string;
  buildMs: number;
  indexMs: number;
  sequential: { p50: number; p99: number };
  concurrent: { rps: number; p50: number; p99: number };
  editMs: { p50: number; max: number };
  meili?: { rssMb?: number; diskMb?: number };
};

async function main(): Promise<void> {
  const config = loadConfig();
  const step = (text: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`);
  const corpus = await prepareCorpus({
    kind: 'real',
    articles: Number(args.articles),
    seed: Number(args.seed),
    queries: Number(args.queries),
    poolDir: path.resolve(DEFAULT_POOL_DIR),
    lexiconDir: 'content/lexicon',
    log: step,
  });
  const engines: Array<[string, () => SearchEngine]> = [['embedded', () => createEmbeddedEngine()]];
  const index = `kb_bench_${randomBytes(4).toString('hex')}`;
  if (config.meiliUrl) {
    const host = config.meiliUrl;
    engines.push([
      'meilisearch',
      () => createMeilisearchEngine({ host, apiKey: config.meiliMasterKey, indexUid: index }),
    ]);
  } else step('跳过 Meilisearch：未设置 MEILI_URL（可用 scripts/with-meilisearch.ts 临时起一个）');

  const results: Figures[] = [];
  for (const [name, make] of engines) {
    step(`== ${name}：全量建索引（${corpus.dir}）`);
    const kb = createKnowledgeBase({ contentDir: corpus.dir, engine: make() });
    const started = performance.now();
    const loaded = await kb.reload({ force: true });
    const buildMs = Math.round(performance.now() - started);
    step(`  ${buildMs} ms（其中引擎 ${Math.round(loaded.timings.indexMs)} ms），${loaded.accepted.length} 篇`);
    const sequential = await timeSequential(kb, corpus.queries);
    step(`  逐条搜索 p50 ${sequential.p50} ms，p99 ${sequential.p99} ms`);
    const concurrent = await timeConcurrent(kb, corpus.queries, Number(args.concurrency), Number(args.seconds));
    step(`  ${args.concurrency} 并发 ${concurrent.rps} 次/秒，p50 ${concurrent.p50} ms，p99 ${concurrent.p99} ms`);
    const editMs = await timeEdits(kb, Number(args.edits));
    step(`  保存到可搜索 p50 ${editMs.p50} ms，最长 ${editMs.max} ms`);
    const figures: Figures = {
      engine: name,
      buildMs,
      indexMs: Math.round(loaded.timings.indexMs),
      sequential,
      concurrent,
      editMs,
    };
    if (name === 'meilisearch' && config.meiliUrl) {
      figures.meili = await meiliFootprint(config.meiliUrl, config.meiliMasterKey);
      step(`  Meilisearch RSS ${figures.meili.rssMb ?? '?'} MB，磁盘 ${figures.meili.diskMb ?? '?'} MB`);
    }
    // Closed first: closing commits the last edit, which needs the index.
    await kb.close();
    if (name === 'meilisearch' && config.meiliUrl) {
      const client = new Meilisearch({ host: config.meiliUrl, apiKey: config.meiliMasterKey });
      await client.deleteIndex(index).waitTask();
    }
    results.push(figures);
  }
  print(corpus.dir, results);
  await writeFile('data/bench-engines.json', `${JSON.stringify(results, null, 2)}\n`).catch(() => undefined);
}

async function timeSequential(kb: KnowledgeBase, queries: string[]): Promise<{ p50: number; p99: number }> {
  for (const q of queries.slice(0, 20)) await search(kb, q);
  const times: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    await search(kb, q);
    times.push(performance.now() - t);
  }
  return { p50: at(times, 0.5), p99: at(times, 0.99) };
}

async function timeConcurrent(kb: KnowledgeBase, queries: string[], workers: number, seconds: number) {
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) {
        const q = queries[next++ % queries.length] as string;
        const t = performance.now();
        await search(kb, q);
        times.push(performance.now() - t);
      }
    }),
  );
  return { rps: Math.round(times.length / seconds), p50: at(times, 0.5), p99: at(times, 0.99) };
}

/** Saves an article with a new word, applies the change, then searches until the word finds it. */
async function timeEdits(kb: KnowledgeBase, edits: number): Promise<{ p50: number; max: number }> {
  const [first] = kb.articles('agent');
  if (!first) return { p50: 0, max: 0 };
  const file = path.join(kb.contentDir, first.file);
  const original = await readFile(file, 'utf8');
  const times: number[] = [];
  try {
    for (let i = 0; i < edits; i++) {
      // A word no other article holds, so the edited article is the one hit.
      const word = `kbedit${i}x${Date.now().toString(36)}`;
      await writeFile(file, `${original.trimEnd()}\n\n${word}\n`);
      const t = performance.now();
      await kb.applyChanges({ files: [first.file], lexicon: false });
      while (!(await search(kb, word)).hits.some((h) => h.id === first.id)) {
        if (performance.now() - t > 30_000) throw new Error(`${word} 30 秒后仍搜不到`);
      }
      times.push(performance.now() - t);
    }
  } finally {
    await writeFile(file, original);
    await kb.applyChanges({ files: [first.file], lexicon: false });
  }
  times.sort((a, b) => a - b);
  return { p50: at(times, 0.5), max: round(times.at(-1) ?? 0) };
}

async function meiliFootprint(host: string, apiKey?: string): Promise<{ rssMb?: number; diskMb?: number }> {
  const client = new Meilisearch({ host, apiKey });
  const stats = await client.getStats();
  const pid = process.env.MEILI_PID;
  let rssMb: number | undefined;
  if (pid) {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (kb) rssMb = Math.round(Number(kb) / 1024);
  }
  return { rssMb, diskMb: Math.round(stats.databaseSize / 1024 ** 2) };
}

const search = (kb: KnowledgeBase, q: string) =>
  searchKnowledgeBase(kb, { q, scope: 'agent', limit: 10, offset: 0, prefix: false });

function at(times: number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
}
const round = (n: number) => Math.round(n * 100) / 100;

function print(dir: string, results: Figures[]): void {
  console.log(`\n${dir}`);
  console.log(
    'engine        build s  engine s  seq p50  seq p99  conc req/s  conc p50  conc p99  edit p50  edit max  RSS MB  disk MB',
  );
  for (const r of results) {
    console.log(
      [
        r.engine.padEnd(12),
        (r.buildMs / 1000).toFixed(1).padStart(7),
        (r.indexMs / 1000).toFixed(1).padStart(8),
        String(r.sequential.p50).padStart(7),
        String(r.sequential.p99).padStart(7),
        String(r.concurrent.rps).padStart(10),
        String(r.concurrent.p50).padStart(8),
        String(r.concurrent.p99).padStart(8),
        String(r.editMs.p50).padStart(8),
        String(r.editMs.max).padStart(8),
        String(r.meili?.rssMb ?? '-').padStart(6),
        String(r.meili?.diskMb ?? '-').padStart(7),
      ].join('  '),
    );
  }
}

await main();
process.exit(0);
