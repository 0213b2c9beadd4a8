import { type Analyzer, createAnalyzer } from './analyze/analyzer.js';
import type { Diagnostic } from './diagnostics.js';
import type { Scope, SearchEngine } from './engine/search-engine.js';
import { applyArticleChanges, applyLexiconChange, type ChangeReport, type LiveState } from './index/apply-changes.js';
import { corpusKey } from './index/build-index.js';
import { type Lexicon, loadLexicon } from './load/load-lexicon.js';
import type { Article } from './parse/article.js';
import { openParseCache, type ParseCache } from './parse/parse-cache.js';
import { type PipelineResult, runPipeline } from './pipeline.js';

/** A saved snapshot is written this long after the last incremental change. */
const COMMIT_DELAY_MS = 5_000;

export type ContentChange = {
  /** Article files (relative to the content directory) that were added, saved, renamed or deleted. */
  files: string[];
  /** Whether a lexicon file changed. */
  lexicon: boolean;
};

export type KnowledgeBase = {
  readonly engine: SearchEngine;
  readonly contentDir: string;
  /** Bumped on every change; caches derived from the articles key on it. */
  readonly version: number;
  readonly analyzer: Analyzer;
  /** Every current problem: lexicon files, broken articles (still serving their last good version). */
  readonly diagnostics: Diagnostic[];
  readonly loadedAt: Date | undefined;
  /** An article the scope may see: internal articles do not exist for the public. */
  getArticle(id: string, scope: Scope): Article | undefined;
  articles(scope: Scope): Article[];
  /** Re-reads the whole content directory and brings the engine up to date. */
  reload(options?: { force?: boolean }): Promise<PipelineResult>;
  /** Applies edits incrementally (watch mode); broken edits keep the last good version. */
  applyChanges(change: ContentChange): Promise<ChangeReport & { lexiconReindexed: string[] }>;
  /** Writes the engine snapshot now if incremental changes are pending. */
  flush(): Promise<void>;
};

/**
 * Holds the current, last good state of the knowledge base: the parsed
 * articles every answer is composed from, and the analyzer shared by indexing
 * and querying.
 */
export function createKnowledgeBase(deps: {
  contentDir: string;
  engine: SearchEngine;
  /** Where the parse cache lives (see parse-cache.ts); without it every load parses every file. */
  dataDir?: string;
}): KnowledgeBase {
  let state: LiveState | undefined;
  let lexicon: Lexicon | undefined;
  let lexiconDiagnostics: Diagnostic[] = [];
  let loadedAt: Date | undefined;
  let version = 0;
  let commitTimer: NodeJS.Timeout | undefined;
  let parseCache: Promise<ParseCache> | undefined;
  // Changes are applied one batch at a time, in order.
  let queue: Promise<unknown> = Promise.resolve();

  const live = () => {
    if (!state) throw new Error('knowledge base not loaded yet: call reload() first');
    return state;
  };
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };
  const commit = async () => {
    if (commitTimer) clearTimeout(commitTimer);
    commitTimer = undefined;
    const s = live();
    const accepted = [...s.files.values()].flatMap((f) =>
      f.article && f.text ? [{ article: f.article, text: f.text }] : [],
    );
    await s.engine.commit(corpusKey(s.analyzer, accepted));
    // The parse cache learnt the edits: written in slices, so this does not stall searches either.
    await s.cache?.save(s.files.keys()).catch(() => undefined);
  };

  return {
    engine: deps.engine,
    contentDir: deps.contentDir,
    get version() {
      return version;
    },
    get analyzer() {
      return live().analyzer;
    },
    get diagnostics() {
      return [...lexiconDiagnostics, ...[...(state?.files.values() ?? [])].flatMap((f) => f.diagnostics)];
    },
    get loadedAt() {
      return loadedAt;
    },
    getArticle(id, scope) {
      const article = state?.byId.get(id);
      if (!article || (scope === 'public' && article.audience !== 'public')) return undefined;
      return article;
    },
    articles(scope) {
      const all = [...(state?.byId.values() ?? [])];
      return scope === 'public' ? all.filter((a) => a.audience === 'public') : all;
    },
    reload(options = {}) {
      return serial(async () => {
        parseCache ??= openParseCache(deps.dataDir);
        const result = await runPipeline({
          contentDir: deps.contentDir,
          engine: deps.engine,
          force: options.force,
          previous: state?.files,
          cache: await parseCache,
        });
        state = {
          contentDir: deps.contentDir,
          engine: deps.engine,
          analyzer: result.analyzer,
          files: new Map(result.files.map((f) => [f.file, f])),
          byId: new Map(result.accepted.map(({ article }) => [article.id, article])),
          cache: await parseCache,
        };
        lexicon = result.lexicon;
        lexiconDiagnostics = result.lexiconDiagnostics;
        loadedAt = new Date();
        version++;
        return result;
      });
    },
    applyChanges(change) {
      return serial(async () => {
        const s = live();
        let lexiconReindexed: string[] = [];
        if (change.lexicon && lexicon) {
          const next = await loadLexicon(deps.contentDir);
          lexiconReindexed = await applyLexiconChange(s, lexicon, next.lexicon, createAnalyzer(next.lexicon));
          lexicon = next.lexicon;
          lexiconDiagnostics = next.diagnostics;
        }
        const report = await applyArticleChanges(s, change.files);
        version++;
        if (commitTimer) clearTimeout(commitTimer);
        commitTimer = setTimeout(() => void serial(commit).catch(() => undefined), COMMIT_DELAY_MS);
        commitTimer.unref();
        return { ...report, lexiconReindexed };
      });
    },
    flush() {
      return serial(async () => {
        if (commitTimer) await commit();
      });
    },
  };
}
