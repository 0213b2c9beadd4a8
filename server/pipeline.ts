import { type Analyzer, createAnalyzer } from './analyze/analyzer.js';
import type { Diagnostic } from './diagnostics.js';
import type { SearchEngine } from './engine/search-engine.js';
import { buildIndex } from './index/build-index.js';
import { loadContent } from './load/load-content.js';
import { type Lexicon, loadLexicon } from './load/load-lexicon.js';
import type { Article } from './parse/article.js';
import { parseAll } from './parse/parse-all.js';

export type PipelineResult = {
  articles: Article[];
  lexicon: Lexicon;
  analyzer: Analyzer;
  diagnostics: Diagnostic[];
  /** Identifies content + lexicon + analyzer version: the engine snapshot key. */
  key: string;
  /** False when the engine already held this corpus (e.g. loaded from a snapshot). */
  rebuilt: boolean;
  timings: { loadMs: number; parseMs: number; analyzerMs: number; indexMs: number };
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
}): Promise<PipelineResult> {
  const t0 = performance.now();
  const [files, lex] = await Promise.all([loadContent(options.contentDir), loadLexicon(options.contentDir)]);
  const t1 = performance.now();
  const parsed = parseAll(files);
  const t2 = performance.now();
  const analyzer = createAnalyzer(lex.lexicon);
  const t3 = performance.now();
  const { key, rebuilt } = await buildIndex({
    engine: options.engine,
    analyzer,
    files,
    articles: parsed.articles,
    force: options.force,
  });
  const t4 = performance.now();
  const ms = (a: number, b: number) => Math.round(b - a);
  return {
    articles: parsed.articles,
    lexicon: lex.lexicon,
    analyzer,
    diagnostics: [...lex.diagnostics, ...parsed.diagnostics],
    key,
    rebuilt,
    timings: { loadMs: ms(t0, t1), parseMs: ms(t1, t2), analyzerMs: ms(t2, t3), indexMs: ms(t3, t4) },
  };
}
