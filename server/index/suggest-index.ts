import MiniSearch from 'minisearch';
import type { Analyzer } from '../analyze/analyzer.js';
import type { Scope } from '../engine/search-engine.js';
import type { Article } from '../parse/article.js';

/** One type-ahead entry: an article's title or one of its similar questions. */
export type SuggestEntry = { text: string; kind: 'title' | 'question'; articleId: string; title: string };

/** What the index follows: the knowledge base's version, analyzer and articles. */
export type SuggestSource = {
  readonly version: number;
  readonly analyzer: Analyzer;
  articles(scope: Scope): Article[];
};

export type SuggestIndex = {
  /** Brings both scopes up to date with the source now (after a load or an edit), not on the next keystroke. */
  refresh(): Promise<void>;
  /**
   * Up to `limit` entries of distinct text holding every typed word (the last
   * one as a prefix), best first; when none holds them all, entries holding any of them.
   */
  search(scope: Scope, typed: string[], limit: number): Promise<SuggestEntry[]>;
};

type Doc = SuggestEntry & { id: number; terms: string };

/** One scope's index and the article versions it holds. */
type ScopeIndex = {
  index: MiniSearch<Doc>;
  analyzer: Analyzer;
  /** The source version it reflects. */
  version: number;
  held: Map<string, { article: Article; ids: number[] }>;
  nextId: number;
};

/** Articles added between turns of the event loop during a full build. */
const BUILD_BATCH = 50;

/**
 * Type-ahead over titles and similar questions (MiniSearch), one index per
 * scope, built from the articles the scope may see (so a public suggestion can
 * only ever be a public article's title or question). After an edit only the
 * changed articles are analysed again (articles are immutable: a changed one
 * is a new object); a full build (the first, or after the lexicon changed the
 * analyzer) yields to the event loop every BUILD_BATCH articles, so searches go on meanwhile.
 */
export function createSuggestIndex(source: SuggestSource): SuggestIndex {
  const scopes = new Map<Scope, Promise<ScopeIndex>>();

  /** The scope's index, current with the source; updates run one after another. */
  const current = (scope: Scope): Promise<ScopeIndex> => {
    const previous = scopes.get(scope)?.catch(() => undefined) ?? Promise.resolve(undefined);
    const next = previous.then(async (held) => {
      if (!held || held.analyzer !== source.analyzer) return build(source, scope);
      if (held.version !== source.version) await update(held, source, scope);
      return held;
    });
    scopes.set(scope, next);
    return next;
  };

  return {
    async refresh() {
      await Promise.all((['agent', 'public'] as const).map(current));
    },
    async search(scope, typed, limit) {
      const { index } = await current(scope);
      const last = typed.at(-1);
      const options = { prefix: (term: string) => term === last, tokenize: (s: string) => s.split(' ') };
      let results = index.search(typed.join(' '), { ...options, combineWith: 'AND' });
      if (results.length === 0) results = index.search(typed.join(' '), options);
      const seen = new Set<string>();
      const out: SuggestEntry[] = [];
      for (const r of results) {
        const text = r.text as string;
        if (seen.has(text)) continue;
        seen.add(text);
        out.push({
          text,
          kind: r.kind as SuggestEntry['kind'],
          articleId: r.articleId as string,
          title: r.title as string,
        });
        if (out.length >= limit) break;
      }
      return out;
    },
  };
}

async function build(source: SuggestSource, scope: Scope): Promise<ScopeIndex> {
  const held: ScopeIndex = {
    index: new MiniSearch<Doc>({
      fields: ['terms'],
      storeFields: ['text', 'kind', 'articleId', 'title'],
      tokenize: (s) => s.split(' '),
      processTerm: (t) => t || null,
    }),
    analyzer: source.analyzer,
    version: -1,
    held: new Map(),
    nextId: 0,
  };
  await update(held, source, scope);
  return held;
}

/** Re-analyses only articles that are new or changed (a new object) since the index last looked. */
async function update(held: ScopeIndex, source: SuggestSource, scope: Scope): Promise<void> {
  // An edit made while this runs shows as a newer version: the next call catches up.
  const version = source.version;
  const current = new Set<string>();
  let added = 0;
  for (const article of source.articles(scope)) {
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
  const entries: Array<[string, SuggestEntry['kind']]> = [
    [article.title, 'title'],
    ...article.questions.map((q): [string, SuggestEntry['kind']] => [q, 'question']),
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
