import { copyButton } from './copy.js';
import { h, trustedHtml } from './dom.js';
import { articleHref } from './linked-text.js';

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
 * The agent's view gives each 话术 section a copy button, as on the card.
 * `headings` names sections of a kind the page's own way (the help page says 要等多久 where agents read 升级与时效).
 * @param {{ scope: 'agent' | 'public', headingLevel: 1 | 2, meta?: (Node | string)[], headings?: Record<string, string> }} options
 */
export function renderArticle(container, article, options) {
  const title = `h${options.headingLevel}`;
  const sub = `h${options.headingLevel + 1}`;
  const sections = article.sections.map((section) => {
    const body = withoutDeadLinks(trustedHtml('div', 'article-body', section.html));
    return h(
      'section',
      {
        class: section.internal ? 'article-section is-internal' : 'article-section',
        id: section.anchor,
        'aria-labelledby': `${section.anchor}-h`,
      },
      h(
        sub,
        { id: `${section.anchor}-h`, class: 'article-section-title' },
        options.headings?.[section.kind] ?? section.heading,
        options.scope === 'agent' && section.internal
          ? h('span', { class: 'badge badge-internal' }, '内部 · 勿向客户透露')
          : null,
      ),
      body,
      options.scope === 'agent' && section.kind === 'script' && !section.internal ? scriptCopy(body) : null,
    );
  });
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

/**
 * Copies what the agent may say: the section as shown, without its internal
 * blocks (read when clicked, so it is the text on screen, in the script shown).
 * @param {HTMLElement} body
 */
function scriptCopy(body) {
  const said = () =>
    [...body.children]
      .filter((el) => !el.classList.contains('kb-internal'))
      .map((el) => (el instanceof HTMLElement ? el.innerText.trim() : ''))
      .filter(Boolean)
      .join('\n');
  return copyButton(said, '复制话术');
}

/**
 * The agent's line under an article title: product, fault type, script,
 * review state, audience, dates, owner and id.
 * @param {any} article the agent article response
 * @param {(original: boolean) => void} onScript see scriptSwitch
 */
export function agentMeta(article, onScript) {
  return [
    h('span', {}, `${article.product} · ${article.category}`),
    article.fault ? h('span', { class: 'badge badge-fault' }, FAULT_LABELS[article.fault] ?? article.fault) : null,
    article.traditional ? scriptSwitch(article.converted, onScript) : null,
    article.stale ? h('span', { class: 'badge badge-warn' }, '内容待复核') : null,
    article.audience === 'public' ? h('span', {}, '客户可见') : h('span', {}, '仅坐席可见'),
    article.updated ? h('span', {}, `更新于 ${article.updated}`) : null,
    article.reviewBy ? h('span', {}, `复核期限 ${article.reviewBy}`) : null,
    article.owner ? h('span', {}, `负责人 ${article.owner}`) : null,
    h('a', { href: articleHref(article.id), class: 'article-id' }, article.id),
  ].filter((node) => node !== null);
}

/**
 * For an article written in Traditional: says which script is shown, and the
 * other one is a click away.
 * @param {boolean} converted shown in Simplified now
 * @param {(original: boolean) => void} onScript called with true for the original, false for Simplified
 */
export function scriptSwitch(converted, onScript) {
  const button = h(
    'button',
    { type: 'button', class: 'btn btn-small script-switch' },
    converted ? '看繁体原文' : '转为简体',
  );
  button.addEventListener('click', () => onScript(converted));
  return h(
    'span',
    { class: 'script-note' },
    h('span', { class: 'badge badge-script' }, converted ? '原文繁体，已转为简体' : '繁体原文'),
    button,
  );
}

/** Links the API disabled (an article this scope cannot open) become plain text. */
function withoutDeadLinks(body) {
  for (const link of body.querySelectorAll('a[data-unavailable]')) {
    link.replaceWith(h('span', { class: 'link-unavailable' }, link.textContent ?? ''));
  }
  return body;
}
