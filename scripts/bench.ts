/**
 * The speed figures of issues 8 and 15, per knowledge-base size, in one run:
 * full index time and snapshot size, cold start and restart of the real
 * service, search latency and throughput under concurrent HTTP load beside
 * the service's own /healthz, time from a saved edit to searchable, RSS and
 * errors under load. The default corpus is 10,000 articles written from real
 * customer questions (../shared/eval/*.json, read at run time; without them
 * the generated vocabulary is used, and the run says so).
 *
 * Prints a table per size (and the cost curve over the sizes), writes the
 * figures to data/bench/; rewrites the results block of docs/benchmarks.md
 * only with --write-docs.
 *
 *   npm run bench [-- --sizes 1000,10000,100000 --corpus-kind real|generated --seconds 10 --edits 20]
 *   npm run bench -- --write-docs           (update docs/benchmarks.md between its bench markers)
 *   npm run bench -- --profile              (CPU profile of every process, summarized per phase)
 *   npm run bench -- --corpus content       (an existing content folder, as it is)
 *   npm run bench -- --service-node-options=--max-old-space-size=1536   (Node flags for the service only)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type CorpusKind, prepareCorpus } from './bench/prepare-corpus.js';
import { DEFAULT_POOL_DIR } from './bench/question-pool.js';
import { type BenchResult, type BenchRun, describeMachine, printSummary } from './bench/report.js';
import { renderCurve, renderRun } from './bench/report-markdown.js';
import { runSize } from './bench/run-size.js';

const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000' },
    'corpus-kind': { type: 'string', default: 'real' },
    corpus: { type: 'string' },
    pool: { type: 'string' },
    seed: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16,64' },
    edits: { type: 'string', default: '20' },
    queries: { type: 'string', default: '500' },
    'search-queries': { type: 'string', default: '200' },
    'log-level': { type: 'string', default: 'info' },
    'service-node-options': { type: 'string' },
    out: { type: 'string', default: 'data/bench' },
    'write-docs': { type: 'boolean', default: false },
    docs: { type: 'string', default: 'docs/benchmarks.md' },
    profile: { type: 'boolean', default: false },
    'profile-dir': { type: 'string', default: 'data/bench-profiles' },
  },
});

async function main(): Promise<void> {
  const kind = args['corpus-kind'];
  if (kind !== 'real' && kind !== 'generated') throw new Error(`--corpus-kind 只能是 real 或 generated，收到：${kind}`);
  const sizes = args.sizes.split(',').map((s) => Number(s.replace(/_/g, '')));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`--sizes 应为逗号分隔的正整数，收到：${args.sizes}`);
  if (args.corpus && sizes.length > 1) throw new Error('--corpus 指定了现成目录，不能同时给多个 --sizes');
  const step = (text: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`);
  const poolDir = path.resolve(args.pool ?? DEFAULT_POOL_DIR);
  const seed = Number(args.seed);

  const results: BenchResult[] = [];
  for (const articles of sizes) {
    step(`== ${articles} 篇 ==`);
    const corpus = await prepareCorpus({
      kind: kind as CorpusKind,
      articles,
      seed,
      queries: Number(args.queries),
      poolDir,
      lexiconDir: 'content/lexicon',
      dir: args.corpus,
      log: step,
    });
    const result = await runSize(corpus, {
      engine: 'embedded',
      seconds: Number(args.seconds),
      connections: args.connections.split(',').map(Number),
      edits: Number(args.edits),
      searchQueries: Number(args['search-queries']),
      logLevel: args['log-level'],
      serviceNodeOptions: args['service-node-options'],
      profileDir: args.profile ? path.resolve(args['profile-dir'], String(articles)) : undefined,
      step,
    });
    printSummary(result);
    results.push(result);
  }

  const date = new Date();
  const run: BenchRun = {
    date: date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: await describeMachine(),
    results,
  };
  if (results.length > 1) console.log(`\n${renderCurve(results).join('\n')}`);
  const markdown = renderRun(run);
  const stamp = date.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  await mkdir(args.out, { recursive: true });
  const base = path.join(args.out, `bench-${stamp}`);
  await writeFile(`${base}.json`, `${JSON.stringify(run, null, 2)}\n`);
  await writeFile(`${base}.md`, `${markdown}\n`);
  console.log(`\n结果已写入 ${base}.md 和 ${base}.json`);
  if (args['write-docs']) {
    if (args.profile) console.log('剖析会拖慢数字：--profile 时不写 docs');
    else {
      await writeDocs(args.docs, markdown);
      console.log(`已更新 ${args.docs}`);
    }
  }
}

/** Replaces the generated part of the docs page, keeping what was written around it. */
async function writeDocs(file: string, markdown: string): Promise<void> {
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  const block = `${BEGIN}\n${markdown}\n${END}`;
  const text =
    existing?.includes(BEGIN) && existing.includes(END)
      ? existing.slice(0, existing.indexOf(BEGIN)) + block + existing.slice(existing.indexOf(END) + END.length)
      : `# 性能基准\n\n由 \`npm run bench -- --write-docs\` 生成，标记之间的内容每次运行会被替换。\n\n${block}\n`;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

await main();
process.exit(0);
