import { describe, expect, it } from 'vitest';
import { lintArticles } from '../../server/lint/lint-content.js';
import { staleByOwner } from '../../server/lint/stale-report.js';
import type { Article } from '../../server/parse/article.js';
import { parseArticle } from '../../server/parse/parse-article.js';
import { article } from '../helpers/sample.js';

const TODAY = '2026-11-23';
const PHRASES = { forbidden: ['这不归我管', '这是规定'], agentVoice: ['请客户', '建工单'] };

function parse(file: string, fields: Record<string, string | string[]>, body: string): Article {
  const parsed = parseArticle(file, article(fields, body)).article;
  if (!parsed) throw new Error(`fixture ${file} does not parse`);
  return parsed;
}

const base = { product: '宽带', category: '故障排查', review_by: '2027-05-01' };
const complete = `## 一句话答案\n硬件故障，先重启。\n\n## 处理步骤\n1. 重启\n\n## 话术\n“我帮您看看。”\n\n## 升级与时效\n转装维，24 小时内上门。`;

const cases: Array<{ name: string; article: Article; code: string; severity: 'error' | 'warning'; line?: number }> = [
  {
    name: 'troubleshooting without a script',
    article: parse(
      't1.md',
      { id: 't1', title: '缺话术', ...base },
      complete.replace(/## 话术\n“我帮您看看。”\n\n/, ''),
    ),
    code: 'MISSING_SECTION',
    severity: 'error',
  },
  {
    name: 'escalation without a time limit',
    article: parse('t2.md', { id: 't2', title: '无时限', ...base }, complete.replace('24 小时内上门', '尽快上门')),
    code: 'ESCALATION_WITHOUT_TIME_LIMIT',
    severity: 'warning',
    line: 18,
  },
  {
    name: 'review date in the past',
    article: parse('t3.md', { id: 't3', title: '过期', ...base, review_by: '2026-01-01' }, complete),
    code: 'STALE',
    severity: 'warning',
    line: 6,
  },
  {
    name: 'no review date',
    article: parse('t4.md', { id: 't4', title: '无复核', product: '宽带', category: '常见问题' }, '## 答案\n内容'),
    code: 'MISSING_REVIEW_DATE',
    severity: 'warning',
  },
  {
    name: 'broken link',
    article: parse('t5.md', { id: 't5', title: '断链', ...base }, `${complete}\n\n## 相关\n见 [别处](kb:no-such-id)`),
    code: 'BROKEN_LINK',
    severity: 'error',
    line: 22,
  },
  {
    name: 'empty section',
    article: parse('t6.md', { id: 't6', title: '空段', ...base }, `${complete}\n\n## 注意事项\n`),
    code: 'EMPTY_SECTION',
    severity: 'warning',
  },
  {
    name: 'red-line phrase in a script',
    article: parse(
      't7.md',
      { id: 't7', title: '红线', ...base },
      complete.replace('“我帮您看看。”', '“这是规定，没办法。”'),
    ),
    code: 'RED_LINE_PHRASE',
    severity: 'error',
    line: 16,
  },
  {
    name: 'public article naming an internal article in its public part',
    article: parse(
      't8.md',
      { id: 't8', title: '公开', ...base, audience: 'public' },
      `${complete}\n\n## 相关\n见 [内部流程](kb:internal-doc)`,
    ),
    code: 'PUBLIC_REFERENCES_INTERNAL',
    severity: 'warning',
  },
  {
    name: 'agent voice in the public part of a public article',
    article: parse(
      't9.md',
      { id: 't9', title: '公开口吻', ...base, audience: 'public' },
      complete.replace('1. 重启', '1. 请客户重启光猫'),
    ),
    code: 'AGENT_VOICE',
    severity: 'warning',
    line: 14,
  },
];

const internalDoc = parse('internal.md', { id: 'internal-doc', title: '内部流程', ...base }, complete);

describe('lint rules', () => {
  it.each(cases)('$name -> $code', ({ article: a, code, severity, line }) => {
    const found = lintArticles([a, internalDoc], PHRASES, TODAY).filter((d) => d.file === a.file);
    const hit = found.find((d) => d.code === code);
    expect(hit, JSON.stringify(found)).toMatchObject({ severity, file: a.file });
    if (line) expect(hit?.line).toBe(line);
    expect(hit?.hint).toBeTruthy();
  });

  it('a complete troubleshooting article is clean', () => {
    const clean = parse('ok.md', { id: 'ok', title: '完整', ...base }, complete);
    expect(lintArticles([clean], PHRASES, TODAY)).toEqual([]);
  });

  it('a link inside an internal block of a public article is fine', () => {
    const a = parse(
      'p.md',
      { id: 'p', title: '公开', ...base, audience: 'public' },
      `${complete}\n\n::: internal\n见 [内部流程](kb:internal-doc)\n:::`,
    );
    expect(lintArticles([a, internalDoc], PHRASES, TODAY).filter((d) => d.file === 'p.md')).toEqual([]);
  });

  it('agent voice is fine in internal articles, internal blocks, 话术 and a section with a customer version', () => {
    const agentSteps = '## 处理步骤\n1. 请客户重启光猫，仍不行就建工单';
    const internal = parse(
      'v1.md',
      { id: 'v1', title: '内部', ...base },
      complete.replace('## 处理步骤\n1. 重启', agentSteps),
    );
    const pub = { ...base, audience: 'public' };
    const hidden = parse(
      'v2.md',
      { id: 'v2', title: '公开', ...pub },
      `${complete}\n\n::: internal\n请客户稍等，建工单。\n:::\n\n## 话术\n“我请客户……”`,
    );
    const customer = parse(
      'v3.md',
      { id: 'v3', title: '客户版', ...pub },
      complete.replace('## 处理步骤\n1. 重启', `${agentSteps}\n\n::: 客户\n1. 请您重启光猫。\n:::`),
    );
    const found = lintArticles([internal, hidden, customer], PHRASES, TODAY).filter((d) => d.code === 'AGENT_VOICE');
    expect(found).toEqual([]);
  });

  it('red-line phrases outside 话术 are not flagged (a training article may quote them)', () => {
    const a = parse(
      'q.md',
      { id: 'q', title: '红线培训', ...base },
      `${complete}\n\n## 典型错误\n“这不归我管”是推诿。`,
    );
    expect(lintArticles([a], PHRASES, TODAY)).toEqual([]);
  });
});

describe('staleByOwner', () => {
  it('groups stale articles by owner, Traditional and Simplified spellings together, most overdue first', () => {
    const mk = (id: string, owner: string, reviewBy: string) =>
      parse(`${id}.md`, { id, title: id, product: 'p', category: 'c', owner, review_by: reviewBy }, '## 答案\n内容');
    const groups = staleByOwner(
      [
        mk('a', '宽带培训组', '2026-10-01'),
        mk('b', '寬帶培訓組', '2026-06-01'),
        mk('c', '空调培训组', '2026-11-01'),
        mk('d', '空调培训组', '2027-01-01'),
      ],
      TODAY,
    );
    expect(groups.map((g) => [g.owner, g.articles.map((a) => a.id)])).toEqual([
      ['宽带培训组', ['b', 'a']],
      ['空调培训组', ['c']],
    ]);
    expect(groups[0]?.articles[0]?.daysOverdue).toBe(175);
  });
});
