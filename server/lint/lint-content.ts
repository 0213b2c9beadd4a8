import type { Diagnostic } from '../diagnostics.js';
import { loadContent } from '../load/load-content.js';
import { loadLexicon } from '../load/load-lexicon.js';
import type { Article } from '../parse/article.js';
import { parseAll } from '../parse/parse-all.js';
import { RULES } from './rules.js';

export type LintReport = {
  files: number;
  articles: number;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
};

/**
 * Checks a content directory without indexing it: front matter, structure,
 * duplicate ids, the lexicon files and the content rules (required sections,
 * time limits, review dates, links, red-line phrasing in scripts).
 * Diagnostics are sorted by file and line.
 */
export async function lintContent(
  contentDir: string,
  today = new Date().toISOString().slice(0, 10),
): Promise<LintReport> {
  const [files, lex] = await Promise.all([loadContent(contentDir), loadLexicon(contentDir)]);
  const parsed = parseAll(files);
  const diagnostics = [
    ...lex.diagnostics,
    ...parsed.diagnostics,
    ...lintArticles(parsed.articles, lex.lexicon.forbidden, today),
  ];
  diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return {
    files: files.length,
    articles: parsed.articles.length,
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
    diagnostics,
  };
}

/** Runs every content rule over loaded articles. */
export function lintArticles(articles: Article[], forbidden: string[], today: string): Diagnostic[] {
  const ctx = { byId: new Map(articles.map((a) => [a.id, a])), forbidden, today };
  return articles.flatMap((article) => RULES.flatMap((rule) => rule(article, ctx)));
}
