import type { Analyzer } from './analyze/analyzer.js';
import type { Diagnostic } from './diagnostics.js';
import type { Scope, SearchEngine } from './engine/search-engine.js';
import { isKbError } from './errors.js';
import { corpusKey } from './index/build-index.js';
import { createSuggestIndex, type SuggestIndex } from './index/suggest-index.js';
import type { Lexicon } from './load/load-lexicon.js';
import { type ContentChange, type ContentWatcher, watchContent } from './load/watch-content.js';
import type { Article } from './parse/article.js';
import { openParseCache, type ParseCache } from './parse/parse-cache.js';
import { type PipelineResult, runPipeline, type ServedState } from './pipeline.js';

const CONTENT_MISSING_NOTICE = '内容目录不存在或无法读取：继续提供上次加载的内容，目录恢复后自动重新加载';

/** A saved snapshot is written this long after the last incremental change. */
const COMMIT_DELAY_MS = 5_000;

export type ChangeReport = NonNullable<PipelineResult['changes']>;

/** What the knowledge base reports while it runs (main.ts logs these; it never prints itself). */
export type KbEvent =
  | { type: 'changed'; change: ContentChange; report: ChangeReport; diagnostics: Diagnostic[]; ms: number }
  | { type: 'change-failed'; change: ContentChange; error: unknown }
  | { type: 'commit-failed'; error: unknown }
  | { type: 'journal-failed'; error: unknown }
  | { type: 'journal-restored' }
  | { type: 'suggest-failed'; error: unknown }
  | { type: 'watch-error'; error: Error }
  | { type: 'content-missing' }
  | { type: 'content-returned'; articles: number };

export type KnowledgeBase = {
  readonly engine: SearchEngine;
  readonly contentDir: string;
  /** Bumped on every change; caches derived from the articles key on it. */
  readonly version: number;
  readonly analyzer: Analyzer;
  readonly lexicon: Lexicon;
  /** Type-ahead over titles and similar questions, kept current with the articles. */
  readonly suggestIndex: SuggestIndex;
  /** Every current problem: lexicon files, broken articles (still serving their last good version). */
  readonly diagnostics: Diagnostic[];
  readonly loadedAt: Date | undefined;
  /** What an operator should know about the service's state, in words for /readyz (no file or article names). */
  readonly notices: string[];
  /** An article the scope may see: internal articles do not exist for the public. */
  getArticle(id: string, scope: Scope): Article | undefined;
  articles(scope: Scope): Article[];
  /** Re-reads the whole content directory and brings the engine up to date. */
  reload(options?: { force?: boolean }): Promise<PipelineResult>;
  /** Applies saved edits through the same pipeline; broken edits keep the last good version. */
  applyChanges(change: ContentChange): Promise<ChangeReport>;
  /**
   * The running service's background work, after a first `reload`: type-ahead
   * built in slices and kept current after every change, and with `watch`
   * every saved edit applied as it is saved. Resolves once the watcher is ready.
   */
  start(options: { watch: boolean }): Promise<void>;
  /** Writes the engine snapshot and the parse cache now if incremental changes are pending. */
  flush(): Promise<void>;
  /** Stops watching, lets the change in progress finish, then flushes. */
  close(): Promise<void>;
};

/**
 * Holds the current, last good state of the knowledge base: the parsed
 * articles every answer is composed from, the lexicon and the analyzer shared
 * by indexing and querying, and the type-ahead index. Every change, a full
 * load or a saved edit, runs the one pipeline (pipeline.ts), one at a time.
 */
export function createKnowledgeBase(deps: {
  contentDir: string;
  engine: SearchEngine;
  /** Where the parse cache lives (see parse-cache.ts); without it every load parses every file. */
  dataDir?: string;
  onEvent?: (event: KbEvent) => void;
}): KnowledgeBase {
  let state: ServedState | undefined;
  let loadedAt: Date | undefined;
  let version = 0;
  let commitTimer: NodeJS.Timeout | undefined;
  let parseCache: Promise<ParseCache> | undefined;
  let started = false;
  let watcher: ContentWatcher | undefined;
  /** The content folder was gone at the last look: the last good state is served meanwhile. */
  let contentMissing = false;
  // Changes are applied one batch at a time, in order.
  let queue: Promise<unknown> = Promise.resolve();
  const emit = (event: KbEvent) => deps.onEvent?.(event);

  const live = () => {
    if (!state) throw new Error('knowledge base not loaded yet: call reload() first');
    return state;
  };
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };
  /** Tells the parts that follow the articles that they changed. */
  const changed = (next: ServedState) => {
    state = next;
    version++;
    if (started) kb.suggestIndex.refresh().catch((error: unknown) => emit({ type: 'suggest-failed', error }));
  };
  const commit = async () => {
    if (commitTimer) clearTimeout(commitTimer);
    commitTimer = undefined;
    const s = live();
    const accepted = [...s.files.values()].flatMap((f) => (f.served ? [f.served] : []));
    await deps.engine.commit(corpusKey(s.analyzer, accepted));
    // The parse cache learnt the edits: written in slices, so this does not stall searches either.
    await (await parseCache)?.save(s.files.keys()).catch(() => undefined);
  };
  /** Whether the last journal write failed: said once when it starts failing and once when it works again. */
  let journalFailing = false;
  /** The last good versions an edit leaves, on disk before they are served (see parse-cache.ts). */
  const journal = async (files: string[], next: ServedState) => {
    const present = files.filter((f) => next.files.has(f));
    const gone = files.filter((f) => !next.files.has(f));
    const cache = await parseCache;
    if (!cache) return;
    // A data directory that cannot be written costs the next start its last good versions, not this edit.
    try {
      await cache.journal(present, gone);
      if (journalFailing) emit({ type: 'journal-restored' });
      journalFailing = false;
    } catch (error) {
      if (!journalFailing) emit({ type: 'journal-failed', error });
      journalFailing = true;
    }
  };
  const run = async (options: { change?: ContentChange; force?: boolean }) => {
    parseCache ??= openParseCache(deps.dataDir);
    return runPipeline({
      contentDir: deps.contentDir,
      engine: deps.engine,
      previous: state,
      change: options.change,
      force: options.force,
      cache: await parseCache,
    });
  };

  const kb: KnowledgeBase = {
    engine: deps.engine,
    contentDir: deps.contentDir,
    get version() {
      return version;
    },
    get analyzer() {
      return live().analyzer;
    },
    get lexicon() {
      return live().lexicon;
    },
    suggestIndex: createSuggestIndex({
      get version() {
        return version;
      },
      get analyzer() {
        return live().analyzer;
      },
      articles: (scope) => kb.articles(scope),
    }),
    get diagnostics() {
      return [
        ...(state?.lexiconDiagnostics ?? []),
        ...[...(state?.files.values() ?? [])].flatMap((f) => f.diagnostics),
      ];
    },
    get loadedAt() {
      return loadedAt;
    },
    get notices() {
      return contentMissing && state ? [CONTENT_MISSING_NOTICE] : [];
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
        const result = await run({ force: options.force }).catch((error: unknown) => {
          if (isKbError(error) && error.code === 'CONTENT_UNAVAILABLE') contentMissing = true;
          throw error;
        });
        contentMissing = false;
        if (commitTimer) clearTimeout(commitTimer); // the full load left the engine at its key
        commitTimer = undefined;
        loadedAt = new Date();
        changed(result.state);
        return result;
      });
    },
    applyChanges(change) {
      return serial(async () => {
        live();
        const result = await run({ change });
        await journal(change.files, result.state);
        changed(result.state);
        if (commitTimer) clearTimeout(commitTimer);
        commitTimer = setTimeout(
          () => void serial(commit).catch((error: unknown) => emit({ type: 'commit-failed', error })),
          COMMIT_DELAY_MS,
        );
        commitTimer.unref();
        return result.changes as ChangeReport;
      });
    },
    async start(options) {
      live();
      started = true;
      kb.suggestIndex.refresh().catch((error: unknown) => emit({ type: 'suggest-failed', error }));
      if (!options.watch || watcher) return;
      watcher = watchContent(
        deps.contentDir,
        (change) => {
          const t0 = performance.now();
          kb.applyChanges(change).then(
            (report) => {
              const files = new Set(change.files);
              const diagnostics = kb.diagnostics.filter((d) => files.has(d.file));
              emit({ type: 'changed', change, report, diagnostics, ms: Math.round(performance.now() - t0) });
            },
            (error: unknown) => emit({ type: 'change-failed', change, error }),
          );
        },
        {
          onError: (error) => emit({ type: 'watch-error', error }),
          onMissing: () => {
            contentMissing = true;
            emit({ type: 'content-missing' });
          },
          // What changed while it was gone is not known file by file: load it whole.
          onReturn: () =>
            void kb.reload().then(
              (result) => emit({ type: 'content-returned', articles: result.accepted.length }),
              (error: unknown) => emit({ type: 'change-failed', change: { files: [], lexicon: true }, error }),
            ),
        },
      );
      await watcher.ready;
    },
    flush() {
      return serial(async () => {
        if (commitTimer) await commit();
      });
    },
    async close() {
      started = false;
      await watcher?.close();
      watcher = undefined;
      await kb.flush();
    },
  };
  return kb;
}
