import { composeAnswer } from '../answer/compose-answer.js';
import type { Scope } from '../engine/search-engine.js';
import { searchKnowledgeBase } from '../search/search.js';
import { type CliEngineConfig, openKnowledgeBase } from './index-command.js';

const KIND_LABEL: Record<string, string> = {
  summary: '一句话答案',
  symptom: '现象',
  cause: '原因',
  steps: '处理步骤',
  script: '话术',
  escalation: '升级与时效',
  internal: '内部备注',
  plain: '段落',
};

/** Runs one search as an agent (or the public) would, and prints it. */
export async function runSearchCommand(
  options: {
    query: string;
    contentDir: string;
    dataDir: string;
    product?: string;
    category?: string;
    scope: Scope;
    limit: number;
    format: 'text' | 'json';
  } & Partial<CliEngineConfig>,
): Promise<number> {
  const query = options.query.trim();
  if (!query) {
    console.error('搜索内容不能为空');
    return 2;
  }
  const { kb } = await openKnowledgeBase(options);
  const outcome = await searchKnowledgeBase(kb, { ...options, q: query, offset: 0, prefix: false });
  const answer = options.scope === 'agent' ? composeAnswer(outcome, (id) => kb.getArticle(id, 'agent')) : undefined;
  if (options.format === 'json') {
    const { raw: _raw, ...rest } = outcome;
    console.log(JSON.stringify({ ...rest, confident: answer?.confident }, null, 2));
    return 0;
  }
  console.log(
    `查询词：${outcome.query.normalized || '（全是停用词）'}  共 ${outcome.totalIsEstimate ? '约 ' : ''}${outcome.total} 篇，${outcome.tookMs} ms（${outcome.engine}）`,
  );
  if (answer) console.log(answer.confident ? '有把握的答案：第 1 条' : '没有把握的答案（confident: false）');
  outcome.hits.forEach((hit, i) => {
    const snippet = snippetText(hit.section.snippet);
    console.log(`\n${i + 1}. ${hit.title}  [${hit.id}] ${hit.product}/${hit.category}  得分 ${hit.score}`);
    console.log(
      `   ${KIND_LABEL[hit.section.kind] ?? ''}${hit.section.heading ? `「${hit.section.heading}」` : ''}：${snippet}`,
    );
  });
  if (outcome.hits.length === 0) console.log('没有找到相关文章。');
  return 0;
}

/** A snippet (escaped HTML with <mark>) as terminal text: matches in 【】, entities decoded. */
export function snippetText(html: string): string {
  return html
    .replace(/<mark>/g, '【')
    .replace(/<\/mark>/g, '】')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}
