import type { Scope } from '../engine/search-engine.js';
import type { KnowledgeBase } from '../knowledge-base.js';
import { type Article, visibleSections } from '../parse/article.js';
import { renderMarkdown } from '../parse/markdown.js';
import { isStale } from '../search/search.js';

export type ArticleSectionView = {
  anchor: string;
  heading: string;
  kind: Article['sections'][number]['kind'];
  internal: boolean;
  text: string;
  items: string[];
  html: string;
};

/** Where each scope's pages show an article (agent console, public help page). */
export const ARTICLE_URL: Record<Scope, (id: string) => string> = {
  agent: (id) => `/?article=${encodeURIComponent(id)}`,
  public: (id) => `/help/articles/${encodeURIComponent(id)}`,
};

/**
 * An article as one scope may see it. For the public scope, internal sections
 * are dropped, `::: internal` blocks are removed from the rendered HTML and
 * from the text, and links to articles the public cannot open are disabled.
 */
export function viewArticle(kb: KnowledgeBase, article: Article, scope: Scope) {
  const env = {
    scope,
    articleHref: (id: string) => (kb.getArticle(id, scope) ? ARTICLE_URL[scope](id) : null),
  };
  const sections: ArticleSectionView[] = visibleSections(article, scope).map((s) => ({
    anchor: s.anchor,
    heading: s.heading,
    kind: s.kind,
    internal: s.internal,
    text: scope === 'public' ? s.publicText : s.text,
    items: scope === 'public' ? s.publicItems : s.items,
    html: renderMarkdown(s.markdown, env),
  }));
  const base = {
    id: article.id,
    title: article.title,
    product: article.product,
    category: article.category,
    questions: article.questions,
    tags: article.tags,
    fault: article.fault,
    updated: article.updated,
    stale: isStale(article),
    sections,
  };
  if (scope === 'public') return base;
  return { ...base, audience: article.audience, owner: article.owner, reviewBy: article.reviewBy, file: article.file };
}
