import type { Diagnostic } from '../diagnostics.js';
import type { SourceFile } from '../load/load-content.js';
import type { Article } from './article.js';
import { parseArticle } from './parse-article.js';
import { hashSource, type ParseCache } from './parse-cache.js';
import { type ParsedFile, type ParsedSource, resolveArticles } from './resolve-articles.js';

/**
 * The parse stage: every file read is parsed (a broken file is reported and
 * never fatal), through the parse cache when there is one, so an unchanged
 * file reuses its earlier result.
 */
export function parseSources(sources: SourceFile[], cache?: ParseCache): ParsedSource[] {
  return sources.map((source) => {
    const hash = hashSource(source.text);
    let result = cache?.lookup(source.file, hash);
    if (!result) {
      result = parseArticle(source.file, source.text);
      cache?.store(source.file, hash, result);
    }
    return { file: source.file, hash, result };
  });
}

/**
 * Parses a whole content directory's files with nothing served before (lint,
 * `kb stale`, tests): the same parse stage and the same rules as the pipeline
 * (resolve-articles.ts), so a duplicate id goes to the first file in path order.
 */
export function parseAll(sources: SourceFile[]): {
  files: ParsedFile[];
  articles: Article[];
  diagnostics: Diagnostic[];
} {
  const files = resolveArticles(parseSources(sources), () => undefined);
  return {
    files,
    articles: files.flatMap((f) => (f.served ? [f.served.article] : [])),
    diagnostics: files.flatMap((f) => f.diagnostics),
  };
}
