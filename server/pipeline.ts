import { type Analyzer, createAnalyzer } from './analyze/analyzer.js';
import type { Diagnostic } from './diagnostics.js';
import type { SearchEngine } from './engine/search-engine.js';
import { type AcceptedArticle, buildIndex } from './index/build-index.js';
import { type IndexChanges, updateIndex } from './index/update-index.js';
import { loadContent, loadFiles } from './load/load-content.js';
import { type Lexicon, loadLexicon } from './load/load-lexicon.js';
import type { ContentChange } from './load/watch-content.js';
import type { Article } from './parse/article.js';
import { parseSources } from './parse/parse-all.js';
import type { ParseCache } from './parse/parse-cache.js';
import { type ParsedFile, type ParsedSource, resolveArticles } from './parse/resolve-articles.js';

/** What the knowledge base serves: every article file, the articles by id, the lexicon and its analyzer. */
export type ServedState = {
  files: Map<string, ParsedFile>;
  byId: Map<string, Article>;
  lexicon: Lexicon;
  lexiconDiagnostics: Diagnostic[];
  analyzer: Analyzer;
};

export type PipelineResult = {
  state: ServedState;
  /** Every article file, in path order. */
  files: ParsedFile[];
  accepted: AcceptedArticle[];
  diagnostics: Diagnostic[];
  /** A full load: the engine snapshot key, and false when the engine already held this corpus. */
  key?: string;
  rebuilt: boolean;
  /** A saved edit: what changed in the engine, and the changed files that still do not serve their text. */
  changes?: IndexChanges & { broken: string[] };
  timings: { loadMs: number; parseMs: number; analyzerMs: number; indexMs: number };
  /** Files whose parse result came from the parse cache (unchanged since the last load). */
  parseCacheHits: number;
};

/**
 * The ordered chain, the same for a full load and for a saved edit:
 * load -> parse -> resolve -> analyze -> index.
 *
 * - load: every article file and the lexicon, or only the changed files (and
 *   the lexicon when it changed);
 * - parse: each file read, through the parse cache;
 * - resolve: which article every file serves (resolve-articles.ts: the last
 *   good version and duplicate-id rules), over all files either way;
 * - analyze: the analyzer for the lexicon (kept when the lexicon did not change);
 * - index: a full load brings the engine to the corpus key (from its snapshot
 *   when it holds it already, see index/build-index.ts); an edit upserts and
 *   removes exactly the articles that changed (index/update-index.ts).
 *
 * Reading and parsing are cheap; analysis and indexing (segmentation, the
 * costly part) run only for what the engine does not already hold.
 */
export async function runPipeline(input: {
  contentDir: string;
  engine: SearchEngine;
  /** The state being served; without it (the first load) the parse cache says what was served before. */
  previous?: ServedState;
  /** The files (and lexicon) a saved edit touched; without it, a full load. */
  change?: ContentChange;
  /** A full load rebuilds the index even when the engine holds this corpus. */
  force?: boolean;
  cache?: ParseCache;
}): Promise<PipelineResult> {
  const { previous, change, cache } = input;
  const incremental = change !== undefined && previous !== undefined;
  const t0 = performance.now();
  const loadsLexicon = !incremental || change.lexicon;
  const [loaded, lex] = await Promise.all([
    incremental
      ? loadFiles(input.contentDir, change.files)
      : loadContent(input.contentDir).then((sources) => ({ sources, missing: [] })),
    loadsLexicon ? loadLexicon(input.contentDir) : undefined,
  ]);
  const t1 = performance.now();
  const hitsBefore = cache?.hits ?? 0;
  const parsed = parseSources(loaded.sources, cache);
  const parseCacheHits = (cache?.hits ?? 0) - hitsBefore;
  const current = incremental ? mergeSources(previous.files, parsed, loaded.missing) : parsed;
  const files = resolveArticles(current, (file) => (previous ? previous.files.get(file)?.served : cache?.served(file)));
  for (const f of files) cache?.serve(f.file, f.served);
  const t2 = performance.now();
  const lexicon = lex?.lexicon ?? (previous as ServedState).lexicon;
  const analyzer = incremental && !lex ? previous.analyzer : createAnalyzer(lexicon);
  const t3 = performance.now();
  const byId = new Map(files.flatMap((f) => (f.served ? [[f.served.article.id, f.served.article] as const] : [])));
  const accepted = files.flatMap((f) => (f.served ? [{ article: f.served.article, hash: f.served.hash }] : []));
  const state: ServedState = {
    files: new Map(files.map((f) => [f.file, f])),
    byId,
    lexicon,
    lexiconDiagnostics: lex?.diagnostics ?? (previous as ServedState).lexiconDiagnostics,
    analyzer,
  };
  let key: string | undefined;
  let rebuilt = false;
  let changes: PipelineResult['changes'];
  if (incremental) {
    const lexiconChange = lex ? { before: previous.lexicon, after: lexicon } : undefined;
    const result = await updateIndex(input.engine, previous.byId, byId, analyzer, lexiconChange);
    const broken = change.files.filter((file) => {
      const f = state.files.get(file);
      return f !== undefined && f.served?.hash !== f.hash;
    });
    changes = { ...result, broken };
  } else {
    ({ key, rebuilt } = await buildIndex({ engine: input.engine, analyzer, lexicon, accepted, force: input.force }));
    // After the engine is current: a failed write costs the next start time, nothing else.
    await cache?.save(files.map((f) => f.file)).catch(() => undefined);
  }
  const t4 = performance.now();
  const ms = (a: number, b: number) => Math.round(b - a);
  return {
    state,
    files,
    accepted,
    diagnostics: [...state.lexiconDiagnostics, ...files.flatMap((f) => f.diagnostics)],
    key,
    rebuilt,
    changes,
    timings: { loadMs: ms(t0, t1), parseMs: ms(t1, t2), analyzerMs: ms(t2, t3), indexMs: ms(t3, t4) },
    parseCacheHits,
  };
}

/** Every file after an edit, in path order (as loadContent sorts): the previous ones with the re-read ones in their place. */
function mergeSources(previous: Map<string, ParsedSource>, parsed: ParsedSource[], missing: string[]): ParsedSource[] {
  const gone = new Set(missing);
  const read = new Map(parsed.map((p) => [p.file, p]));
  const merged: ParsedSource[] = [];
  for (const [file, before] of previous) {
    if (gone.has(file)) continue;
    merged.push(read.get(file) ?? before);
    read.delete(file);
  }
  if (read.size === 0) return merged;
  // New files: the only case that needs sorting again.
  return [...merged, ...read.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
