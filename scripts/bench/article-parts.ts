import type { LinkTarget } from './compose-article.js';
import type { Random } from './random.js';
import { CLOSERS, type Domain, NEXT_STEPS, OPENERS, TIME_LIMITS } from './vocabulary.js';

/**
 * Building blocks shared by every article kind: the words one article is
 * about, and the sections (steps, script, escalation, internal notes) written
 * from them.
 */

/** The words one article is about, drawn once so every section talks about the same thing. */
export type Context = {
  d: Domain;
  device: string;
  part: string;
  symptom: string;
  talk: string;
  causes: string[];
  checks: string[];
  code: string;
  model: string;
  process: string;
  policy: string;
  team: string;
  ticket: string;
  times: string[];
};

export function pickContext(r: Random, d: Domain): Context {
  return {
    d,
    device: r.pick(d.devices),
    part: r.pick(d.parts),
    symptom: r.pick(d.symptoms),
    talk: r.pick(d.talk),
    causes: r.sample(d.causes, r.int(2, 4)),
    checks: r.sample(d.checks, r.int(2, 3)),
    code: r.pick(d.codes),
    model: `${r.pick(d.series)}${r.chance(0.6) ? String(r.int(100, 9899)) : ''}`,
    process: r.pick(d.processes),
    policy: r.pick(d.policies),
    team: r.pick(d.teams),
    ticket: r.pick(d.tickets),
    times: r.sample(TIME_LIMITS, 3),
  };
}

export function steps(r: Random, c: Context, link?: LinkTarget): string {
  const items = [
    `核验客户身份，在 CRM > ${c.d.product} > 工单查询里查看${c.device}状态和近 7 天记录；`,
    ...c.checks.map((x) => `请客户${x}；`),
    ...(link ? [`方法见[${link.title}](kb:${link.id})；`] : []),
    `${r.int(2, 30)} 分钟后仍未恢复的，登记“${c.ticket}”工单，备注${c.part}状态${r.chance(0.3) ? `、错误码 ${c.code}` : ''}和客户方便的时段；`,
    ...(r.chance(0.5) ? [`属${c.team}处理范围的直接转派，不要让客户重复描述问题。`] : []),
  ];
  return numbered(items);
}

export function script(r: Random, c: Context): string {
  return `“${r.pick(OPENERS)}${c.device}${c.symptom}一般是${first(c.causes)}导致的，不是您操作不当。麻烦您先${first(c.checks)}……如果还是不行，我马上为您安排${c.team}，${c.times[0]}。${r.pick(CLOSERS)}”`;
}

export function escalation(r: Random, c: Context): string {
  return section(
    '升级与时效',
    bullets([
      `转派：${c.team}，工单类型“${c.ticket}”，备注${c.part}状态和客户方便时段；`,
      `时限：${c.times[0]}，${c.times[1]}；`,
      `客户下一步会经历：${r.pick(NEXT_STEPS)}。`,
    ]),
  );
}

export function internalBlock(r: Random, c: Context): string {
  return `::: internal\n内部：系统路径 CRM > ${c.d.product} > ${c.process}，可看到${c.part}的回执码；回执码 ${c.code} 表示需人工复核，由${c.team}处理，分机 ${r.int(8000, 8999)}。\n:::\n`;
}

export function internalNote(r: Random, c: Context): string {
  return `同一小区或同一批次 ${r.int(10, 60)} 分钟内 ${r.int(5, 20)} 单以上同类报障，报值班经理和${c.team}按区域障碍处理。我方原因超时的，${r.int(50, 300)} 元以内坐席可在 CRM > 补偿 > 小额 直接发放。`;
}

export function questionsFor(r: Random, candidates: string[]): string[] {
  const unique = [...new Set(candidates)];
  return r.sample(unique, Math.min(unique.length, r.int(3, 6)));
}

export function tagsFor(r: Random, candidates: string[]): string[] {
  return r.sample([...new Set(candidates.filter((t) => t.length > 0))], r.int(3, 5));
}

export const section = (heading: string, text: string) => `## ${heading}\n${text}\n`;
export const bullets = (items: string[]) => items.map((x) => `- ${x}`).join('\n');
export const numbered = (items: string[]) => items.map((x, i) => `${i + 1}. ${x}`).join('\n');
export const first = (list: string[]) => list[0] ?? '';
export const last = (list: string[]) => list.at(-1) ?? '';
