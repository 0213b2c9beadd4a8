import { bullets, numbered, section } from './article-parts.js';
import type { Draft, LinkTarget } from './compose-article.js';
import type { Random } from './random.js';
import { CATEGORIES, CLOSERS, NEXT_STEPS, OPENERS, SERVICE, TIME_LIMITS } from './vocabulary.js';

/** A 服务规范 article: how agents behave at a given moment, not a product fault. */
export function composeService(r: Random, link?: LinkTarget): Omit<Draft, 'id' | 'audience' | 'updated' | 'reviewBy'> {
  const topic = r.pick(SERVICE.topics);
  const moment = r.pick(SERVICE.moments);
  const times = r.sample(TIME_LIMITS, 2);
  const sections = [
    section(
      '一句话答案',
      `${moment}按${topic}要求处理：先确认客户诉求，再给出明确方案和时限（${times[0]}），不推诿、不承诺做不到的事。`,
    ),
    section(
      '操作步骤',
      numbered([
        '核验客户身份，复述客户诉求并确认理解无误；',
        `按${topic}要求记录在工单“处理过程”字段，写清时间、结论和下一步；`,
        `需要其他部门处理的，当场建单转派，并告知客户${times[1]}；`,
        `${link ? `涉及升级的，按[${link.title}](kb:${link.id})处理；` : '涉及升级的，报班组长决定；'}`,
        '结束通话前再次确认客户没有其他问题。',
      ]),
    ),
    section(
      '话术',
      `“${r.pick(OPENERS)}您反映的问题我已经记录下来了，会按规定${times[0]}给您答复。${r.pick(CLOSERS)}”`,
    ),
    section('注意事项', `严禁使用服务红线用语；${moment}语速放慢、音量平稳，不打断客户。`),
    section(
      '升级与时效',
      bullets([`转派：班组长或客服经理；`, `时限：${times[0]}；`, `客户下一步会经历：${r.pick(NEXT_STEPS)}。`]),
    ),
    ...(r.chance(0.6)
      ? [section('内部备注', `质检按${topic}抽检，每月不少于 ${r.int(5, 30)} 通；违规一次扣 ${r.int(1, 5)} 分。`)]
      : []),
  ];
  return {
    title: r.pick([`${topic}规范：${moment}怎么做`, `${topic}（${moment}）`, `${moment}的${topic}要求`]),
    product: SERVICE.product,
    category: CATEGORIES.service,
    owner: SERVICE.owner,
    questions: r.sample(
      [`${topic}怎么做`, `${moment}该说什么`, `${topic}有什么要求`, `客户不满意${topic}怎么办`],
      r.int(3, 4),
    ),
    tags: [topic, '服务规范', moment.slice(0, 4)],
    body: sections.join('\n'),
  };
}
