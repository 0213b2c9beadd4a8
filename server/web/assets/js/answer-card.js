import { FAULT_LABELS } from './article-view.js';
import { copyText } from './copy.js';
import { h, lines, trustedHtml } from './dom.js';
import { feedbackControls } from './feedback.js';

// Durations in escalation text ("24 小时内", "3 个工作日") are what the agent
// reads out; they are set in bold so the eye finds them first.
const DURATION = /(\d+(?:\.\d+)?\s*(?:个)?(?:工作日|小时|分钟|天|周|个月|月)内?)/;

/** Article links in the console open the article in the console. */
export const articleHref = (id) => `/?article=${encodeURIComponent(id)}`;

/**
 * The answer card: one-line answer, what/why, numbered steps, the script with
 * a copy button, escalation with its time limits, fault type, alternatives.
 * @param {HTMLElement} card
 * @param {any} data the /v1/answer response
 * @param {string} query
 */
export function renderAnswerCard(card, data, query) {
  const a = data.answer;
  if (!a) {
    card.replaceChildren(
      h('h2', { class: 'card-title', id: 'kb-answer-title' }, '没有找到答案'),
      h('p', {}, '换个说法试试：用客户描述的现象（如“红灯”“滴水”）、错误码或产品名搜索。'),
    );
    card.dataset.articleId = '';
    return;
  }
  const parts = [
    h(
      'header',
      { class: 'card-head' },
      h(
        'p',
        { class: 'meta' },
        h('span', {}, `${a.product} · ${a.category}`),
        a.fault ? h('span', { class: 'badge badge-fault' }, FAULT_LABELS[a.fault] ?? a.fault) : null,
        a.stale ? h('span', { class: 'badge badge-warn' }, '内容待复核') : null,
      ),
      h('h2', { class: 'card-title', id: 'kb-answer-title' }, h('a', { href: articleHref(a.articleId) }, a.title)),
    ),
    data.confident
      ? null
      : h(
          'p',
          { class: 'notice notice-warn card-unsure' },
          h('strong', {}, '没有把握：'),
          '这条答案不一定对得上客户的问题，先核对下方备选或换个说法。',
        ),
    h('p', { class: 'card-summary' }, a.summary),
    facts(a),
    a.steps.length > 0
      ? block('处理步骤', 'steps', h('ol', { class: 'card-steps' }, ...a.steps.map((step) => h('li', {}, step))))
      : null,
    a.script ? scriptBlock(a.script) : null,
    a.escalation ? escalationBlock(a.escalation) : null,
    data.alternatives.length > 0 ? alternativesBlock(data.alternatives) : null,
    feedbackControls({ query, articleId: a.articleId }),
  ].filter((node) => node !== null);
  card.replaceChildren(...parts);
  card.dataset.articleId = a.articleId;
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

function block(title, name, ...content) {
  return h(
    'section',
    { class: `card-block card-block-${name}`, 'aria-labelledby': `kb-card-${name}` },
    h('h3', { id: `kb-card-${name}` }, title),
    ...content,
  );
}

function scriptBlock(script) {
  const status = h('span', { class: 'copy-status', role: 'status' });
  const button = h('button', { type: 'button', class: 'btn btn-primary copy-script' }, '复制话术');
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  button.addEventListener('click', async () => {
    const copied = await copyText(script);
    status.textContent = copied ? '已复制' : '复制失败，请手动选中文字复制';
    clearTimeout(timer);
    timer = setTimeout(() => {
      status.textContent = '';
    }, 3000);
  });
  return block(
    '话术',
    'script',
    h('blockquote', { class: 'card-script-text' }, ...lines(script)),
    h('div', { class: 'copy-row' }, button, status),
  );
}

function escalationBlock(escalation) {
  const items = escalation.items.length > 0 ? escalation.items : escalation.text.split('\n').filter(Boolean);
  return block('升级与时效', 'escalation', h('ul', { class: 'card-escalation' }, ...items.map(escalationItem)));
}

/** "时限：24 小时内联系" → a bold label, then the text with durations in bold. */
function escalationItem(text) {
  const label = /^([^：:]{1,12})[：:]/.exec(text);
  const rest = label ? text.slice(label[0].length) : text;
  const parts = rest.split(DURATION).map((part, i) => (i % 2 === 1 ? h('strong', { class: 'duration' }, part) : part));
  return h('li', {}, label ? h('span', { class: 'esc-label' }, `${label[1]}：`) : null, ...parts);
}

function alternativesBlock(alternatives) {
  return block(
    '备选',
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
