// DOM helpers. Strings from the API become text nodes; the only way to set
// HTML is `trustedHtml`, kept for fields the API has already made safe.

/**
 * Builds an element. String children become text nodes, never markup.
 * @param {string} tag
 * @param {Record<string, string | number | boolean | undefined>} [attrs]
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) el.append(child);
  }
  return el;
}

/**
 * An element whose content is HTML the API has already escaped: search
 * snippets and suggestions (`<mark>` only) and article sections rendered with
 * raw HTML disabled. Never pass anything else.
 * @param {string} tag
 * @param {string} className
 * @param {string} html
 */
export function trustedHtml(tag, className, html) {
  const el = document.createElement(tag);
  el.className = className;
  el.innerHTML = html;
  return el;
}

/**
 * @template {unknown[]} A
 * @param {(...args: A) => void} fn
 * @param {number} ms
 */
export function debounce(fn, ms) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @param {A} args */
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

/** Newline-separated text as lines, each its own text node with <br> between. */
export function lines(text) {
  const parts = String(text).split('\n');
  return parts.flatMap((line, i) => (i === 0 ? [line] : [document.createElement('br'), line]));
}

/** Whether keys pressed in `target` are text being typed (so page shortcuts keep off them). */
export function isTyping(target) {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}
