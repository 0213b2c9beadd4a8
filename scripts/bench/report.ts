import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { IndexRun } from './index-once.js';
import type { LoadResult } from './load.js';

export type BenchResult = {
  date: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; os: string };
  corpus: { dir: string; articles: number; sections: number; megabytes: number; seed: number; queries: number };
  index: { cold: IndexRun; snapshot: IndexRun };
  service: {
    coldReadyMs: number;
    coldPeakRss: number;
    coldTimings?: Record<string, number>;
    restartReadyMs: number;
    restartTimings?: Record<string, number>;
    servingPeakRss: number;
    logLevel: string;
    nodeOptions?: string;
  };
  load: LoadResult[];
  edits: { count: number; p50: number; p95: number; max: number };
  stall: { maxMs: number; atMs: number };
};

export type Target = { what: string; target: string; measured: string; met: boolean };

export async function describeMachine(): Promise<BenchResult['machine']> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  return {
    cpus: os.availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** The targets of issue 8 (2-core machine, embedded engine, 10,000 articles) against this run. */
export function evaluateTargets(r: BenchResult): Target[] {
  const load = (label: string, connections: number) =>
    r.load.find((x) => x.label === label && x.connections === connections);
  const s16 = load('search', 16);
  const h16 = load('healthz', 16);
  const s64 = load('search', 64);
  const h64 = load('healthz', 64);
  const ratio = (s?: LoadResult, h?: LoadResult) => (s && h && h.rps > 0 ? s.rps / h.rps : 0);
  const failures = r.load.reduce((n, x) => n + x.errors + x.timeouts + x.non2xx, 0);
  const peak = Math.max(r.service.coldPeakRss, r.service.servingPeakRss);
  return [
    {
      what: '搜索 p99（16 连接）',
      target: '≤ 25 ms',
      measured: `${s16?.latencyMs.p99 ?? '?'} ms`,
      met: (s16?.latencyMs.p99 ?? Infinity) <= 25,
    },
    {
      what: '搜索吞吐 / /healthz 吞吐（16 连接）',
      target: '≥ 20%',
      measured: percent(ratio(s16, h16)),
      met: ratio(s16, h16) >= 0.2,
    },
    {
      what: '搜索吞吐 / /healthz 吞吐（64 连接）',
      target: '≥ 20%',
      measured: percent(ratio(s64, h64)),
      met: ratio(s64, h64) >= 0.2,
    },
    {
      what: '全量建索引（进程内，无快照）',
      target: '≤ 60 s',
      measured: seconds(r.index.cold.ms),
      met: r.index.cold.ms <= 60_000,
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
    { what: '服务峰值 RSS（VmHWM）', target: '≤ 1 GB', measured: mib(peak), met: peak <= 1024 ** 3 },
    { what: '负载下的错误 / 超时 / 非 2xx', target: '0', measured: String(failures), met: failures === 0 },
  ];
}

/** The figures as Markdown: the generated part of docs/benchmarks.md. */
export function renderMarkdown(r: BenchResult, targets: Target[]): string {
  const m = r.machine;
  const lines = [
    `运行于 ${r.date}，命令 \`${r.command}\`。`,
    '',
    `- 机器：${m.cpus} 核 ${m.cpuModel}，内存 ${m.memoryGiB} GiB，${m.os}，Node.js ${m.node}`,
    `- 语料：\`${r.corpus.dir}\`，${r.corpus.articles} 篇文章、${r.corpus.sections} 个段落、${r.corpus.megabytes} MB Markdown（种子 ${r.corpus.seed}），负载查询 ${r.corpus.queries} 条轮换`,
    `- 引擎：embedded；服务日志级别 ${r.service.logLevel}${r.service.nodeOptions ? `；服务 NODE_OPTIONS=${r.service.nodeOptions}` : ''}；压测客户端（autocannon）与服务在同一台机器上`,
    '',
    '### 目标（issue 8）',
    '',
    '| 指标 | 目标 | 实测 | 结论 |',
    '|---|---|---|---|',
    ...targets.map((t) => `| ${t.what} | ${t.target} | ${t.measured} | ${t.met ? '达到' : '**未达到**'} |`),
    '',
    '### 负载（每阶段一次独立的 autocannon 运行）',
    '',
    '| 路由 | 连接数 | 时长 | 请求数 | 吞吐 (req/s) | p50 | p95 | p99 | 最大 | 错误 / 超时 / 非 2xx |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.load.map(
      (x) =>
        `| ${x.label === 'search' ? '/v1/search' : '/healthz'} | ${x.connections} | ${x.seconds} s | ${x.requests} | ${x.rps} | ${x.latencyMs.p50} ms | ${x.latencyMs.p95} ms | ${x.latencyMs.p99} ms | ${x.latencyMs.max} ms | ${x.errors} / ${x.timeouts} / ${x.non2xx} |`,
    ),
    '',
    '### 索引、启动、编辑、内存',
    '',
    '| 项目 | 结果 | 分解 |',
    '|---|---|---|',
    `| 全量建索引（进程内，createKnowledgeBase().reload()，含保存快照） | ${seconds(r.index.cold.ms)} | ${timings(r.index.cold.timings)}；快照 ${mib(r.index.cold.snapshotBytes ?? 0)}；进程峰值 RSS ${mib(r.index.cold.peakRssBytes)} |`,
    `| 从快照加载（进程内） | ${seconds(r.index.snapshot.ms)} | ${timings(r.index.snapshot.timings)}；进程峰值 RSS ${mib(r.index.snapshot.peakRssBytes)} |`,
    ...(r.index.snapshot.search
      ? [
          `| 单次搜索（进程内逐条执行 ${r.index.snapshot.search.count} 条轮换查询，无 HTTP、无并发） | p50 ${r.index.snapshot.search.p50} ms，p99 ${r.index.snapshot.search.p99} ms | 平均 ${r.index.snapshot.search.meanMs} ms，p95 ${r.index.snapshot.search.p95} ms，最大 ${r.index.snapshot.search.max} ms |`,
        ]
      : []),
    `| 服务冷启动（无快照，启动进程到 /readyz 200） | ${seconds(r.service.coldReadyMs)} | ${timings(r.service.coldTimings)}；峰值 RSS ${mib(r.service.coldPeakRss)} |`,
    `| 服务重启（有快照） | ${seconds(r.service.restartReadyMs)} | ${timings(r.service.restartTimings)} |`,
    `| 保存到可搜索（${r.edits.count} 次，KB_WATCH=true） | p50 ${Math.round(r.edits.p50)} ms，p95 ${Math.round(r.edits.p95)} ms | 最大 ${Math.round(r.edits.max)} ms |`,
    `| 编辑后保存快照期间 /healthz 最长等待 | ${Math.round(r.stall.maxMs)} ms | 最后一次编辑后约 ${(r.stall.atMs / 1000).toFixed(1)} s |`,
    `| 服务峰值 RSS（重启、负载、编辑全过程） | ${mib(r.service.servingPeakRss)} | /proc/<pid>/status VmHWM |`,
  ];
  return lines.join('\n');
}

export function printSummary(r: BenchResult, targets: Target[]): void {
  console.log('\n负载');
  console.log('路由          连接  请求数    req/s     p50      p95      p99      最大     错误/超时/非2xx');
  for (const x of r.load) {
    const route = x.label === 'search' ? '/v1/search' : '/healthz';
    console.log(
      `${route.padEnd(13)} ${String(x.connections).padStart(4)}  ${String(x.requests).padStart(7)}  ${String(x.rps).padStart(7)}  ${ms(x.latencyMs.p50)}  ${ms(x.latencyMs.p95)}  ${ms(x.latencyMs.p99)}  ${ms(x.latencyMs.max)}  ${x.errors}/${x.timeouts}/${x.non2xx}`,
    );
  }
  console.log('\n目标（issue 8）');
  for (const t of targets) {
    console.log(`  ${t.met ? '达到  ' : '未达到'}  ${t.what.padEnd(28)} ${t.target.padEnd(8)} 实测 ${t.measured}`);
  }
}

const ms = (x: number) => `${x.toFixed(1).padStart(6)}ms`;
const seconds = (x: number) => `${(x / 1000).toFixed(1)} s`;
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const mib = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MiB`;
function timings(t?: Record<string, number>): string {
  if (!t) return '';
  const names: Record<string, string> = { loadMs: '读取', parseMs: '解析', analyzerMs: '分析器', indexMs: '索引' };
  return Object.entries(t)
    .map(([k, v]) => `${names[k] ?? k} ${(v / 1000).toFixed(1)} s`)
    .join('，');
}
