import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { IndexRun } from './index-once.js';
import type { LoadResult } from './load.js';
import type { CorpusKind } from './prepare-corpus.js';

/** The figures of one corpus size. */
export type BenchResult = {
  date: string;
  engine: 'embedded';
  corpus: {
    kind: CorpusKind;
    dir: string;
    articles: number;
    sections: number;
    megabytes: number;
    seed: number;
    queries: number;
    fallback?: string;
    pool?: { files: string[]; sentences: number; productWords: string[] };
  };
  index: { cold: IndexRun; snapshot: IndexRun };
  service: {
    coldReadyMs: number;
    coldPeakRss: number;
    coldTimings?: Record<string, number>;
    restartReadyMs: number;
    restartTimings?: Record<string, number>;
    /** Highest VmRSS sampled during the load phases and the edits. */
    servingRss: number;
    /** VmHWM of the restarted service at the end (restart, load and edits). */
    peakRss: number;
    logLevel: string;
    nodeOptions?: string;
  };
  load: LoadResult[];
  edits: { count: number; p50: number; p95: number; max: number };
  stall: { maxMs: number; atMs: number };
};

/** One `npm run bench`: every size it ran. */
export type BenchRun = { date: string; command: string; machine: Machine; results: BenchResult[] };
export type Machine = { cpus: number; cpuModel: string; memoryGiB: number; node: string; os: string };
export type Target = { what: string; target: string; measured: string; met: boolean };

export async function describeMachine(): Promise<Machine> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  return {
    cpus: os.availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export const loadOf = (r: BenchResult, label: string, connections: number) =>
  r.load.find((x) => x.label === label && x.connections === connections);
export const ratioOf = (r: BenchResult, connections: number) => {
  const s = loadOf(r, 'search', connections);
  const h = loadOf(r, 'healthz', connections);
  return s && h && h.rps > 0 ? s.rps / h.rps : 0;
};

/**
 * The targets of issue 15 for this size: the full list at 10,000 articles
 * (2-core machine, 16 connections), search p99 ≤ 100 ms at 100,000; other
 * sizes are reported without targets.
 */
export function evaluateTargets(r: BenchResult): Target[] {
  const s16 = loadOf(r, 'search', 16);
  const p99 = s16?.latencyMs.p99 ?? Number.POSITIVE_INFINITY;
  const p99Target = (limit: number): Target => ({
    what: '搜索 p99（16 连接）',
    target: `≤ ${limit} ms`,
    measured: `${s16?.latencyMs.p99 ?? '?'} ms`,
    met: p99 <= limit,
  });
  if (r.corpus.articles >= 100_000) return [p99Target(100)];
  if (r.corpus.articles < 10_000) return [];
  const failures64 = r.load.filter((x) => x.connections === 64).reduce((n, x) => n + failuresOf(x), 0);
  return [
    p99Target(25),
    {
      what: '搜索吞吐 / /healthz 吞吐（16 连接）',
      target: '≥ 20%',
      measured: percent(ratioOf(r, 16)),
      met: ratioOf(r, 16) >= 0.2,
    },
    {
      what: '服务中 RSS（负载与编辑期间 VmRSS 最大值）',
      target: '≤ 1 GB',
      measured: mib(r.service.servingRss),
      met: r.service.servingRss <= 1024 ** 3,
    },
    {
      what: '从快照重启（服务进程启动到 /readyz 200）',
      target: '≤ 5 s',
      measured: seconds(r.service.restartReadyMs),
      met: r.service.restartReadyMs <= 5_000,
    },
    {
      what: '保存到可搜索（p95）',
      target: '≤ 1 s',
      measured: `${Math.round(r.edits.p95)} ms`,
      met: r.edits.p95 <= 1_000,
    },
    {
      what: '64 连接下的错误 / 超时 / 非 2xx',
      target: '0',
      measured: String(failures64),
      met: failures64 === 0 && r.load.some((x) => x.connections === 64),
    },
    {
      what: '全量建索引（进程内，无快照）',
      target: '≤ 60 s',
      measured: seconds(r.index.cold.ms),
      met: r.index.cold.ms <= 60_000,
    },
  ];
}

export function printSummary(r: BenchResult): void {
  console.log(`\n${r.corpus.articles} 篇（${corpusLabel(r)}）负载`);
  console.log('路由          连接  请求数    req/s     p50      p95      p99      最大     错误/超时/非2xx');
  for (const x of r.load) {
    const route = x.label === 'search' ? '/v1/search' : '/healthz';
    console.log(
      `${route.padEnd(13)} ${String(x.connections).padStart(4)}  ${String(x.requests).padStart(7)}  ${String(x.rps).padStart(7)}  ${ms(x.latencyMs.p50)}  ${ms(x.latencyMs.p95)}  ${ms(x.latencyMs.p99)}  ${ms(x.latencyMs.max)}  ${x.errors}/${x.timeouts}/${x.non2xx}`,
    );
  }
  const targets = evaluateTargets(r);
  if (targets.length > 0) console.log('\n目标（issue 15）');
  for (const t of targets) {
    console.log(`  ${t.met ? '达到  ' : '未达到'}  ${t.what.padEnd(28)} ${t.target.padEnd(8)} 实测 ${t.measured}`);
  }
}

export function corpusLabel(r: BenchResult): string {
  return r.corpus.kind === 'real' ? '真实问句' : '生成词汇';
}

export const failuresOf = (x: LoadResult) => x.errors + x.timeouts + x.non2xx;
export const ms = (x: number) => `${x.toFixed(1).padStart(6)}ms`;
export const seconds = (x: number) => `${(x / 1000).toFixed(1)} s`;
export const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
export const mib = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MiB`;
