import { FAULT_LABELS, scriptSwitch } from './article-view.js';
import { copyButton } from './copy.js';
import { h, lines, trustedHtml } from './dom.js';
import { feedbackControls } from './feedback.js';
import { articleHref, linkedText } from './linked-text.js';

// Durations in escalation text ("24 小时内", "3 个工作日") are what the agent
// reads out; they are set in bold so the eye finds them first.
const DURATION = /(\d+(?:\.\d+)?\s*(?:个)?(?:工作日|小时|分钟|天|周|个月|月)内?)/;

export { articleHref };

/**
 * The answer card, in the order an agent on a call needs it: the one-line
 * answer, the words to say (with a copy button), the steps, who takes over and
 * how long the customer waits; symptom and cause after, then alternatives.
 * @param {HTMLElement} card
 * @param {any} data the /v1/answer response
 * @param {string} query
 * @param {{ onScript?: (original: boolean) => void }} [options] shows the Traditional/Simplified switch
 */
export function renderAnswerCard(card, data, query, options = {}) {
  const a = data.answer;
  // `noGoodMatch` comes with the relevance work; until then a missing field is not "no match".
  if (data.noGoodMatch === true || !a) {
    card.replaceChildren(...noAnswer(data));
    card.dataset.articleId = '';
    card.dataset.state = data.noGoodMatch === true ? 'no-good-match' : 'no-answer';
    return;
  }
  const links = a.links ?? [];
  const parts = [
    h(
      'header',
      { class: 'card-head' },
      h('h2', { class: 'card-title', id: 'kb-answer-title' }, h('a', { href: articleHref(a.articleId) }, a.title)),
      h(
        'p',
        { class: 'meta card-meta' },
        h('span', {}, `${a.product} · ${a.category}`),
        a.fault ? h('span', { class: 'badge badge-fault' }, FAULT_LABELS[a.fault] ?? a.fault) : null,
        a.stale ? h('span', { class: 'badge badge-warn' }, '内容待复核') : null,
        a.traditional && options.onScript ? scriptSwitch(a.converted, options.onScript) : null,
      ),
    ),
    data.confident
      ? null
      : h(
          'p',
          { class: 'notice notice-warn card-unsure' },
          h('strong', {}, '没有把握：'),
          '这条答案不一定对得上客户的问题，先核对下方备选或换个说法。',
        ),
    h('p', { class: 'card-summary' }, ...linkedText(a.summary, links)),
    h(
      'div',
      { class: 'card-now' },
      a.script ? scriptBlock(a.script) : null,
      a.steps.length > 0
        ? block(
            '处理步骤',
            'steps',
            h('ol', { class: 'card-steps' }, ...a.steps.map((step) => h('li', {}, ...linkedText(step, links)))),
          )
        : null,
      a.escalation ? escalationBlock(a.escalation, links) : null,
    ),
    facts(a),
    data.alternatives.length > 0 ? alternativesBlock('备选', data.alternatives) : null,
    feedbackControls({ query, articleId: a.articleId }),
  ].filter((node) => node !== null);
  card.replaceChildren(...parts);
  card.dataset.articleId = a.articleId;
  card.dataset.state = 'answer';
}

/** No card: say so plainly; loosely related articles are offered as such, never as the answer. */
function noAnswer(data) {
  const alternatives = data.alternatives ?? [];
  const unsure = data.noGoodMatch === true;
  return [
    h('h2', { class: 'card-title', id: 'kb-answer-title' }, unsure ? '没有找到可靠答案' : '没有找到答案'),
    h(
      'p',
      { class: 'card-none' },
      unsure
        ? '知识库里没有能回答这个问题的文章。不要照着不相关的文章回答客户：换个说法再搜（用现象、错误码或产品名），或按升级流程转人工处理。'
        : '换个说法试试：用客户描述的现象（如“红灯”“滴水”）、错误码或产品名搜索。',
    ),
    alternatives.length > 0 ? alternativesBlock(unsure ? '可能相关' : '备选', alternatives) : null,
  ].filter((node) => node !== null);
}

function facts(a) {
  if (!a.symptom && !a.cause) return null;
  return h(
    'dl',
    { class: 'card-facts' },
    ...(a.symptom ? [h('dt', {}, '现象'), h('dd', {}, ...lines(a.symptom))] : []),
    ...(a.cause ? [h('dt', {}, '原因'), h('dd', {}, ...lines(a.cause))] : []),
  );
}

/** A block: its name (and any control, like the copy button) in a narrow column beside its content. */
function block(title, name, content, ...controls) {
  return h(
    'section',
    { class: `card-block card-block-${name}`, 'aria-labelledby': `kb-card-${name}` },
    h('div', { class: 'card-block-label' }, h('h3', { id: `kb-card-${name}` }, title), ...controls),
    h('div', { class: 'card-block-body' }, content),
  );
}

function scriptBlock(script) {
  return block(
    '话术',
    'script',
    h('blockquote', { class: 'card-script-text' }, ...lines(script)),
    copyButton(script, '复制话术'),
  );
}

function escalationBlock(escalation, links) {
  const items = escalation.items.length > 0 ? escalation.items : escalation.text.split('\n').filter(Boolean);
  return block(
    '升级与时效',
    'escalation',
    h('ul', { class: 'card-escalation' }, ...items.map((item) => escalationItem(item, links))),
  );
}

/** "时限：24 小时内联系" → a bold label, then the text with durations in bold. */
function escalationItem(text, links) {
  const label = /^([^：:]{1,12})[：:]/.exec(text);
  const rest = label ? text.slice(label[0].length) : text;
  const parts = rest
    .split(DURATION)
    .flatMap((part, i) => (i % 2 === 1 ? [h('strong', { class: 'duration' }, part)] : linkedText(part, links)));
  return h('li', {}, label ? h('span', { class: 'esc-label' }, `${label[1]}：`) : null, ...parts);
}

function alternativesBlock(title, alternatives) {
  return block(
    title,
    'alternatives',
    h(
      'ul',
      { class: 'card-alternatives' },
      ...alternatives.map((hit) =>
        h(
          'li',
          {},
          h('a', { href: articleHref(hit.id), class: 'alt-title' }, hit.title),
          hit.stale ? h('span', { class: 'badge badge-warn' }, '内容待复核') : null,
          trustedHtml('span', 'alt-snippet', hit.section.snippet),
        ),
      ),
    ),
  );
}
