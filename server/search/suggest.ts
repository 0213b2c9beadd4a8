import MiniSearch from 'minisearch';
import type { Analyzer } from '../analyze/analyzer.js';
import type { Scope } from '../engine/search-engine.js';
import type { KnowledgeBase } from '../knowledge-base.js';
import type { Article } from '../parse/article.js';
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

/** One scope's type-ahead index and the article versions it holds. */
type ScopeIndex = {
  index: MiniSearch<Entry>;
  analyzer: Analyzer;
  /** The knowledge base version it reflects. */
  version: number;
  held: Map<string, { article: Article; ids: number[] }>;
  nextId: number;
};

/** Articles added between turns of the event loop during a full build. */
const BUILD_BATCH = 50;

const indexes = new WeakMap<KnowledgeBase, Map<Scope, Promise<ScopeIndex>>>();

/**
 * Type-ahead over titles and similar questions. Built from the articles the
 * scope may see (so a public suggestion can only ever be a public article's
 * title or question). After an edit only the changed articles are analysed
 * again (articles are immutable: a changed one is a new object); a full build
 * (at start, or when the lexicon changes the analyzer) yields to the event loop
 * every few hundred articles, so searches go on meanwhile.
 */
export async function suggest(kb: KnowledgeBase, q: string, scope: Scope, limit: number): Promise<Suggestion[]> {
  const query = kb.analyzer.analyzeQuery(q);
  const typed = query.terms.filter((t) => t.origin === 'query').map((t) => t.term);
  if (typed.length === 0) return [];
  const { index } = await suggestIndex(kb, scope);
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

/** Brings both scopes' indexes up to date now (after loading or an edit), instead of on the next keystroke. */
export async function prepareSuggest(kb: KnowledgeBase): Promise<void> {
  await Promise.all((['agent', 'public'] as const).map((scope) => suggestIndex(kb, scope)));
}

/** The scope's index, current with the knowledge base; updates run one after another. */
function suggestIndex(kb: KnowledgeBase, scope: Scope): Promise<ScopeIndex> {
  let byScope = indexes.get(kb);
  if (!byScope) {
    byScope = new Map();
    indexes.set(kb, byScope);
  }
  const previous = byScope.get(scope)?.catch(() => undefined) ?? Promise.resolve(undefined);
  const next = previous.then(async (held) => {
    if (!held || held.analyzer !== kb.analyzer) return buildIndex(kb, scope);
    if (held.version !== kb.version) await updateIndex(held, kb, scope);
    return held;
  });
  byScope.set(scope, next);
  return next;
}

async function buildIndex(kb: KnowledgeBase, scope: Scope): Promise<ScopeIndex> {
  const held: ScopeIndex = {
    index: new MiniSearch<Entry>({
      fields: ['terms'],
      storeFields: ['text', 'kind', 'articleId', 'title'],
      tokenize: (s) => s.split(' '),
      processTerm: (t) => t || null,
    }),
    analyzer: kb.analyzer,
    version: -1,
    held: new Map(),
    nextId: 0,
  };
  await updateIndex(held, kb, scope);
  return held;
}

/** Re-analyses only articles that are new or changed (a new object) since the index last looked. */
async function updateIndex(held: ScopeIndex, kb: KnowledgeBase, scope: Scope): Promise<void> {
  // An edit made while this runs shows as a newer kb.version: the next call catches up.
  const version = kb.version;
  const current = new Set<string>();
  let added = 0;
  for (const article of kb.articles(scope)) {
    current.add(article.id);
    const known = held.held.get(article.id);
    if (known?.article === article) continue;
    if (known) removeArticle(held, article.id);
    addArticle(held, article);
    if (++added % BUILD_BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  for (const id of [...held.held.keys()]) if (!current.has(id)) removeArticle(held, id);
  held.version = version;
}

function addArticle(held: ScopeIndex, article: Article): void {
  const entries: Array<[string, Suggestion['kind']]> = [
    [article.title, 'title'],
    ...article.questions.map((q): [string, Suggestion['kind']] => [q, 'question']),
  ];
  const ids: number[] = [];
  for (const [text, kind] of entries) {
    const id = held.nextId++;
    ids.push(id);
    held.index.add({
      id,
      text,
      terms: held.analyzer.indexTerms(text).join(' '),
      kind,
      articleId: article.id,
      title: article.title,
    });
  }
  held.held.set(article.id, { article, ids });
}

function removeArticle(held: ScopeIndex, articleId: string): void {
  for (const id of held.held.get(articleId)?.ids ?? []) held.index.discard(id);
  held.held.delete(articleId);
}
