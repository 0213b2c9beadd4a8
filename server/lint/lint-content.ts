import type { Diagnostic } from '../diagnostics.js';
import { loadContent } from '../load/load-content.js';
import { loadLexicon } from '../load/load-lexicon.js';
import { parseAll } from '../parse/parse-all.js';

export type LintReport = {
  files: number;
  articles: number;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
};

/**
 * Checks a content directory without indexing it: front matter, structure,
 * duplicate ids and the lexicon files. Diagnostics are sorted by file and line.
 */
export async function lintContent(contentDir: string): Promise<LintReport> {
  const [files, lex] = await Promise.all([loadContent(contentDir), loadLexicon(contentDir)]);
  const parsed = parseAll(files);
  const diagnostics = [...lex.diagnostics, ...parsed.diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line,
  );
  return {
    files: files.length,
    articles: parsed.articles.length,
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
    diagnostics,
  };
}
