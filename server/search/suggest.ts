import type { Scope } from '../engine/search-engine.js';
import type { SuggestEntry } from '../index/suggest-index.js';
import type { KnowledgeBase } from '../knowledge-base.js';
import { buildSnippet } from './snippet.js';

export type Suggestion = SuggestEntry & {
  /** Same text, HTML-escaped, with the typed words marked. */
  highlighted: string;
};

/**
 * Type-ahead for one scope: the typed words of `q` (the last one as a
 * prefix) looked up in the knowledge base's type-ahead index of titles and
 * similar questions (index/suggest-index.ts), each with the words marked.
 */
export async function suggest(kb: KnowledgeBase, q: string, scope: Scope, limit: number): Promise<Suggestion[]> {
  const query = kb.analyzer.analyzeQuery(q);
  const typed = query.terms.filter((t) => t.origin === 'query').map((t) => t.term);
  if (typed.length === 0) return [];
  const entries = await kb.suggestIndex.search(scope, typed, limit);
  return entries.map(({ text, kind, articleId, title }) => ({
    text,
    highlighted: buildSnippet(text, typed, 200),
    kind,
    articleId,
    title,
  }));
}
