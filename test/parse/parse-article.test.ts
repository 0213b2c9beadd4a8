import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../server/parse/parse-article.js';
import { article } from '../helpers/sample.js';

const fields = { id: 'bb-test', title: '光猫测试', product: '宽带', category: '故障排查' };

describe('parseArticle: front matter', () => {
  it('accepts a BOM and CRLF line endings', () => {
    const text = `\uFEFF${article({ ...fields, audience: 'public' }, '## 一句话答案\n重启光猫。')}`.replace(
      /\n/g,
      '\r\n',
    );
    const { article: parsed, diagnostics } = parseArticle('a.md', text);
    expect(diagnostics).toEqual([]);
    expect(parsed).toMatchObject({
      id: 'bb-test',
      audience: 'public',
      sections: [{ kind: 'summary', text: '重启光猫。' }],
    });
  });

  it('defaults audience to internal', () => {
    expect(parseArticle('a.md', article(fields, '## 答案\n文本')).article?.audience).toBe('internal');
  });

  const broken: Array<{ name: string; text: string; line: number; field?: string; message: RegExp }> = [
    {
      name: 'missing required field',
      text: '---\nid: x-1\ntitle: 标题\nproduct: 宽带\n---\n## 答案\n文本\n',
      line: 5,
      field: 'category',
      message: /缺少必填字段 category/,
    },
    {
      name: 'bad id',
      text: '---\nid: X_1\ntitle: 标题\nproduct: 宽带\ncategory: 故障排查\n---\n## 答案\n文本\n',
      line: 2,
      field: 'id',
      message: /小写字母/,
    },
    {
      name: 'unknown field (a typo)',
      text: '---\nid: x-1\ntitle: 标题\nproduct: 宽带\ncategory: 故障排查\nreveiw_by: 2027-01-01\n---\n## 答案\n文本\n',
      line: 6,
      field: 'reveiw_by',
      message: /未知字段/,
    },
    {
      name: 'invalid date',
      text: '---\nid: x-1\ntitle: 标题\nproduct: 宽带\ncategory: 故障排查\nreview_by: 2027-02-30\n---\n## 答案\n文本\n',
      line: 6,
      field: 'review_by',
      message: /有效日期/,
    },
    {
      name: 'bad audience',
      text: '---\nid: x-1\ntitle: 标题\nproduct: 宽带\ncategory: 故障排查\naudience: everyone\n---\n## 答案\n文本\n',
      line: 6,
      field: 'audience',
      message: /internal 或 public/,
    },
    {
      name: 'YAML syntax error',
      // The parser notices the unclosed bracket where the next key starts.
      text: '---\nid: x-1\ntitle: [未闭合\nproduct: 宽带\n---\n## 答案\n文本\n',
      line: 4,
      message: /YAML/,
    },
    { name: 'no front matter', text: '## 答案\n文本\n', line: 1, message: /缺少 front matter/ },
    { name: 'unclosed front matter', text: '---\nid: x-1\ntitle: t\n## 答案\n', line: 1, message: /没有结束/ },
    {
      name: 'duplicate key',
      text: '---\nid: x-1\nid: x-2\ntitle: t\nproduct: p\ncategory: c\n---\n## 答案\n文本\n',
      line: 3,
      message: /重复/,
    },
  ];

  it.each(broken)('reports $name with file, line and field', ({ text, line, field, message }) => {
    const { article: parsed, diagnostics } = parseArticle('broadband/broken.md', text);
    expect(parsed).toBeUndefined();
    const first = diagnostics.find((d) => (field ? d.field === field : true));
    expect(first).toMatchObject({ file: 'broadband/broken.md', line, severity: 'error' });
    expect(first?.message).toMatch(message);
  });
});

describe('parseArticle: sections', () => {
  const body = `
前言一段。

## 一句話答案
LOS 红灯是**线路**问题。

## 处理步骤（先软后硬）
1. 检查光纤，见 [重启](kb:bb-restart)
2. 重启光猫

::: internal
内部：可补偿 50 元
:::

## 话术
“您好，我帮您查一下。”

## 内部备注
系统路径 CRM > 补偿

## 注意事项
- 不要拔光纤
`;
  const parsed = parseArticle('a.md', article(fields, body)).article;

  it('cuts the body at H2 headings and gives each section its kind (Traditional headings too)', () => {
    expect(parsed?.sections.map((s) => [s.anchor, s.kind])).toEqual([
      ['intro', 'plain'],
      ['summary', 'summary'],
      ['steps', 'steps'],
      ['script', 'script'],
      ['internal', 'internal'],
      ['注意事项', 'plain'],
    ]);
  });

  it('records the line of each heading in the file', () => {
    // front matter is 6 lines, then a blank line; "## 一句話答案" is line 10.
    expect(parsed?.sections.find((s) => s.kind === 'summary')?.line).toBe(10);
  });

  it('keeps ordered steps as items and removes ::: internal blocks from the public text', () => {
    const steps = parsed?.sections.find((s) => s.kind === 'steps');
    expect(steps?.items).toEqual(['检查光纤，见 重启', '重启光猫']);
    expect(steps?.text).toContain('可补偿 50 元');
    expect(steps?.publicText).not.toContain('可补偿');
    expect(steps?.links).toEqual([{ id: 'bb-restart', line: 14, internal: false }]);
  });

  it('marks internal sections internal with no public text', () => {
    const internal = parsed?.sections.find((s) => s.kind === 'internal');
    expect(internal).toMatchObject({ internal: true, publicText: '' });
  });

  it('reports an article with no body', () => {
    const { article: empty, diagnostics } = parseArticle('e.md', article(fields, ''));
    expect(empty).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ code: 'INVALID_ARTICLE', field: 'body' });
  });
});
