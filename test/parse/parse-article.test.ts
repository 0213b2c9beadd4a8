import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../server/parse/markdown.js';
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
      message: /未知字段：reveiw_by，是不是 review_by？/,
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

  const misspelt: Array<{ key: string; field?: string }> = [
    { key: 'categroy', field: 'category' },
    { key: 'Title', field: 'title' },
    { key: 'reviewby', field: 'review_by' },
    { key: 'question', field: 'questions' },
    { key: 'tag', field: 'tags' },
    { key: 'colour' },
    { key: '分类' },
  ];
  it.each(misspelt)('suggests the field meant by $key', ({ key, field }) => {
    const fm = Object.entries(fields).filter(([name]) => name !== field);
    const text = `---\n${fm.map(([name, value]) => `${name}: ${value}`).join('\n')}\n${key}: 值\n---\n## 答案\n文本\n`;
    const [unknown] = parseArticle('a.md', text).diagnostics.filter((d) => d.field === key);
    expect(unknown?.message).toContain(`未知字段：${key}`);
    if (field) {
      expect(unknown?.message).toContain(`是不是 ${field}？`);
      expect(unknown?.hint).toBe(`把 ${key} 改成 ${field}`);
    } else {
      expect(unknown?.message).not.toContain('是不是');
      expect(unknown?.hint).toContain('可用的字段');
    }
  });

  it('says to delete a misspelt key whose field is already there', () => {
    const text = article(fields, '## 答案\n文本').replace(
      'category: 故障排查',
      'category: 故障排查\ncategroy: 常见问题',
    );
    const [unknown] = parseArticle('a.md', text).diagnostics;
    expect(unknown).toMatchObject({ field: 'categroy', message: '未知字段：categroy，是不是 category？' });
    expect(unknown?.hint).toContain('删掉 categroy 这一行');
  });

  it('reports every front matter problem at once, one line per unknown key', () => {
    const text =
      '---\nid: x-1\ntitle: 标题\nproduct: 宽带\ncategroy: 故障排查\nowner_team: 宽带组\naudience: all\n---\n## 答案\n文本\n';
    const { diagnostics } = parseArticle('a.md', text);
    expect(diagnostics.map((d) => [d.line, d.field])).toEqual([
      [5, 'categroy'],
      [6, 'owner_team'],
      [7, 'audience'],
    ]);
    // "缺少必填字段 category" would repeat what the did-you-mean already says.
    expect(diagnostics.some((d) => d.message.includes('缺少必填字段'))).toBe(false);
  });

  it('parses the body of a readable but invalid article into a draft only when asked', () => {
    const text = '---\nid: x-1\ntitle: 标题\nproduct: 宽带\ncategroy: 故障排查\n---\n## 处理步骤\n1. 重启\n';
    expect(parseArticle('a.md', text).draft).toBeUndefined();
    const { article: parsed, draft } = parseArticle('a.md', text, { draft: true });
    expect(parsed).toBeUndefined();
    // The misspelt key's value counts for its field, so rules see the article as the trainer meant it.
    expect(draft).toMatchObject({ id: 'x-1', category: '故障排查', sections: [{ kind: 'steps', items: ['重启'] }] });
    expect(draft?.fieldLines.category).toBe(5);
    expect(parseArticle('a.md', '---\nid: x-1\ntitle: [未闭合\n---\n## 答案\n', { draft: true }).draft).toBeUndefined();
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

describe('parseArticle: the customer version of a section (::: 客户)', () => {
  const body = `## 处理步骤
1. 请客户拔下光纤接头重新插紧。
2. 仍红则建工单，转派装维中心。

::: 客户
1. 请您把光猫上标“PON”的接头拔下，再插到底。
2. 还是红灯的话，请联系我们，我们会安排工程师上门。
:::

## 升级与时效
- 转派：装维中心，24 小时内联系客户。

::: customer
工程师会在 24 小时内打电话和您约上门时间，见 [光猫重启](kb:bb-restart)。
:::

::: internal
同小区 10 单以上按区域障碍处理。
:::
`;
  const { article: parsed, diagnostics } = parseArticle('c.md', article({ ...fields, audience: 'public' }, body));
  const section = (kind: string) => parsed?.sections.find((s) => s.kind === kind);

  it('gives the public the customer version, and agents the rest', () => {
    expect(section('steps')?.items).toEqual(['请客户拔下光纤接头重新插紧。', '仍红则建工单，转派装维中心。']);
    expect(section('steps')?.publicItems).toEqual([
      '请您把光猫上标“PON”的接头拔下，再插到底。',
      '还是红灯的话，请联系我们，我们会安排工程师上门。',
    ]);
    expect(section('steps')?.publicText).not.toContain('请客户');
    expect(section('steps')?.text).not.toContain('请您');
    expect(section('escalation')?.publicText).toBe('工程师会在 24 小时内打电话和您约上门时间，见 光猫重启。');
    expect(section('escalation')?.links).toContainEqual(expect.objectContaining({ id: 'bb-restart', internal: false }));
  });

  it('renders only the customer version on the public scope, both (marked) for agents', () => {
    const markdown = section('steps')?.markdown ?? '';
    const articleHref = () => '/x';
    const shown = renderMarkdown(markdown, { scope: 'public', articleHref });
    expect(shown).toContain('请您把光猫');
    expect(shown).not.toContain('请客户');
    expect(shown).not.toContain('客户版本');
    const agent = renderMarkdown(markdown, { scope: 'agent', articleHref });
    expect(agent).toContain('请客户');
    expect(agent).toMatch(/<div class="kb-customer"[^>]*><p class="kb-customer-label">客户版本/);
  });

  it('is a known block, not reported as unknown', () => {
    expect(diagnostics).toEqual([]);
  });

  it('keeps a misspelt customer block internal and says so', () => {
    const typo = parseArticle('t.md', article(fields, '## 处理步骤\n1. 重启\n\n::: custmer\n请您重启。\n:::\n'));
    expect(typo.article?.sections[0]?.publicText).toBe('重启');
    expect(typo.diagnostics.map((d) => d.code)).toEqual(['UNKNOWN_BLOCK']);
  });
});
