import { h, trustedHtml } from './dom.js';

export const FAULT_LABELS = {
  software: '软件问题',
  hardware: '硬件故障',
  network: '线路问题',
  mixed: '软硬件混合',
};

/**
 * Renders an article from the API into `container`. Section HTML is the
 * API's own rendering (raw HTML disabled); every other field is text.
 * Agent scope marks internal sections; the public API has already removed them.
 * @param {HTMLElement} container
 * @param {any} article the agent or public article response
 * @param {{ scope: 'agent' | 'public', headingLevel: 1 | 2, meta?: (Node | string)[] }} options
 */
export function renderArticle(container, article, options) {
  const title = `h${options.headingLevel}`;
  const sub = `h${options.headingLevel + 1}`;
  const sections = article.sections.map((section) =>
    h(
      'section',
      {
        class: section.internal ? 'article-section is-internal' : 'article-section',
        id: section.anchor,
        'aria-labelledby': `${section.anchor}-h`,
      },
      h(
        sub,
        { id: `${section.anchor}-h`, class: 'article-section-title' },
        section.heading,
        options.scope === 'agent' && section.internal
          ? h('span', { class: 'badge badge-internal' }, '内部 · 勿向客户透露')
          : null,
      ),
      withoutDeadLinks(trustedHtml('div', 'article-body', section.html)),
    ),
  );
  container.replaceChildren(
    h(
      'header',
      { class: 'article-head' },
      h(title, { class: 'article-title', id: `article-${article.id}-title` }, article.title),
      h('p', { class: 'meta' }, ...(options.meta ?? [])),
    ),
    ...sections,
  );
  container.setAttribute('aria-labelledby', `article-${article.id}-title`);
  container.dataset.articleId = article.id;
}

/** Links the API disabled (an article this scope cannot open) become plain text. */
function withoutDeadLinks(body) {
  for (const link of body.querySelectorAll('a[data-unavailable]')) {
    link.replaceWith(h('span', { class: 'link-unavailable' }, link.textContent ?? ''));
  }
  return body;
}
