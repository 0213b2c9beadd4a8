import MiniSearch from 'minisearch';
import type { Scope } from '../engine/search-engine.js';
import type { KnowledgeBase } from '../knowledge-base.js';
import { buildSnippet } from './snippet.js';

export type Suggestion = {
  /** The suggested text, as written by the trainer. */
  text: string;
  /** Same text, HTML-escaped, with the typed words marked. */
  highlighted: string;
  kind: 'title' | 'question';
  articleId: string;
  title: string;
};

type Entry = { id: number; text: string; terms: string; kind: Suggestion['kind']; articleId: string; title: string };

const indexes = new WeakMap<KnowledgeBase, { version: number; byScope: Map<Scope, MiniSearch<Entry>> }>();

/**
 * Type-ahead over titles and similar questions. Built lazily from the
 * articles the scope may see (so a public suggestion can only ever be a public
 * article's title or question), and rebuilt when the knowledge base changes.
 */
export function suggest(kb: KnowledgeBase, q: string, scope: Scope, limit: number): Suggestion[] {
  const query = kb.analyzer.analyzeQuery(q);
  const typed = query.terms.filter((t) => t.origin === 'query').map((t) => t.term);
  if (typed.length === 0) return [];
  const index = suggestIndex(kb, scope);
  const last = typed.at(-1);
  const options = { prefix: (term: string) => term === last, tokenize: (s: string) => s.split(' ') };
  // Every typed word must appear; if nothing has them all, fall back to any, best first.
  let results = index.search(typed.join(' '), { ...options, combineWith: 'AND' });
  if (results.length === 0) results = index.search(typed.join(' '), options);
  const seen = new Set<string>();
  const out: Suggestion[] = [];
  for (const r of results) {
    const text = r.text as string;
    if (seen.has(text)) continue;
    seen.add(text);
    out.push({
      text,
      highlighted: buildSnippet(text, typed, 200),
      kind: r.kind as Suggestion['kind'],
      articleId: r.articleId as string,
      title: r.title as string,
    });
    if (out.length >= limit) break;
  }
  return out;
}

function suggestIndex(kb: KnowledgeBase, scope: Scope): MiniSearch<Entry> {
  let cached = indexes.get(kb);
  if (!cached || cached.version !== kb.version) {
    cached = { version: kb.version, byScope: new Map() };
    indexes.set(kb, cached);
  }
  const existing = cached.byScope.get(scope);
  if (existing) return existing;
  const index = new MiniSearch<Entry>({
    fields: ['terms'],
    storeFields: ['text', 'kind', 'articleId', 'title'],
    tokenize: (s) => s.split(' '),
    processTerm: (t) => t || null,
  });
  let id = 0;
  for (const article of kb.articles(scope)) {
    const entries: Array<[string, Suggestion['kind']]> = [
      [article.title, 'title'],
      ...article.questions.map((q): [string, Suggestion['kind']] => [q, 'question']),
    ];
    for (const [text, kind] of entries) {
      index.add({
        id: id++,
        text,
        terms: kb.analyzer.indexTerms(text).join(' '),
        kind,
        articleId: article.id,
        title: article.title,
      });
    }
  }
  cached.byScope.set(scope, index);
  return index;
}
