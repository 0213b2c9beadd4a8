import { h } from './dom.js';

/**
 * Article links in the console open the article in the console.
 * @param {string} id @param {string} [anchor]
 */
export const articleHref = (id, anchor) => `/?article=${encodeURIComponent(id)}${anchor ? `#${anchor}` : ''}`;

/**
 * Text of a card field with its `kb:` links made links again: the answer
 * carries each link as { text, articleId, anchor }, and the first place that
 * text appears in a line becomes an <a> to the article (opened in place by the
 * console's click handler). Everything stays text nodes; nothing is parsed as HTML.
 * @param {string} text
 * @param {{ text: string, articleId: string, anchor?: string }[]} links
 * @returns {(Node | string)[]}
 */
export function linkedText(text, links) {
  /** @type {(Node | string)[]} */
  let parts = [text];
  // Longer link texts first, so "光猫重启方法" is not cut by a shorter "光猫".
  const byLength = [...links].filter((l) => l.text).sort((a, b) => b.text.length - a.text.length);
  for (const link of byLength) {
    parts = parts.flatMap((part) => {
      if (typeof part !== 'string') return [part];
      const at = part.indexOf(link.text);
      if (at < 0) return [part];
      const anchor = h('a', { href: articleHref(link.articleId, link.anchor), class: 'card-link' }, link.text);
      return [part.slice(0, at), anchor, part.slice(at + link.text.length)].filter((p) => p !== '');
    });
  }
  return parts;
}
