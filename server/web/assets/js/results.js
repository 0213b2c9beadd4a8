import { h, trustedHtml } from './dom.js';

/**
 * The result list (role=option items inside the listbox). The snippet is the
 * API's escaped HTML with <mark>; titles and labels are text.
 * @param {HTMLElement} list
 * @param {any[]} hits
 */
export function renderResults(list, hits) {
  list.replaceChildren(
    ...hits.map((hit, i) =>
      h(
        'div',
        {
          role: 'option',
          id: `kb-hit-${i}`,
          class: 'hit',
          'aria-selected': 'false',
          'data-id': hit.id,
          'data-anchor': hit.section.anchor,
        },
        h('span', { class: 'hit-title' }, hit.title),
        h(
          'span',
          { class: 'meta hit-meta' },
          h('span', {}, `${hit.product} · ${hit.category}`),
          h('span', {}, hit.section.heading),
          hit.stale ? h('span', { class: 'badge badge-warn' }, '内容待复核') : null,
        ),
        trustedHtml('span', 'hit-snippet', hit.section.snippet),
      ),
    ),
  );
}

/**
 * Product and category chips from the products and categories present in the
 * hits; the active filter stays visible (pressed) so it can be turned off.
 * @param {HTMLElement} container
 * @param {any[]} hits
 * @param {{ product: string, category: string }} active
 * @param {(field: 'product' | 'category', value: string) => void} onToggle
 */
export function renderFilters(container, hits, active, onToggle) {
  /** @param {'product' | 'category'} field @param {string} label */
  const group = (field, label) => {
    const values = [...new Set([active[field], ...hits.map((hit) => hit[field])].filter(Boolean))];
    if (values.length === 0) return null;
    return h(
      'div',
      { class: 'chip-group', role: 'group', 'aria-label': `按${label}筛选` },
      h('span', { class: 'chip-label', 'aria-hidden': 'true' }, `${label}：`),
      ...values.map((value) => {
        const pressed = active[field] === value;
        const chip = h(
          'button',
          { type: 'button', class: 'btn chip', 'aria-pressed': String(pressed), 'data-chip': `${field}:${value}` },
          value,
        );
        chip.addEventListener('click', () => onToggle(field, value));
        return chip;
      }),
    );
  };
  container.replaceChildren(...[group('product', '产品'), group('category', '分类')].filter((g) => g !== null));
}
