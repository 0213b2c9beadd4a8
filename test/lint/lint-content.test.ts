import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintContent } from '../../server/lint/lint-content.js';
import { article, tempDir, writeContent } from '../helpers/sample.js';

const TODAY = '2026-11-23';

describe('lintContent', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir();
    await writeContent(tmp.dir, {
      'target.md': article(
        { id: 'target', title: '目标', product: '空调', category: '常见问题', review_by: '2099-01-01' },
        '## 答案\n内容',
      ),
      // A misspelt key, a bad value, and a body with problems of its own: all in one run.
      'broken.md': [
        '---',
        'id: broken',
        'title: 坏文章',
        'product: 空调',
        'categroy: 故障排查',
        'audience: secret',
        'review_by: 2020-01-01',
        '---',
        '## 处理步骤',
        '1. 先看 [目标](kb:target)，再看 [别处](kb:no-such-article)',
        '',
        '## 升级与时效',
        '转售后。',
        '',
        '::: internal',
        '内部备注，没有结束',
        '',
      ].join('\n'),
      'yaml.md': '---\nid: yaml\ntitle: [未闭合\nproduct: 空调\n---\n## 处理步骤\n1. 重启\n',
    });
  });
  afterAll(() => tmp.cleanup());

  it('reports the front matter and the body of a readable broken article in one pass', async () => {
    const report = await lintContent(tmp.dir, TODAY);
    const broken = report.diagnostics.filter((d) => d.file === 'broken.md').map((d) => [d.line, d.code, d.field]);
    expect(broken).toEqual([
      [5, 'INVALID_FRONT_MATTER', 'categroy'],
      [6, 'INVALID_FRONT_MATTER', 'audience'],
      [7, 'STALE', 'review_by'],
      [9, 'MISSING_SUMMARY', undefined],
      [10, 'BROKEN_LINK', '处理步骤'],
      // The misspelt category still counts: a troubleshooting article needs a script.
      [12, 'MISSING_SECTION', 'script'],
      [12, 'ESCALATION_WITHOUT_TIME_LIMIT', '升级与时效'],
      // A problem the parser finds in the body counts as well.
      [15, 'UNCLOSED_INTERNAL_BLOCK', undefined],
    ]);
    expect(report.articles).toBe(1);
  });

  it('reports only the syntax error when the YAML cannot be read', async () => {
    const report = await lintContent(tmp.dir, TODAY);
    expect(report.diagnostics.filter((d) => d.file === 'yaml.md').map((d) => d.code)).toEqual(['INVALID_FRONT_MATTER']);
  });
});
