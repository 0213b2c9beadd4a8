import type Token from 'markdown-it/lib/token.mjs';
import type { Section } from '../parse/article.js';
import { articleLinkTarget, md } from '../parse/markdown.js';

/** A `kb:` link as written in a section: its text (as it reads in the section's plain text) and its target. */
export type ArticleLink = { text: string; articleId: string; anchor?: string };

/**
 * The `kb:` links in some sections, in order, each text and target once. The
 * answer card carries its text as plain strings; with these, a page can make
 * "方法见 光猫重启方法" a link to that article again.
 */
export function articleLinks(sections: Array<Section | undefined>): ArticleLink[] {
  const links: ArticleLink[] = [];
  const seen = new Set<string>();
  for (const section of sections) {
    if (!section) continue;
    for (const token of md.parse(section.markdown, {})) {
      if (token.type !== 'inline') continue;
      for (const link of linksIn(token.children ?? [])) {
        const key = `${link.text}\u0000${link.articleId}`;
        if (link.text && !seen.has(key)) {
          seen.add(key);
          links.push(link);
        }
      }
    }
  }
  return links;
}

function linksIn(children: Token[]): ArticleLink[] {
  const links: ArticleLink[] = [];
  let open: ArticleLink | undefined;
  for (const child of children) {
    if (child.type === 'link_open') {
      const href = child.attrGet('href') ?? '';
      const articleId = articleLinkTarget(href);
      const anchor = href.split('#')[1];
      open = articleId ? { text: '', articleId, ...(anchor ? { anchor } : {}) } : undefined;
    } else if (child.type === 'link_close') {
      if (open) links.push({ ...open, text: open.text.trim() });
      open = undefined;
    } else if (open && (child.type === 'text' || child.type === 'code_inline')) {
      open.text += child.content;
    }
  }
  return links;
}
