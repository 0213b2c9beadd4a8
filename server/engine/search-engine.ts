import type { QueryTerm } from '../analyze/analyzer.js';
import type { SectionDoc, Visibility } from '../analyze/section-docs.js';
import type { Lexicon } from '../load/load-lexicon.js';
import type { SectionKind } from '../parse/article.js';

export type Scope = 'agent' | 'public';

export type EngineQuery = {
  /** Weighted terms; an article matching only `supporting` terms is not a hit. */
  terms: QueryTerm[];
  /** Treat the last typed term as a prefix (search-as-you-type). */
  prefixLast: boolean;
  scope: Scope;
  filters: { product?: string; category?: string };
  limit: number;
  offset: number;
};

export type EngineHit = {
  articleId: string;
  score: number;
  /** The article's best-scoring section. */
  section: { anchor: string; kind: SectionKind };
  /** Query terms (as analyzed) that matched anywhere in the article's matching sections. */
  matchedTerms: string[];
};

export type EngineResult = {
  /** The engine that actually answered (a fallback may answer for Meilisearch). */
  engine: 'embedded' | 'meilisearch';
  /** True when the configured engine could not answer and a fallback did. */
  degraded: boolean;
  /**
   * Number of matching articles (not sections) in the scope: exact when
   * `totalIsEstimate` is false. An engine that stops counting where counting
   * would cost sets it true: Meilisearch once a sub-query fills its window
   * (a lower bound), the embedded engine once it skipped articles that could
   * not reach the top (it counts them unjudged: never below the exact count).
   * `total` is then an estimate, never below the articles returned, while the
   * hits of the page asked for are exact.
   */
  total: number;
  totalIsEstimate: boolean;
  hits: EngineHit[];
};

export type EngineStats = {
  documents: number;
  articles: number;
  /** Key of the corpus the engine holds (see `sync`). */
  key?: string;
  /** Bytes of the persisted index, when the engine knows it. */
  sizeBytes?: number;
};

/**
 * The search engine port. Chosen once at start-up; nothing above it asks which
 * adapter is behind it. Every adapter passes `test/engine/engine-contract.ts`.
 *
 * An engine knows which corpus it holds by its key (a hash of the accepted
 * content and the analyzer, see index/build-index.ts), so a restart reuses
 * what it already has (a snapshot, or Meilisearch's own index) instead of
 * analysing everything again. How it keeps that is the adapter's business.
 */
export interface SearchEngine {
  readonly name: 'embedded' | 'meilisearch';
  /**
   * The lexicon the next documents are analyzed with, given before a full load
   * and whenever it changes. An engine with word lists of its own takes them
   * from it (Meilisearch's dictionary, synonyms and stop words); the embedded
   * engine needs nothing from it.
   */
  setLexicon(lexicon: Lexicon): void;
  /**
   * Ensures the engine holds the corpus identified by `key`. `produce` is
   * called only when it does not (no snapshot, changed content or lexicon).
   */
  sync(key: string, produce: () => SectionDoc[] | Promise<SectionDoc[]>): Promise<{ rebuilt: boolean }>;
  /**
   * Replaces every document atomically (searches see the old or the new
   * corpus, never a mix); the engine then holds corpus `key`, as after `sync`.
   */
  replaceAll(key: string, docs: SectionDoc[]): Promise<void>;
  /** After incremental updates the engine holds the corpus `key`: recorded, so a restart does not re-index. */
  commit(key: string): Promise<void>;
  /** Replaces one article's sections (discard, then add). */
  upsertArticle(articleId: string, docs: SectionDoc[]): Promise<void>;
  removeArticle(articleId: string): Promise<void>;
  /** Ranked hits grouped by article, each with its best section. */
  search(query: EngineQuery): Promise<EngineResult>;
  stats(): Promise<EngineStats>;
  /**
   * `ok`: searches get answers. `degraded`: they come from a fallback because
   * the configured engine cannot answer right now (see fallback-engine.ts).
   */
  health(): Promise<{ ok: boolean; degraded?: boolean; detail?: string }>;
  close(): Promise<void>;
}

/** Visibilities a scope may match: enforced inside every engine's query. */
export function visibilitiesFor(scope: Scope): Visibility[] {
  return scope === 'public' ? ['all', 'public'] : ['all', 'agent'];
}
