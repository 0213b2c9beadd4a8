import {
  type BenchResult,
  type BenchRun,
  corpusLabel,
  evaluateTargets,
  failuresOf,
  loadOf,
  mib,
  percent,
  ratioOf,
  seconds,
} from './report.js';

/** The whole run as Markdown: machine, the cost curve over the sizes, then each size's figures. */
export function renderRun(run: BenchRun): string {
  const m = run.machine;
  const lines = [
    `运行于 ${run.date}，命令 \`${run.command}\`。`,
    '',
    `- 机器：${m.cpus} 核 ${m.cpuModel}，内存 ${m.memoryGiB} GiB，${m.os}，Node.js ${m.node}`,
    '- 压测客户端（autocannon）与服务在同一台机器上',
    '',
  ];
  if (run.results.length > 1) lines.push(...renderCurve(run.results), '');
  for (const r of run.results) lines.push(...renderSize(r), '');
  return lines.join('\n').trimEnd();
}

/** One row per size: how each cost grows with the knowledge base. */
export function renderCurve(results: BenchResult[]): string[] {
  return [
    '### 成本曲线',
    '',
    '| 篇数 | 段落 | 全量建索引 | 快照 | 从快照重启 | 服务中 RSS | 峰值 RSS | 搜索 p50 / p99（16 连接） | 搜索吞吐 | /healthz 吞吐 | 比 | 搜索 p99（64 连接） | 错误 | 保存到可搜 p95 |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => {
      const s16 = loadOf(r, 'search', 16);
      const h16 = loadOf(r, 'healthz', 16);
      const s64 = loadOf(r, 'search', 64);
      return `| ${r.corpus.articles.toLocaleString('en-US')} | ${r.corpus.sections.toLocaleString('en-US')} | ${seconds(r.index.cold.ms)} | ${mib(r.index.cold.snapshotBytes ?? 0)} | ${seconds(r.service.restartReadyMs)} | ${mib(r.service.servingRss)} | ${mib(r.service.peakRss)} | ${s16 ? `${s16.latencyMs.p50} / ${s16.latencyMs.p99} ms` : '—'} | ${s16?.rps ?? '—'} req/s | ${h16?.rps ?? '—'} req/s | ${percent(ratioOf(r, 16))} | ${s64 ? `${s64.latencyMs.p99} ms` : '—'} | ${r.load.reduce((n, x) => n + failuresOf(x), 0)} | ${Math.round(r.edits.p95)} ms |`;
    }),
  ];
}

function renderSize(r: BenchResult): string[] {
  const c = r.corpus;
  const targets = evaluateTargets(r);
  const pool = c.pool
    ? `；句子取自 ${c.pool.files.map((f) => `\`${f.split('/').slice(-2).join('/')}\``).join('、')} 的 ${c.pool.sentences} 条真实问句，多数文章共有的高频词：${c.pool.productWords.join('、')}`
    : '';
  return [
    `### ${c.articles.toLocaleString('en-US')} 篇（${corpusLabel(r)}）`,
    '',
    `- 语料：\`${c.dir}\`，${c.articles} 篇文章、${c.sections} 个段落、${c.megabytes} MB Markdown（种子 ${c.seed}）${pool}；负载查询 ${c.queries} 条轮换${c.kind === 'real' ? '（同一批真实问句）' : ''}`,
    ...(c.fallback ? [`- **注意**：${c.fallback}`] : []),
    `- 引擎：${r.engine}；服务日志级别 ${r.service.logLevel}${r.service.nodeOptions ? `；服务 NODE_OPTIONS=${r.service.nodeOptions}` : ''}`,
    '',
    ...(targets.length > 0
      ? [
          '| 目标（issue 15） | 目标 | 实测 | 结论 |',
          '|---|---|---|---|',
          ...targets.map((t) => `| ${t.what} | ${t.target} | ${t.measured} | ${t.met ? '达到' : '**未达到**'} |`),
          '',
        ]
      : []),
    '| 路由 | 连接数 | 时长 | 请求数 | 吞吐 (req/s) | p50 | p95 | p99 | 最大 | 错误 / 超时 / 非 2xx |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.load.map(
      (x) =>
        `| ${x.label === 'search' ? '/v1/search' : '/healthz'} | ${x.connections} | ${x.seconds} s | ${x.requests} | ${x.rps} | ${x.latencyMs.p50} ms | ${x.latencyMs.p95} ms | ${x.latencyMs.p99} ms | ${x.latencyMs.max} ms | ${x.errors} / ${x.timeouts} / ${x.non2xx} |`,
    ),
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
    `| 服务中 RSS（负载与编辑期间，每 200 ms 采样 VmRSS） | ${mib(r.service.servingRss)} | 峰值 RSS（VmHWM，含重启加载）${mib(r.service.peakRss)} |`,
  ];
}

function timings(t?: Record<string, number>): string {
  if (!t) return '';
  const names: Record<string, string> = { loadMs: '读取', parseMs: '解析', analyzerMs: '分析器', indexMs: '索引' };
  return Object.entries(t)
    .map(([k, v]) => `${names[k] ?? k} ${(v / 1000).toFixed(1)} s`)
    .join('，');
}
