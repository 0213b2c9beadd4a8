import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measureEditLatency, measureStall, pickEditableFiles } from './edit-latency.js';
import type { IndexRun } from './index-once.js';
import { type LoadResult, runLoad, waitForIdle } from './load.js';
import type { PreparedCorpus } from './prepare-corpus.js';
import { formatSummary, profileIn, summarizeProfile, type Window } from './profile.js';
import type { BenchResult } from './report.js';
import { runNode, startService, trackRss } from './service.js';

/** How the service is told which engine to use: the only engine-specific part of a run (see startService). */
const ENGINE_ENV: Record<BenchResult['engine'], Record<string, string>> = {
  embedded: { KB_ENGINE: 'embedded', MEILI_URL: '' },
};

export type RunOptions = {
  engine: BenchResult['engine'];
  seconds: number;
  connections: number[];
  edits: number;
  /** In-process sequential searches (the first queries of the rotation). */
  searchQueries: number;
  logLevel: string;
  serviceNodeOptions?: string;
  /** Profile every process into this folder (one subfolder per process). */
  profileDir?: string;
  step: (text: string) => void;
};

/**
 * Every figure for one corpus: full index and snapshot load in a fresh
 * process (plus sequential in-process searches), the real service's cold
 * start and restart, HTTP load on /healthz and /v1/search at each connection
 * count, time from a saved edit to searchable, the stall after it, and RSS.
 */
export async function runSize(corpus: PreparedCorpus, o: RunOptions): Promise<BenchResult> {
  const { step } = o;
  const profileDir = (name: string) => (o.profileDir ? path.join(o.profileDir, name) : undefined);
  if (o.profileDir) {
    await rm(o.profileDir, { recursive: true, force: true });
    await mkdir(o.profileDir, { recursive: true });
  }
  const work = await mkdtemp(path.join(tmpdir(), 'kb-bench-'));
  try {
    const queryFile = path.join(work, 'queries.json');
    await writeFile(queryFile, JSON.stringify(corpus.queries.slice(0, o.searchQueries)));
    step('进程内全量建索引（无快照）');
    const indexData = path.join(work, 'index-data');
    const cold = await indexOnce(corpus.dir, indexData, profileDir('index-cold'));
    step(`  ${(cold.ms / 1000).toFixed(1)} s；从快照加载，再逐条搜索 ${o.searchQueries} 次（进程内，无并发）`);
    const snapshot = await indexOnce(corpus.dir, indexData, profileDir('index-snapshot'), queryFile);

    step('服务冷启动（无快照）');
    const serviceData = path.join(work, 'service-data');
    const start = (name: string, watch: boolean) =>
      startService({
        contentDir: corpus.dir,
        dataDir: serviceData,
        logFile: path.join(work, `${name}.log`),
        watch,
        logLevel: o.logLevel,
        engineEnv: ENGINE_ENV[o.engine],
        profileDir: profileDir(name),
        nodeOptions: o.serviceNodeOptions,
      });
    const first = await start('service-cold', false);
    const coldPeak = (await first.service.memory())?.peak ?? 0;
    await first.service.stop();
    const coldTimings = await startupTimings(first.service.logFile);

    step(`  ${(first.readyMs / 1000).toFixed(1)} s；服务重启（有快照，KB_WATCH=true）`);
    const { service, readyMs } = await start('service', true);
    const windows: Record<string, Window[]> = {
      restart: [{ fromUs: service.spawnedAtUs, toUs: nowUs() }],
      search: [],
      healthz: [],
      edits: [],
    };
    await service.waitForLog('正在监视内容目录', 600_000);

    const rss = trackRss(service);
    const queries = corpus.queries.map((q) => `/v1/search?q=${encodeURIComponent(q)}`);
    let cursor = 0;
    const nextSearch = () => queries[cursor++ % queries.length] as string;
    step(`  ${(readyMs / 1000).toFixed(1)} s；预热 3 s`);
    await runLoad({ label: 'warmup', baseUrl: service.baseUrl, connections: 16, seconds: 3, nextPath: nextSearch });
    await waitForIdle(service.baseUrl);
    const load: LoadResult[] = [];
    for (const connections of o.connections) {
      for (const label of ['healthz', 'search'] as const) {
        step(`负载 ${label} ${connections} 连接 ${o.seconds} s`);
        const from = nowUs();
        const nextPath = label === 'search' ? nextSearch : () => '/healthz';
        const result = await runLoad({ label, baseUrl: service.baseUrl, connections, seconds: o.seconds, nextPath });
        const drainMs = await waitForIdle(service.baseUrl);
        windows[label]?.push({ fromUs: from, toUs: nowUs() });
        load.push(result);
        step(
          `  ${result.rps} req/s，p50 ${result.latencyMs.p50} ms，p99 ${result.latencyMs.p99} ms（之后 ${Math.round(drainMs)} ms 处理完积压）`,
        );
      }
    }

    step(`保存到可搜索 × ${o.edits}`);
    const editFrom = nowUs();
    const files = await pickEditableFiles(corpus.dir, await articleFiles(corpus.dir), 5);
    const samples = (
      await measureEditLatency({ baseUrl: service.baseUrl, contentDir: corpus.dir, files, edits: o.edits })
    ).sort((a, b) => a - b);
    step(`  ${samples.map((x) => Math.round(x)).join(' ')} ms；编辑后 10 s 内 /healthz 最长等待`);
    const stall = await measureStall(service.baseUrl, 10_000);
    windows.edits?.push({ fromUs: editFrom, toUs: nowUs() });
    const servingRss = rss.stop();
    const peakRss = (await service.memory())?.peak ?? 0;
    const restartTimings = await startupTimings(service.logFile);
    await service.stop();

    if (o.profileDir) {
      windows.snapshotLoad = [{ fromUs: 0, toUs: snapshot.reloadedAtUs }];
      windows.snapshotSearch = [{ fromUs: snapshot.reloadedAtUs, toUs: Number.MAX_SAFE_INTEGER }];
      await printProfiles(o.profileDir, windows);
    }
    const at = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? 0;
    return {
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      engine: o.engine,
      corpus: {
        kind: corpus.kind,
        dir: corpus.dir,
        articles: cold.articles,
        sections: cold.sections,
        megabytes: Math.round((await corpusBytes(corpus.dir)) / 1024 ** 2),
        seed: corpus.seed,
        queries: queries.length,
        fallback: corpus.fallback,
        pool: corpus.pool,
      },
      index: { cold, snapshot },
      service: {
        coldReadyMs: first.readyMs,
        coldPeakRss: coldPeak,
        coldTimings,
        restartReadyMs: readyMs,
        restartTimings,
        servingRss,
        peakRss,
        logLevel: o.logLevel,
        nodeOptions: o.serviceNodeOptions,
      },
      load,
      edits: { count: samples.length, p50: at(0.5), p95: at(0.95), max: samples.at(-1) ?? 0 },
      stall,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** One createKnowledgeBase().reload() in a fresh process (see index-once.ts). */
async function indexOnce(contentDir: string, dataDir: string, profile?: string, queryFile?: string): Promise<IndexRun> {
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const out = await runNode([
    ...flags,
    '--import',
    'tsx',
    'scripts/bench/index-once.ts',
    '--content',
    contentDir,
    '--data',
    dataDir,
    ...(queryFile ? ['--queries', queryFile] : []),
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

async function printProfiles(root: string, windows: Record<string, Window[]>): Promise<void> {
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
    const file = await profileIn(path.join(root, dir));
    if (file) console.log(formatSummary(title, await summarizeProfile(file, window)));
  }
  console.log(`\nCPU profile：${root}（可在 Chrome DevTools 的 Performance 面板打开）`);
}

/** Article files relative to the content directory, sorted (lexicon and dot/underscore entries excluded). */
async function articleFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.md') && e.name !== 'README.md')
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((file) => !file.split(path.sep).some((part) => part === 'lexicon' || /^[._]/.test(part)))
    .sort();
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
