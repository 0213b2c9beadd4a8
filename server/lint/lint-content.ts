import type { Diagnostic } from '../diagnostics.js';
import { loadContent } from '../load/load-content.js';
import { loadLexicon } from '../load/load-lexicon.js';
import type { Article } from '../parse/article.js';
import { parseAll } from '../parse/parse-all.js';
import { parseArticle } from '../parse/parse-article.js';
import { type LintPhrases, RULES } from './rules.js';

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
 * time limits, review dates, links, red-line phrasing in scripts, agent voice
 * on the help page).
 * Diagnostics are sorted by file and line.
 */
export async function lintContent(
  contentDir: string,
  today = new Date().toISOString().slice(0, 10),
): Promise<LintReport> {
  const [files, lex] = await Promise.all([loadContent(contentDir), loadLexicon(contentDir)]);
  const parsed = parseAll(files);
  // A file whose front matter is wrong but readable still gets its body checked, so one run reports everything.
  const loaded = new Set(parsed.files.flatMap((f) => (f.served ? [f.file] : [])));
  const drafted = files.flatMap((f) => {
    const result = loaded.has(f.file) ? undefined : parseArticle(f.file, f.text, { draft: true });
    return result?.draft ? [{ file: f.file, draft: result.draft, diagnostics: result.diagnostics }] : [];
  });
  const redone = new Set(drafted.map((d) => d.file));
  const drafts = drafted.map((d) => d.draft);
  const diagnostics = [
    ...lex.diagnostics,
    ...parsed.diagnostics.filter((d) => !redone.has(d.file)),
    ...drafted.flatMap((d) => d.diagnostics),
    ...lintArticles(parsed.articles, lex.lexicon, today, drafts),
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

/**
 * Runs every content rule over loaded articles, and over `drafts` (articles
 * that did not load because of their front matter): links resolve against the
 * loaded articles only, as they do in the service.
 */
export function lintArticles(
  articles: Article[],
  phrases: LintPhrases,
  today: string,
  drafts: Article[] = [],
): Diagnostic[] {
  const ctx = {
    byId: new Map(articles.map((a) => [a.id, a])),
    forbidden: phrases.forbidden,
    agentVoice: phrases.agentVoice,
    today,
  };
  return [...articles, ...drafts].flatMap((article) => RULES.flatMap((rule) => rule(article, ctx)));
}
