import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EventLog, openEventLog, type SearchEvent } from '../../server/events/event-log.js';
import { buildGapReport } from '../../server/events/gap-report.js';
import { createMasker } from '../../server/events/mask.js';
import { tempDir } from '../helpers/sample.js';

const masks: Array<[input: string, masked: string]> = [
  ['客户手机 13812345678 上不了网', '客户手机 [手机号] 上不了网'],
  ['+86 138-1234-5678', '[手机号]'],
  ['身份证 11010519491231002X 核验失败', '身份证 [身份证号] 核验失败'],
  ['卡号 6222021234567890123 重复扣费', '卡号 [卡号] 重复扣费'],
  ['座机 010-87654321', '座机 [电话]'],
  ['错误码 691 和 10071', '错误码 691 和 10071'],
  ['2.4G 和 5G', '2.4G 和 5G'],
];

describe('createMasker', () => {
  it.each(masks)('%s -> %s', (input, masked) => {
    expect(createMasker()(input)).toBe(masked);
  });

  it('applies extra patterns from configuration', () => {
    expect(createMasker(['会员号\\d{8}'])('会员号12345678 退款')).toBe('[已隐藏] 退款');
  });
});

const search = (over: Partial<SearchEvent>): SearchEvent => ({
  client: 'c1',
  query: '光猫红灯',
  normalized: '光猫 红灯',
  scope: 'agent',
  route: 'search',
  resultCount: 3,
  topIds: ['bb-los-red'],
  confident: true,
  latencyMs: 1,
  engine: 'embedded',
  degraded: false,
  ...over,
});

describe('event log', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let log: EventLog;
  let clock = Date.parse('2026-11-20T10:00:00Z');
  const warnings: string[] = [];
  const open = () =>
    openEventLog({
      dataDir: tmp.dir,
      retentionDays: 30,
      mask: createMasker(),
      warn: (m) => warnings.push(m),
      now: () => clock,
    });

  beforeEach(async () => {
    tmp = await tempDir();
    log = open();
  });
  afterEach(async () => {
    log.close();
    await tmp.cleanup();
  });

  it('stores searches masked, groups gaps by normalized form, and survives a restart', () => {
    log.recordSearch(
      search({
        client: 'a',
        query: '花呗 13812345678',
        normalized: '花呗 13812345678',
        resultCount: 0,
        confident: false,
      }),
    );
    clock += 10_000;
    log.recordSearch(search({ client: 'b', query: '花呗', normalized: '花呗', resultCount: 0, confident: false }));
    clock += 10_000;
    log.recordSearch(
      search({ client: 'c', query: '花呗', normalized: '花呗', resultCount: 0, confident: false, scope: 'public' }),
    );
    log.recordSearch(search({ client: 'd' }));
    log.close();

    log = open();
    const db = log.db;
    if (!db) throw new Error('event log did not open');
    const report = buildGapReport(db, { days: 7, now: clock });
    expect(report.totals.searches).toBe(4);
    expect(report.gaps[0]).toMatchObject({ normalized: '花呗', count: 2, zeroResults: 2 });
    expect(report.gaps[0]?.scopes.sort()).toEqual(['agent', 'public']);
    expect(report.gaps[1]).toMatchObject({ normalized: '花呗 [手机号]', example: '花呗 [手机号]' });
    const raw = db.prepare('SELECT query FROM searches').all() as Array<{ query: string }>;
    expect(raw.map((r) => r.query).join(' ')).not.toContain('13812345678');
  });

  it('logs search-as-you-type as one search: the last query of the typing burst', () => {
    for (const q of ['光', '光猫', '光猫亮', '光猫亮红灯']) {
      log.recordSearch(search({ query: q, normalized: q }));
      clock += 300;
    }
    clock += 5_000;
    log.recordSearch(search({ query: '空调漏水', normalized: '空调 漏水' }));
    log.flush();
    const rows = log.db?.prepare('SELECT query FROM searches ORDER BY at').all() as Array<{ query: string }>;
    expect(rows.map((r) => r.query)).toEqual(['光猫亮红灯', '空调漏水']);
  });

  it('reports unhelpful articles with their comments and the queries they failed', () => {
    log.recordFeedback({
      query: '光猫红灯',
      normalized: '光猫 红灯',
      articleId: 'bb-los-red',
      helpful: false,
      comment: '步骤少了换尾纤',
    });
    log.recordFeedback({ query: '光猫红灯', normalized: '光猫 红灯', articleId: 'bb-los-red', helpful: false });
    log.recordFeedback({ query: '光猫红灯', normalized: '光猫 红灯', articleId: 'bb-los-red', helpful: true });
    log.flush();
    const report = buildGapReport(log.db as NonNullable<EventLog['db']>, { days: 7, now: clock });
    expect(report.unhelpfulArticles).toEqual([
      { articleId: 'bb-los-red', unhelpful: 2, helpful: 1, comments: ['步骤少了换尾纤'] },
    ]);
    expect(report.unhelpfulQueries).toEqual([
      { normalized: '光猫 红灯', articleId: 'bb-los-red', unhelpful: 2, helpful: 1 },
    ]);
    expect(report.totals).toMatchObject({ feedback: 3, unhelpful: 2 });
  });

  it('keeps events only for the retention period', () => {
    log.recordSearch(search({ query: '旧查询', normalized: '旧查询' }));
    log.close();
    clock += 31 * 86_400_000;
    log = open();
    const db = log.db;
    if (!db) throw new Error('event log did not open');
    expect((db.prepare('SELECT COUNT(*) AS n FROM searches').get() as { n: number }).n).toBe(0);
  });
});

describe('event log on an unwritable data directory', () => {
  it('drops events with a warning and a counter, and never throws', async () => {
    const tmp = await tempDir();
    // A data directory under a regular file can never be created, even by root.
    await writeFile(path.join(tmp.dir, 'not-a-dir'), 'x');
    const warnings: string[] = [];
    const log = openEventLog({
      dataDir: path.join(tmp.dir, 'not-a-dir', 'data'),
      retentionDays: 30,
      mask: createMasker(),
      warn: (m) => warnings.push(m),
    });
    try {
      expect(log.db).toBeUndefined();
      expect(() => log.recordSearch(search({}))).not.toThrow();
      log.flush();
      expect(log.dropped).toBe(1);
      expect(warnings[0]).toContain('搜索不受影响');
    } finally {
      log.close();
      await tmp.cleanup();
    }
  });
});
