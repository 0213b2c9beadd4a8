import { fold } from '../text/fold.js';
import type { SectionKind } from './article.js';

/**
 * Conventional H2 headings and the kind each gives a section (DESIGN.md
 * "Content format"). Written in Simplified; headings are folded before the
 * lookup so 處理步驟 and 处理步骤 are the same heading.
 */
const HEADING_ALIASES: Record<Exclude<SectionKind, 'plain'>, string[]> = {
  summary: ['一句话答案', '一句话回答', '答案', '简答', '概述', '摘要', '结论'],
  symptom: ['现象', '问题描述', '故障现象', '症状', '问题现象'],
  cause: ['原因', '原理', '故障原因', '原因分析', '为什么'],
  steps: [
    '处理步骤',
    '解决方法',
    '解决办法',
    '操作步骤',
    '排查步骤',
    '处理方法',
    '办理流程',
    '处理流程',
    '操作流程',
    '流程',
    '步骤',
  ],
  script: ['话术', '参考话术', '应答话术', '标准话术', '推荐话术'],
  escalation: ['升级与时效', '升级路径', '转派', '处理时限', '时效', '升级与转派', '转派与时效', '升级处理'],
  internal: ['内部备注', '内部说明', '内部信息', '仅内部'],
};

const ALIASES = new Map<string, SectionKind>(
  Object.entries(HEADING_ALIASES).flatMap(([kind, aliases]) =>
    aliases.map((a): [string, SectionKind] => [a, kind as SectionKind]),
  ),
);

/**
 * Words that mark a heading as agent-only wherever they stand in it: 内部注意事项,
 * 坐席须知, Internal notes. A public section must never be one of these by
 * accident, so anything that merely looks internal is read as internal.
 */
const INTERNAL_MARK = /内部|坐席|\binternal\b/;
/** Any heading about 话术 is words for the agent to say (安抚话术, 话术参考, 坐席话术). */
const SCRIPT_MARK = /话术/;

/**
 * The kind of a section from its heading; `plain` when nothing matches.
 * A qualifier after the alias is allowed (处理步骤（先软后硬）, 话术：安抚), but the
 * alias must be the whole heading otherwise, so 升级固件 is not an escalation.
 * Headings that only look like a script or an internal note (see
 * {@link classifyHeading}) get that kind too: never guess in favour of showing.
 */
export function kindOfHeading(heading: string): SectionKind {
  return classifyHeading(heading).kind;
}

/**
 * The kind of a heading and how it was found: `alias` for a conventional
 * heading, `mark` when only a word in it (内部, 坐席, internal, 话术) made it an
 * internal or script heading.
 */
export function classifyHeading(heading: string): { kind: SectionKind; by: 'alias' | 'mark' | 'none' } {
  const folded = fold(heading);
  const core = folded.split(/[（(：:｜|—]/)[0] ?? '';
  const alias = ALIASES.get(core.replace(/[\s\p{P}\p{S}\d]/gu, ''));
  if (alias) return { kind: alias, by: 'alias' };
  if (SCRIPT_MARK.test(folded)) return { kind: 'script', by: 'mark' };
  if (INTERNAL_MARK.test(folded)) return { kind: 'internal', by: 'mark' };
  return { kind: 'plain', by: 'none' };
}
