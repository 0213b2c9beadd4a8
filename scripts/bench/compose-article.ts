import {
  bullets,
  type Context,
  escalation,
  first,
  internalBlock,
  internalNote,
  last,
  numbered,
  pickContext,
  questionsFor,
  script,
  section,
  steps,
  tagsFor,
} from './article-parts.js';
import { composeService } from './compose-service.js';
import type { Random } from './random.js';
import { CATEGORIES, CHANNELS, CLOSERS, type Domain, FAULT_LABEL, OPENERS } from './vocabulary.js';

/**
 * One synthetic article in the trainers' format (README "怎么写文章"): front
 * matter plus H2 sections with the conventional headings. The text is built
 * from the domain's vocabulary so that sections read like the sample content
 * and the index sees a realistic spread of terms.
 */

export type ArticleKind = 'fault' | 'process' | 'faq' | 'policy' | 'service';

export type Draft = {
  id: string;
  title: string;
  product: string;
  category: string;
  audience: 'public' | 'internal';
  questions: string[];
  tags: string[];
  owner: string;
  fault?: string;
  updated: string;
  reviewBy: string;
  /** Markdown body: H2 sections. */
  body: string;
};

/** An earlier article of the same product that this one may link to. */
export type LinkTarget = { id: string; title: string; audience: Draft['audience'] };

const DAY_MS = 86_400_000;
const FIRST_UPDATE = Date.UTC(2025, 8, 1);

export function composeArticle(input: {
  r: Random;
  id: string;
  kind: ArticleKind;
  domain: Domain;
  audience: Draft['audience'];
  link?: LinkTarget;
}): Draft {
  const { r, kind, domain } = input;
  const base = { id: input.id, audience: input.audience, ...reviewDates(r) };
  if (kind === 'service') return { ...base, ...composeService(r, input.link) };
  const c = pickContext(r, domain);
  const compose = { fault: composeFault, process: composeProcess, faq: composeFaq, policy: composePolicy }[kind];
  return { ...base, product: domain.product, owner: domain.owner, ...compose(r, c, input.link) };
}

type Parts = Pick<Draft, 'title' | 'category' | 'questions' | 'tags' | 'body'> & { fault?: string };

function composeFault(r: Random, c: Context, link?: LinkTarget): Parts {
  const fault = r.pick(c.d.faults.slice(0, r.int(1, c.d.faults.length)));
  const titles = [
    `${c.device}${c.symptom}`,
    `${c.model} 型${c.device}${c.symptom}`,
    `${c.device}${c.symptom}（错误码 ${c.code}）`,
    `${c.device}${c.part}异常：${c.symptom}`,
  ];
  const title = r.pick(titles);
  const sections = [
    section(
      '一句话答案',
      `${c.device}${c.symptom}多为${first(c.causes)}，属${FAULT_LABEL[fault as keyof typeof FAULT_LABEL]}问题；先请客户${first(c.checks)}，仍未恢复的转${c.team}，${c.times[0]}。`,
    ),
    section(
      '现象',
      bullets([
        `客户反映${c.device}${c.symptom}，${c.part}状态异常；`,
        `“${c.talk}”，${r.pick(['重启后短时间内恢复又再次出现', '客户已自行断电试过，没有效果', '已经持续两三天', '家里其他设备都正常', '上周刚报修过一次'])}；`,
        `多在${r.pick(['晚上用网高峰', '雨天', '停电来电后', '刚搬家后', '设备使用三年以上', '系统升级后'])}出现，${r.pick(['持续十几分钟', '一天出现好几次', '一直没有恢复', '断断续续'])}；`,
        ...(r.chance(0.6) ? [`显示屏或 App 提示错误码 ${c.code}，${r.pick(CHANNELS)}里同时有告警记录。`] : []),
      ]),
    ),
    section(
      '原因',
      numbered(c.causes.map((x) => `${x}；`)) +
        (r.chance(0.5) ? `\n同一批次或同一区域集中报障时，多为${last(c.causes)}，按批量故障处理。` : ''),
    ),
    section('处理步骤', steps(r, c, link)),
    section('话术', script(r, c)),
    ...(r.chance(0.3) ? [internalBlock(r, c)] : []),
    escalation(r, c),
    ...(r.chance(0.6) ? [section('内部备注', internalNote(r, c))] : []),
  ];
  return {
    title,
    category: CATEGORIES.fault,
    fault,
    questions: questionsFor(r, [
      `${c.device}${c.symptom}怎么办`,
      c.talk,
      `${c.device}${c.part}不正常是不是坏了`,
      `显示${c.code}是什么意思`,
      `我家${c.device}老是${c.symptom}`,
      `${c.symptom}多久能修好`,
    ]),
    tags: tagsFor(r, [c.device, c.part, c.code, c.symptom.slice(0, 4), c.d.product]),
    body: sections.join('\n'),
  };
}

function composeProcess(r: Random, c: Context, link?: LinkTarget): Parts {
  const fee = r.int(2, 40) * 10;
  const title = r.pick([
    `${c.device}${c.process}办理流程`,
    `如何办理${c.process}（${c.device}）`,
    `${c.process}：条件、费用与时效`,
    `${c.model} ${c.device}${c.process}须知`,
  ]);
  const sections = [
    section(
      '一句话答案',
      `${c.process}通过${r.pick(CHANNELS)}或由坐席建“${c.ticket}”工单办理，${c.times[0]}、${c.times[1]}；标准服务${r.chance(0.5) ? '免费' : `收费 ${fee} 元`}，需提前 ${r.int(1, 5)} 天预约。`,
    ),
    section(
      '适用范围',
      `适用于已开通${c.d.product}业务、账户无欠费的客户；${c.device}在保修期内的，${c.process}不影响原有保修。跨城市${c.process}不受理，可协助办理拆机后在新城市重新预约。`,
    ),
    section('办理流程', steps(r, c, link)),
    section('话术', script(r, c)),
    escalation(r, c),
    ...(r.chance(0.5)
      ? [
          section(
            '注意事项',
            bullets([
              `上门前 ${r.int(6, 24)} 小时可免费改约，在原工单点“改约”，不要新建工单；`,
              `超出标准范围的材料按价目表收费，师傅须先报价、客户同意后施工。`,
            ]),
          ),
        ]
      : []),
    ...(r.chance(0.5) ? [section('内部备注', internalNote(r, c))] : []),
  ];
  return {
    title,
    category: CATEGORIES.process,
    questions: questionsFor(r, [
      `${c.process}怎么办理`,
      `${c.device}${c.process}要多少钱`,
      `${c.process}要等几天`,
      `想改一下${c.process}的时间`,
      `${c.process}需要带什么`,
    ]),
    tags: tagsFor(r, [c.process, c.device, '预约', '收费标准', c.d.product]),
    body: sections.join('\n'),
  };
}

function composeFaq(r: Random, c: Context, link?: LinkTarget): Parts {
  const title = r.pick([`${c.talk}`, `${c.device}${c.symptom}是怎么回事`, `为什么${c.device}会${c.symptom}`]);
  const sections = [
    section(
      '一句话答案',
      `多数情况下是${first(c.causes)}，客户自己${first(c.checks)}即可恢复；仍不行再报修，${c.times[0]}。`,
    ),
    section(
      '问题描述',
      `客户来电说“${c.talk}”，多发生在${r.pick(['雨季', '夏季用电高峰', '晚上七点以后', '设备使用三年以上', '刚搬家或刚装修后'])}。`,
    ),
    section('原因', numbered(c.causes.map((x) => `${x}；`))),
    section('处理步骤', steps(r, c, link)),
    section('话术', script(r, c)),
    escalation(r, c),
  ];
  return {
    title,
    category: CATEGORIES.faq,
    questions: questionsFor(r, [
      c.talk,
      `${c.device}为什么${c.symptom}`,
      `${c.symptom}正常吗`,
      `${c.device}${c.symptom}自己能弄好吗`,
    ]),
    tags: tagsFor(r, [c.device, c.symptom.slice(0, 4), c.part, c.d.product]),
    body: sections.join('\n'),
  };
}

function composePolicy(r: Random, c: Context, link?: LinkTarget): Parts {
  const years = r.int(1, 10);
  const price = r.int(3, 60) * 10;
  const sections = [
    section(
      '一句话答案',
      `${c.d.product}${c.policy}：${c.device}保修 ${years} 年，从安装完工日起算；保内上门、配件、人工全免费，保外检测费 ${price} 元（维修时抵扣）。`,
    ),
    section(
      '政策说明',
      [
        '| 项目 | 期限或标准 | 说明 |',
        '|---|---|---|',
        `| ${c.device} | ${years} 年 | 含上门费、人工、配件 |`,
        `| ${c.part} | ${Math.max(1, years - 1)} 年 | 第 ${years} 年起人工费 ${price} 元 |`,
        `| ${c.process} | ${c.times[2]} | 按${c.policy}执行 |`,
      ].join('\n'),
    ),
    section(
      '办理流程',
      numbered([
        `核对订单号或机身条码，CRM 会显示${c.device}的保修状态和剩余天数；`,
        `保内：直接建“${c.ticket}”工单，备注“保内”；`,
        `保外：告知检测费 ${price} 元（维修时抵扣），配件按价目表，师傅上门先报价；`,
        ...(link ? [`涉及${c.process}的，按[${link.title}](kb:${link.id})办理；`] : []),
        `客户对${c.policy}有异议的，建“${c.ticket}”工单并备注“政策争议”。`,
      ]),
    ),
    section(
      '话术',
      `“${r.pick(OPENERS)}您的${c.device}还在 ${years} 年保修期内，这次上门检测和维修都是免费的，您不用准备发票，师傅核对机身条码就可以。${r.pick(CLOSERS)}”`,
    ),
    ...(r.chance(0.5) ? [internalBlock(r, c)] : []),
    escalation(r, c),
  ];
  return {
    title: r.pick([`${c.d.product}${c.policy}`, `${c.policy}说明（${c.model}）`, `${c.device}${c.policy}`]),
    category: CATEGORIES.policy,
    questions: questionsFor(r, [
      `${c.device}保修几年`,
      `${c.policy}是怎么规定的`,
      `过了保修期${c.process}要钱吗`,
      `发票丢了还能${c.process}吗`,
    ]),
    tags: tagsFor(r, [c.policy, '保修', c.device, c.d.product]),
    body: sections.join('\n'),
  };
}

/** Last update within about fifteen months, review a year later: some two in ten are past their review date. */
export function reviewDates(r: Random): Pick<Draft, 'updated' | 'reviewBy'> {
  const updated = FIRST_UPDATE + r.int(0, 440) * DAY_MS;
  return { updated: isoDate(updated), reviewBy: isoDate(updated + 365 * DAY_MS) };
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
