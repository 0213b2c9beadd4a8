import { request } from './api.js';
import { h } from './dom.js';

const COMMENT_MAX = 500;

/**
 * 有帮助 / 没帮助 for one (query, article), posted to /v1/feedback where it
 * feeds the trainers' gap report. 没帮助 first asks for a short reason (one
 * line, optional: Enter sends, 不填了 sends without it). A failure just says
 * so, quietly; the page keeps working.
 * @param {{ query: string, articleId: string }} target
 */
export function feedbackControls({ query, articleId }) {
  const status = h('span', { class: 'feedback-status', role: 'status' });
  const yes = h('button', { type: 'button', class: 'btn', 'aria-pressed': 'false' }, '有帮助');
  const no = h('button', { type: 'button', class: 'btn', 'aria-pressed': 'false', 'aria-expanded': 'false' }, '没帮助');
  const reason = /** @type {HTMLInputElement} */ (
    h('input', {
      type: 'text',
      class: 'feedback-comment',
      maxlength: COMMENT_MAX,
      placeholder: '哪里不对、缺了什么？（可不填）',
      'aria-label': '没帮助的原因',
    })
  );
  const skip = h('button', { type: 'button', class: 'btn' }, '不填了');
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'feedback-form', hidden: true },
      reason,
      h('button', { type: 'submit', class: 'btn btn-primary' }, '提交'),
      skip,
    )
  );

  /** @param {boolean} helpful @param {string} [comment] */
  async function send(helpful, comment) {
    yes.disabled = true;
    no.disabled = true;
    form.hidden = true;
    no.setAttribute('aria-expanded', 'false');
    try {
      const body = comment ? { query, articleId, helpful, comment } : { query, articleId, helpful };
      await request('/v1/feedback', { body, agent: true });
      (helpful ? yes : no).setAttribute('aria-pressed', 'true');
      status.textContent = comment ? '谢谢，已记录原因' : '谢谢，已记录';
    } catch {
      yes.disabled = false;
      no.disabled = false;
      status.textContent = '反馈没有保存，请稍后再试';
    }
  }
  yes.addEventListener('click', () => send(true));
  no.addEventListener('click', () => {
    form.hidden = false;
    no.setAttribute('aria-expanded', 'true');
    status.textContent = '';
    reason.focus();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(false, reason.value.trim().slice(0, COMMENT_MAX));
  });
  skip.addEventListener('click', () => send(false));
  // Esc closes the reason box (and does not clear the whole console behind it).
  reason.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    form.hidden = true;
    no.setAttribute('aria-expanded', 'false');
    no.focus();
  });
  return h(
    'div',
    { class: 'feedback', role: 'group', 'aria-label': '这条答案有没有帮助' },
    h('span', { class: 'feedback-label' }, '这条答案：'),
    yes,
    no,
    status,
    form,
  );
}
