import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { isCorruption } from '../events/event-db.js';
import { EVENTS_FILE } from '../events/event-log.js';
import { buildGapReport, type GapReport } from '../events/gap-report.js';

/** `kb report gaps`: the knowledge-gap report, read straight from the event log. */
export async function runGapReportCommand(options: {
  dataDir: string;
  days: number;
  format: 'text' | 'json';
}): Promise<number> {
  const file = path.join(options.dataDir, EVENTS_FILE);
  if (!existsSync(file)) {
    console.error(`还没有事件记录（${file} 不存在）：服务运行并有人搜索后再来看。`);
    return 1;
  }
  // Read-only: the running service may be writing at the same time (WAL mode).
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const report = buildGapReport(db, { days: options.days });
    if (options.format === 'json') console.log(JSON.stringify(report, null, 2));
    else printReport(report);
    return 0;
  } catch (error) {
    if (!isCorruption(error)) throw error;
    // The service owns the file: it moves a damaged one aside itself (event-log.ts); the CLI only reads.
    console.error(
      `事件库 ${file} 已损坏（${(error as Error).message}），无法生成报告。` +
        '服务下次启动或记录事件时会把它移到一边并新建一个；之后的搜索会重新积累报告数据。',
    );
    return 1;
  } finally {
    db?.close();
  }
}

function printReport(r: GapReport): void {
  const pct = (n: number) => `${Math.round(n * 100)}%`;
  console.log(`知识缺口报告：最近 ${r.window.days} 天（自 ${r.window.since.slice(0, 10)} 起）`);
  console.log(
    `搜索 ${r.totals.searches} 次，有把握答案 ${pct(r.totals.confidentShare)}，零结果 ${pct(r.totals.zeroResultShare)}；` +
      `反馈 ${r.totals.feedback} 条，其中没帮助 ${r.totals.unhelpful} 条`,
  );
  section('没找到 / 没有把握的查询', r.gaps, (g) => [
    String(g.count).padStart(4),
    `${g.example}${g.zeroResults > 0 ? `（零结果 ${g.zeroResults} 次）` : ''}`,
    `最后 ${g.lastSeen.slice(0, 16).replace('T', ' ')}`,
    g.scopes.includes('public') ? '含客户自助' : '',
  ]);
  section('被标记没帮助的文章', r.unhelpfulArticles, (a) => [
    String(a.unhelpful).padStart(4),
    `${a.articleId}（有帮助 ${a.helpful}）`,
    a.comments.length > 0 ? `留言：${a.comments.join(' / ')}` : '',
  ]);
  section('答案常被标记没帮助的查询', r.unhelpfulQueries, (q) => [
    String(q.unhelpful).padStart(4),
    q.normalized,
    `→ ${q.articleId}（有帮助 ${q.helpful}）`,
  ]);
  section('热门查询', r.topQueries, (q) => [String(q.count).padStart(4), q.example, `有把握 ${pct(q.confidentShare)}`]);
}

function section<T>(title: string, rows: T[], cells: (row: T) => string[]): void {
  console.log(`\n${title}${rows.length === 0 ? '：无' : ''}`);
  for (const row of rows) console.log(`  ${cells(row).filter(Boolean).join('  ')}`);
}
