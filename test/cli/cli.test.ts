import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { article, ROOT, tempDir, writeContent } from '../helpers/sample.js';

const run = promisify(execFile);
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CLI = path.join(ROOT, 'server/cli/main.ts');

async function kb(args: string[], env: Record<string, string> = {}) {
  // The embedded engine unless a test says otherwise: a MEILI_URL in the developer's shell must not
  // send these runs to their Meilisearch (test/engine/meilisearch/meilisearch-cli.test.ts covers it).
  const base = { ...process.env, MEILI_URL: '', KB_ENGINE: '' };
  try {
    const { stdout, stderr } = await run(TSX, [CLI, ...args], { cwd: ROOT, env: { ...base, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Each test starts CLI processes, each building the analyzer: slow on a loaded machine.
const SLOW = { timeout: 120_000 };

describe('kb CLI', SLOW, () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let data: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir();
    data = await tempDir();
    await writeContent(tmp.dir, {
      'ok.md': article(
        { id: 'ok', title: '空调漏水', product: '空调', category: '常见问题', review_by: '2099-01-01' },
        '## 答案\n清理排水管。',
      ),
      'broken.md':
        '---\nid: broken\ntitle: 坏文章\nproduct: 空调\ncategory: 故障排查\naudience: secret\n---\n## 答案\n…\n',
    });
  });
  afterAll(async () => {
    await tmp.cleanup();
    await data.cleanup();
  });

  it('lint names the file, line and field of each error and exits non-zero', async () => {
    const result = await kb(['lint', tmp.dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/broken\.md:6 错误 INVALID_FRONT_MATTER \[audience\]/);
    // The body is checked in the same run: a troubleshooting article with no steps, script or escalation.
    expect(result.stdout.match(/broken\.md:\d+ 错误 MISSING_SECTION/g)).toHaveLength(3);
    expect(result.stdout).toContain('错误 4 个');
  });

  it('preview of a broken article names the file, line and field and writes nothing', async () => {
    const file = path.join(tmp.dir, 'broken.md');
    const out = path.join(tmp.dir, 'broken.preview.html');
    const result = await kb(['preview', file, '-c', tmp.dir, '-o', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken\.md:6 错误 INVALID_FRONT_MATTER \[audience\]/);
    await expect(readFile(out, 'utf8')).rejects.toThrow();
  });

  it('lint --format json is machine-readable', async () => {
    const result = await kb(['lint', tmp.dir, '--format', 'json']);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ errors: 4, articles: 1 });
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'INVALID_FRONT_MATTER', file: 'broken.md', line: 6, field: 'audience' }),
    );
  });

  it('lint passes on the sample knowledge base and names the rule of each warning', async () => {
    const result = await kb(['lint']);
    expect(result.stdout).toContain('错误 0 个');
    expect(result.stdout).toMatch(/^\S+\.md:\d+ 警告 STALE \[review_by\] /m);
    expect(result.code).toBe(0);
  });

  it('stops quietly when the reader of its output goes away (kb lint | head)', async () => {
    // `true` exits without reading: every write the CLI makes then fails with EPIPE.
    const { stderr } = await run('sh', ['-c', `"${TSX}" "${CLI}" lint "${tmp.dir}" | true`], { cwd: ROOT });
    expect(stderr).not.toMatch(/EPIPE|Error/);
  });

  it('index builds a snapshot, then loads it; search prints the best article', async () => {
    const first = await kb(['index', '-c', tmp.dir, '-d', data.dir]);
    expect(first.stdout).toContain('已重建索引：1 篇文章');
    const second = await kb(['index', '-c', tmp.dir, '-d', data.dir]);
    expect(second.stdout).toContain('内容未变，已从快照加载');
    const search = await kb(['search', '-c', tmp.dir, '-d', data.dir, '空调', '滴水']);
    expect(search.code).toBe(0);
    expect(search.stdout).toContain('[ok]');
  });

  it('search brackets each match in the snippet 【…】', async () => {
    const search = await kb(['search', '-d', data.dir, '光猫', '红灯']);
    expect(search.stdout).toContain('【光猫】');
    expect(search.stdout).toContain('【红灯】');
    expect(search.stdout).not.toMatch(/【[^】]*【/);
  });
});

describe('kb stale and kb preview', SLOW, () => {
  it('stale lists the sample articles past review, grouped by owner', async () => {
    const result = await kb(['stale', '--format', 'json']);
    const groups = JSON.parse(result.stdout) as Array<{ owner: string; articles: Array<{ id: string }> }>;
    const ids = groups.flatMap((g) => g.articles.map((a) => a.id));
    expect(ids).toEqual(expect.arrayContaining(['bb-router-reset', 'ac-cleaning', 'pay-invoice']));
    expect(result.code).toBe(0);
  });

  it('preview without -o writes into the data directory, not next to the article, and prints the path', async () => {
    const data = await tempDir();
    try {
      const result = await kb(['preview', 'content/broadband/bb-los-red.md', '-d', data.dir]);
      expect(result.code).toBe(0);
      const file = path.join(data.dir, 'previews', 'broadband__bb-los-red.html');
      expect(result.stdout).toContain(file);
      const html = await readFile(file, 'utf8');
      expect(html).toContain('客户看到的');
      // The agents' column marks the sections' customer versions (the customers' column shows them bare).
      expect(html.match(/class="kb-customer"/g)?.length).toBe(3);
      await expect(readFile(path.join(ROOT, 'content/broadband/bb-los-red.preview.html'))).rejects.toThrow();
    } finally {
      await data.cleanup();
    }
  });

  it('preview writes an HTML page with both views and the internal parts marked', async () => {
    const out = await tempDir();
    try {
      const file = path.join(out.dir, 'p.html');
      const result = await kb(['preview', 'content/broadband/bb-los-red.md', '-o', file]);
      expect(result.code).toBe(0);
      const html = await readFile(file, 'utf8');
      expect(html).toContain('坐席看到的');
      expect(html).toContain('客户看到的');
      expect(html).toContain('kb-internal');
      expect(html).toContain('仅内部');
    } finally {
      await out.cleanup();
    }
  });
});

describe('kb report gaps', SLOW, () => {
  it('prints the searches nobody found an answer for, from the event log', async () => {
    const data = await tempDir();
    try {
      const { openEventLog } = await import('../../server/events/event-log.js');
      const { createMasker } = await import('../../server/events/mask.js');
      const log = openEventLog({ dataDir: data.dir, retentionDays: 30, mask: createMasker(), warn: () => {} });
      log.recordSearch({
        client: 'x',
        query: '花呗怎么还款',
        normalized: '花呗 还款',
        scope: 'agent',
        route: 'search',
        resultCount: 0,
        topIds: [],
        confident: false,
        latencyMs: 1,
        engine: 'embedded',
        degraded: false,
      });
      log.recordFeedback({
        query: '光猫',
        normalized: '光猫',
        articleId: 'bb-los-red',
        helpful: false,
        comment: '太长',
      });
      log.close();
      const result = await kb(['report', 'gaps', '-d', data.dir]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('花呗怎么还款（零结果 1 次）');
      expect(result.stdout).toContain('bb-los-red（有帮助 0）  留言：太长');
      const missing = await kb(['report', 'gaps', '-d', path.join(data.dir, 'nothing')]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('还没有事件记录');
    } finally {
      await data.cleanup();
    }
  });
});
