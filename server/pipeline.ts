import { type Analyzer, createAnalyzer } from './analyze/analyzer.js';
import type { Diagnostic } from './diagnostics.js';
import type { SearchEngine } from './engine/search-engine.js';
import { type AcceptedArticle, buildIndex } from './index/build-index.js';
import { loadContent } from './load/load-content.js';
import { type Lexicon, loadLexicon } from './load/load-lexicon.js';
import { type ParsedFile, parseAll } from './parse/parse-all.js';
import type { ParseCache } from './parse/parse-cache.js';

export type PipelineResult = {
  files: ParsedFile[];
  accepted: AcceptedArticle[];
  lexicon: Lexicon;
  lexiconDiagnostics: Diagnostic[];
  analyzer: Analyzer;
  diagnostics: Diagnostic[];
  /** Identifies accepted content + lexicon + analyzer version: the engine snapshot key. */
  key: string;
  /** False when the engine already held this corpus (e.g. loaded from a snapshot). */
  rebuilt: boolean;
  timings: { loadMs: number; parseMs: number; analyzerMs: number; indexMs: number };
  /** Files whose parse result came from the parse cache (unchanged since the last load). */
  parseCacheHits: number;
};

/**
 * The ordered chain: load -> parse -> analyze -> index. Content is always
 * read and parsed (cheap); analysis and indexing (segmentation, the costly
 * part) run only when the engine does not already hold this exact corpus.
 */
export async function runPipeline(options: {
  contentDir: string;
  engine: SearchEngine;
  force?: boolean;
  /** The previous state, so a file that broke since keeps its last good version. */
  previous?: Map<string, ParsedFile>;
  /** Earlier parse results by file and content hash; updated and saved here. */
  cache?: ParseCache;
}): Promise<PipelineResult> {
  const t0 = performance.now();
  const [sources, lex] = await Promise.all([loadContent(options.contentDir), loadLexicon(options.contentDir)]);
  const t1 = performance.now();
  const hitsBefore = options.cache?.hits ?? 0;
  const parsed = parseAll(sources, options.previous, options.cache);
  const parseCacheHits = (options.cache?.hits ?? 0) - hitsBefore;
  const t2 = performance.now();
  const analyzer = createAnalyzer(lex.lexicon);
  const t3 = performance.now();
  const accepted = parsed.files.flatMap((f) => (f.article && f.text ? [{ article: f.article, text: f.text }] : []));
  const { key, rebuilt } = await buildIndex({ engine: options.engine, analyzer, accepted, force: options.force });
  const t4 = performance.now();
  // After the engine is current: a failed write costs the next start time, nothing else.
  await options.cache?.save(sources.map((s) => s.file)).catch(() => undefined);
  const ms = (a: number, b: number) => Math.round(b - a);
  return {
    files: parsed.files,
    accepted,
    lexicon: lex.lexicon,
    lexiconDiagnostics: lex.diagnostics,
    analyzer,
    diagnostics: [...lex.diagnostics, ...parsed.diagnostics],
    key,
    rebuilt,
    timings: { loadMs: ms(t0, t1), parseMs: ms(t1, t2), analyzerMs: ms(t2, t3), indexMs: ms(t3, t4) },
    parseCacheHits,
  };
}
