import type { Diagnostic } from '../diagnostics.js';
import type { SourceFile } from '../load/load-content.js';
import type { Article } from './article.js';
import { parseArticle } from './parse-article.js';

export type ParsedContent = { articles: Article[]; diagnostics: Diagnostic[] };

/**
 * Parses every file; a broken file is reported and skipped, never fatal. Ids
 * must be unique: the first file (in path order) keeps the id and every later
 * one is reported with the line of its `id:` field and the file it clashes with.
 */
export function parseAll(files: SourceFile[]): ParsedContent {
  const articles: Article[] = [];
  const diagnostics: Diagnostic[] = [];
  const owners = new Map<string, string>();
  for (const source of files) {
    const result = parseArticle(source.file, source.text);
    diagnostics.push(...result.diagnostics);
    const article = result.article;
    if (!article) continue;
    const first = owners.get(article.id);
    if (first) {
      diagnostics.push({
        severity: 'error',
        code: 'DUPLICATE_ID',
        file: source.file,
        line: article.fieldLines.id ?? 1,
        field: 'id',
        message: `id “${article.id}” 已被 ${first} 使用，本文未加载`,
        hint: '每篇文章的 id 必须唯一；改成新的 id（改名后旧链接会失效）',
      });
      continue;
    }
    owners.set(article.id, source.file);
    articles.push(article);
  }
  return { articles, diagnostics };
}
