import type { Analyzer } from './analyze/analyzer.js';
import type { Diagnostic } from './diagnostics.js';
import type { Scope, SearchEngine } from './engine/search-engine.js';
import type { Article } from './parse/article.js';
import { type PipelineResult, runPipeline } from './pipeline.js';

export type KnowledgeBase = {
  readonly engine: SearchEngine;
  readonly contentDir: string;
  /** Bumped on every change; caches derived from the articles key on it. */
  readonly version: number;
  readonly analyzer: Analyzer;
  readonly diagnostics: Diagnostic[];
  readonly loadedAt: Date | undefined;
  /** An article the scope may see: internal articles do not exist for the public. */
  getArticle(id: string, scope: Scope): Article | undefined;
  articles(scope: Scope): Article[];
  /** Re-reads the content directory and brings the engine up to date. */
  reload(options?: { force?: boolean }): Promise<PipelineResult>;
};

/**
 * Holds the current, last good state of the knowledge base: the parsed
 * articles every answer is composed from, and the analyzer shared by indexing
 * and querying.
 */
export function createKnowledgeBase(deps: { contentDir: string; engine: SearchEngine }): KnowledgeBase {
  let byId = new Map<string, Article>();
  let analyzer: Analyzer | undefined;
  let diagnostics: Diagnostic[] = [];
  let loadedAt: Date | undefined;
  let version = 0;

  return {
    engine: deps.engine,
    contentDir: deps.contentDir,
    get version() {
      return version;
    },
    get analyzer() {
      if (!analyzer) throw new Error('knowledge base not loaded yet: call reload() first');
      return analyzer;
    },
    get diagnostics() {
      return diagnostics;
    },
    get loadedAt() {
      return loadedAt;
    },
    getArticle(id, scope) {
      const article = byId.get(id);
      if (!article || (scope === 'public' && article.audience !== 'public')) return undefined;
      return article;
    },
    articles(scope) {
      const all = [...byId.values()];
      return scope === 'public' ? all.filter((a) => a.audience === 'public') : all;
    },
    async reload(options = {}) {
      const result = await runPipeline({ contentDir: deps.contentDir, engine: deps.engine, force: options.force });
      byId = new Map(result.articles.map((a) => [a.id, a]));
      analyzer = result.analyzer;
      diagnostics = result.diagnostics;
      loadedAt = new Date();
      version++;
      return result;
    },
  };
}
