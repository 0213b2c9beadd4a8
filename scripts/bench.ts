/**
 * The speed figures of issue 8, in one run on the embedded engine and a
 * synthetic 10,000-article knowledge base (generated if missing):
 * full index time, cold start and restart from the snapshot of the real
 * service, search latency and throughput under concurrent HTTP load beside
 * the service's own /healthz, time from a saved edit to searchable, peak RSS
 * and errors under load. Prints a table and writes the figures into
 * docs/benchmarks.md (between the bench markers; the rest of the file is kept).
 *
 *   npm run bench [-- --articles 10000 --seconds 10 --edits 20 --profile --no-docs]
 *   npm run bench -- --service-node-options=--max-old-space-size=1536   (Node flags for the service only)
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCorpus, generateQueries, hasCorpus } from './bench/corpus.js';
import { measureEditLatency, measureStall, pickEditableFiles } from './bench/edit-latency.js';
import type { IndexRun } from './bench/index-once.js';
import { type LoadResult, runLoad, waitForIdle } from './bench/load.js';
import { formatSummary, profileIn, summarizeProfile, type Window } from './bench/profile.js';
import { type BenchResult, describeMachine, evaluateTargets, printSummary, renderMarkdown } from './bench/report.js';
import { runNode, startService } from './bench/service.js';

const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

const { values: args } = parseArgs({
  options: {
    articles: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '8' },
    corpus: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16,64' },
    edits: { type: 'string', default: '20' },
    queries: { type: 'string', default: '500' },
    'search-queries': { type: 'string', default: '200' },
    'log-level': { type: 'string', default: 'info' },
    'service-node-options': { type: 'string' },
    docs: { type: 'string', default: 'docs/benchmarks.md' },
    'no-docs': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'profile-dir': { type: 'string', default: 'data/bench-profiles' },
  },
});

const articles = Number(args.articles);
const seed = Number(args.seed);
const seconds = Number(args.seconds);
const corpusDir = args.corpus ?? `data/corpus-${articles}`;
const logLevel = args['log-level'];
const profileRoot = args.profile ? path.resolve(args['profile-dir']) : undefined;
const profileDir = (name: string) => (profileRoot ? path.join(profileRoot, name) : undefined);

async function main(): Promise<void> {
  const step = (text: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`);
  if (!(await hasCorpus({ articles, seed, outDir: corpusDir }))) {
    step(`生成语料 ${corpusDir}（${articles} 篇，种子 ${seed}）`);
    await generateCorpus({ articles, seed, outDir: corpusDir, lexiconDir: 'content/lexicon' });
  }
  if (profileRoot) {
    await rm(profileRoot, { recursive: true, force: true });
    await mkdir(profileRoot, { recursive: true });
  }
  const work = await mkdtemp(path.join(tmpdir(), 'kb-bench-'));
  try {
    step('进程内全量建索引（无快照）');
    const indexData = path.join(work, 'index-data');
    const cold = await indexOnce(indexData, profileDir('index-cold'));
    step(`  ${(cold.ms / 1000).toFixed(1)} s；从快照加载，再逐条搜索 ${args['search-queries']} 次（进程内，无并发）`);
    const snapshot = await indexOnce(indexData, profileDir('index-snapshot'), Number(args['search-queries']));

    step('服务冷启动（无快照）');
    const serviceData = path.join(work, 'service-data');
    const first = await startService({
      contentDir: corpusDir,
      dataDir: serviceData,
      logFile: path.join(work, 'service-cold.log'),
      watch: false,
      logLevel,
      profileDir: profileDir('service-cold'),
      nodeOptions: args['service-node-options'],
    });
    const coldPeak = (await first.service.memory())?.peak ?? 0;
    await first.service.stop();
    const coldTimings = await startupTimings(first.service.logFile);

    step(`  ${(first.readyMs / 1000).toFixed(1)} s；服务重启（有快照，KB_WATCH=true）`);
    const { service, readyMs } = await startService({
      contentDir: corpusDir,
      dataDir: serviceData,
      logFile: path.join(work, 'service.log'),
      watch: true,
      logLevel,
      profileDir: profileDir('service'),
      nodeOptions: args['service-node-options'],
    });
    const windows: Record<string, Window[]> = {
      restart: [{ fromUs: service.spawnedAtUs, toUs: nowUs() }],
      search: [],
      healthz: [],
      edits: [],
    };
    await service.waitForLog('正在监视内容目录', 120_000);

    const queries = generateQueries(seed, Number(args.queries)).map((q) => `/v1/search?q=${encodeURIComponent(q)}`);
    let cursor = 0;
    const nextSearch = () => queries[cursor++ % queries.length] as string;
    step(`  ${(readyMs / 1000).toFixed(1)} s；预热 3 s`);
    await runLoad({ label: 'warmup', baseUrl: service.baseUrl, connections: 16, seconds: 3, nextPath: nextSearch });
    await waitForIdle(service.baseUrl);
    const load: LoadResult[] = [];
    for (const connections of args.connections.split(',').map(Number)) {
      for (const label of ['healthz', 'search'] as const) {
        step(`负载 ${label} ${connections} 连接 ${seconds} s`);
        const from = nowUs();
        const nextPath = label === 'search' ? nextSearch : () => '/healthz';
        const result = await runLoad({ label, baseUrl: service.baseUrl, connections, seconds, nextPath });
        const drainMs = await waitForIdle(service.baseUrl);
        windows[label]?.push({ fromUs: from, toUs: nowUs() });
        load.push(result);
        step(
          `  ${result.rps} req/s，p50 ${result.latencyMs.p50} ms，p99 ${result.latencyMs.p99} ms（之后 ${Math.round(drainMs)} ms 处理完积压）`,
        );
      }
    }

    step(`保存到可搜索 × ${args.edits}`);
    const editFrom = nowUs();
    const candidates = (await readdir(path.join(corpusDir, 'broadband'))).sort().map((f) => `broadband/${f}`);
    const files = await pickEditableFiles(corpusDir, candidates, 5);
    const samples = (
      await measureEditLatency({ baseUrl: service.baseUrl, contentDir: corpusDir, files, edits: Number(args.edits) })
    ).sort((a, b) => a - b);
    step(`  ${samples.map((x) => Math.round(x)).join(' ')} ms；编辑后 10 s 内 /healthz 最长等待`);
    const stall = await measureStall(service.baseUrl, 10_000);
    windows.edits?.push({ fromUs: editFrom, toUs: nowUs() });
    const servingPeak = (await service.memory())?.peak ?? 0;
    const restartTimings = await startupTimings(service.logFile);
    await service.stop();

    const at = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? 0;
    const result: BenchResult = {
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      machine: await describeMachine(),
      corpus: {
        dir: corpusDir,
        articles: cold.articles,
        sections: cold.sections,
        megabytes: Math.round((await corpusBytes(corpusDir)) / 1024 ** 2),
        seed,
        queries: queries.length,
      },
      index: { cold, snapshot },
      service: {
        coldReadyMs: first.readyMs,
        coldPeakRss: coldPeak,
        coldTimings,
        restartReadyMs: readyMs,
        restartTimings,
        servingPeakRss: servingPeak,
        logLevel,
        nodeOptions: args['service-node-options'],
      },
      load,
      edits: { count: samples.length, p50: at(0.5), p95: at(0.95), max: samples.at(-1) ?? 0 },
      stall,
    };
    const targets = evaluateTargets(result);
    printSummary(result, targets);
    const markdown = renderMarkdown(result, targets);
    console.log(`\n${markdown}`);
    if (profileRoot) {
      windows.snapshotLoad = [{ fromUs: 0, toUs: snapshot.reloadedAtUs }];
      windows.snapshotSearch = [{ fromUs: snapshot.reloadedAtUs, toUs: Number.MAX_SAFE_INTEGER }];
      await printProfiles(windows);
    }
    if (!args['no-docs'] && !profileRoot) {
      await writeDocs(args.docs, markdown);
      console.log(`\n已写入 ${args.docs}`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** One createKnowledgeBase().reload() in a fresh process (see bench/index-once.ts). */
async function indexOnce(dataDir: string, profile?: string, searches = 0): Promise<IndexRun> {
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const search = searches > 0 ? ['--search', String(searches), '--seed', String(seed)] : [];
  const out = await runNode([
    ...flags,
    '--import',
    'tsx',
    'scripts/bench/index-once.ts',
    '--content',
    corpusDir,
    '--data',
    dataDir,
    ...search,
  ]);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '') as IndexRun;
}

/** The pipeline timings the service logs at start-up (load, parse, analyzer, index). */
async function startupTimings(logFile: string): Promise<Record<string, number> | undefined> {
  for (const line of (await readFile(logFile, 'utf8')).split('\n')) {
    if (!line.includes('"timings"')) continue;
    try {
      return (JSON.parse(line) as { timings?: Record<string, number> }).timings;
    } catch {}
  }
  return undefined;
}

async function printProfiles(windows: Record<string, Window[]>): Promise<void> {
  const parts: Array<[string, string, Window[] | undefined]> = [
    ['进程内全量建索引', 'index-cold', undefined],
    ['进程内从快照加载', 'index-snapshot', windows.snapshotLoad],
    ['进程内逐条搜索', 'index-snapshot', windows.snapshotSearch],
    ['服务冷启动', 'service-cold', undefined],
    ['服务重启（快照）', 'service', windows.restart],
    ['搜索负载', 'service', windows.search],
    ['/healthz 负载', 'service', windows.healthz],
    ['编辑与快照保存', 'service', windows.edits],
  ];
  for (const [title, dir, window] of parts) {
    const file = await profileIn(path.join(profileRoot as string, dir));
    if (file) console.log(formatSummary(title, await summarizeProfile(file, window)));
  }
  console.log(`\nCPU profile：${profileRoot}（可在 Chrome DevTools 的 Performance 面板打开）`);
}

/** Replaces the generated part of the docs page, keeping what was written around it. */
async function writeDocs(file: string, markdown: string): Promise<void> {
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  const block = `${BEGIN}\n${markdown}\n${END}`;
  const text =
    existing?.includes(BEGIN) && existing.includes(END)
      ? existing.slice(0, existing.indexOf(BEGIN)) + block + existing.slice(existing.indexOf(END) + END.length)
      : `# 性能基准\n\n由 \`npm run bench\` 生成，标记之间的内容每次运行会被替换。\n\n${block}\n`;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

async function corpusBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  let total = 0;
  for (const e of entries) {
    if (e.isFile() && e.name.endsWith('.md')) total += (await stat(path.join(e.parentPath, e.name))).size;
  }
  return total;
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

await main();
process.exit(0);
