import type { Diagnostic } from '../diagnostics.js';
import type { SourceFile } from '../load/load-content.js';
import type { Article } from './article.js';
import { parseArticle } from './parse-article.js';
import type { ParseCache } from './parse-cache.js';

export type ParsedFile = {
  file: string;
  /** The article this file serves: freshly parsed, or its last good version. */
  article?: Article;
  /** Source text of `article` (the last good text when the current one is broken). */
  text?: string;
  diagnostics: Diagnostic[];
};

export type ParsedContent = { files: ParsedFile[]; articles: Article[]; diagnostics: Diagnostic[] };

/**
 * Parses every file; a broken file is reported and never fatal. When a file
 * is broken but had a good version before (`previous`), that version keeps
 * serving: an edit can only ever add an error report, never lose an article.
 *
 * With a `cache`, unchanged files reuse their earlier result (see parse-cache.ts).
 *
 * Ids must be unique: the first file in path order keeps the id and every
 * later one is reported with the line of its `id:` field and the file it
 * clashes with.
 */
export function parseAll(
  files: SourceFile[],
  previous: Map<string, ParsedFile> = new Map(),
  cache?: ParseCache,
): ParsedContent {
  const parsed: ParsedFile[] = [];
  const owners = new Map<string, string>();
  for (const source of files) {
    let result = cache?.lookup(source.file, source.text);
    if (!result) {
      result = parseArticle(source.file, source.text);
      cache?.store(source.file, source.text, result);
    }
    const diagnostics = [...result.diagnostics];
    let article = result.article;
    let text: string | undefined = source.text;
    if (!article) {
      const last = previous.get(source.file);
      article = last?.article;
      text = last?.text;
      const good = article ? undefined : cache?.lastGood(source.file);
      if (good) {
        // After a restart only the cache remembers it; its text only feeds the corpus key.
        article = good.article;
        text = `\u0000parse-cache:${good.hash}`;
      }
      if (article) diagnostics.push(keptPrevious(source.file, article));
    }
    if (article) {
      const first = owners.get(article.id);
      if (first) {
        diagnostics.push(duplicateId(source.file, article, first));
        article = undefined;
        text = undefined;
      } else {
        owners.set(article.id, source.file);
      }
    }
    parsed.push({ file: source.file, article, text: article ? text : undefined, diagnostics });
  }
  return {
    files: parsed,
    articles: parsed.flatMap((f) => (f.article ? [f.article] : [])),
    diagnostics: parsed.flatMap((f) => f.diagnostics),
  };
}

export function duplicateId(file: string, article: Article, firstFile: string): Diagnostic {
  return {
    severity: 'error',
    code: 'DUPLICATE_ID',
    file,
    line: article.fieldLines.id ?? 1,
    field: 'id',
    message: `id “${article.id}” 已被 ${firstFile} 使用，本文未加载`,
    hint: '每篇文章的 id 必须唯一；改成新的 id（改名后旧链接会失效）',
  };
}

export function keptPrevious(file: string, article: Article): Diagnostic {
  return {
    severity: 'warning',
    code: 'SERVING_PREVIOUS_VERSION',
    file,
    line: 1,
    message: `本文件有错误，仍在提供上一个正确版本（${article.title}）`,
    hint: '修正上面的错误并保存后，新内容会自动生效',
  };
}
