import { request } from './api.js';
import { h } from './dom.js';

/**
 * 有帮助 / 没帮助 for one (query, article), posted to /v1/feedback where it
 * feeds the trainers' gap report. A failure just says so, quietly; the page keeps working.
 * @param {{ query: string, articleId: string }} target
 */
export function feedbackControls({ query, articleId }) {
  const status = h('span', { class: 'feedback-status', role: 'status' });
  const yes = h('button', { type: 'button', class: 'btn', 'aria-pressed': 'false' }, '有帮助');
  const no = h('button', { type: 'button', class: 'btn', 'aria-pressed': 'false' }, '没帮助');

  /** @param {boolean} helpful */
  async function send(helpful) {
    yes.disabled = true;
    no.disabled = true;
    try {
      await request('/v1/feedback', { body: { query, articleId, helpful }, agent: true });
      (helpful ? yes : no).setAttribute('aria-pressed', 'true');
      status.textContent = '谢谢，已记录';
    } catch {
      yes.disabled = false;
      no.disabled = false;
      status.textContent = '反馈没有保存，请稍后再试';
    }
  }
  yes.addEventListener('click', () => send(true));
  no.addEventListener('click', () => send(false));
  return h(
    'div',
    { class: 'feedback', role: 'group', 'aria-label': '这条答案有没有帮助' },
    h('span', { class: 'feedback-label' }, '这条答案：'),
    yes,
    no,
    status,
  );
}
