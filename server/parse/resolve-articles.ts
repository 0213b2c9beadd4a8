import type { Diagnostic } from '../diagnostics.js';
import type { Article } from './article.js';
import type { ParseResult } from './parse-article.js';

/** One article file as it reads now: the hash of its text and what it parses to. */
export type ParsedSource = { file: string; hash: string; result: ParseResult };

/** A version of an article a file serves, with the hash of the text it was parsed from. */
export type ServedVersion = { article: Article; hash: string };

/** One article file after the rules below: what it says now, what it serves, and every problem with it. */
export type ParsedFile = ParsedSource & {
  /** The version this file serves: its current one, or its last good one; none when broken or blocked. */
  served?: ServedVersion;
  diagnostics: Diagnostic[];
};

/**
 * The rules that decide which article each file serves, the same for a full
 * load and for a saved edit (the pipeline runs this over every file either
 * way), at start-up and while running:
 *
 * - Last good version: a file whose current text does not parse keeps
 *   serving the version it served before (SERVING_PREVIOUS_VERSION), so an
 *   edit can only ever add an error report, never lose an article.
 * - Unique ids: the file that already serves an id keeps it; a newcomer with
 *   that id is reported (DUPLICATE_ID, with the line of its `id:` field and
 *   the file holding it) and serves its own previous version if it had one.
 *   When the holder goes away or changes its id, the first newcomer in path
 *   order takes over. Among files of which none served the id before (the
 *   first load without a parse cache), path order decides.
 *
 * @param current every article file, sorted by path
 * @param previous the version a file served before: the live state while
 *   running, the parse cache after a restart
 */
export function resolveArticles(
  current: ParsedSource[],
  previous: (file: string) => ServedVersion | undefined,
): ParsedFile[] {
  const files = current.map((source) => {
    const before = previous(source.file);
    // What the file could serve, best first: what it says now, then what it served before.
    const options: Array<ServedVersion & { current: boolean }> = [];
    if (source.result.article) options.push({ article: source.result.article, hash: source.hash, current: true });
    if (before && before.hash !== source.hash) options.push({ ...before, current: false });
    return { source, before, options };
  });
  // An id stays with the file that served it, while that file still offers a version with it.
  const reserved = new Map<string, string>();
  for (const { source, before, options } of files) {
    const id = before?.article.id;
    if (id !== undefined && options.some((o) => o.article.id === id)) reserved.set(id, source.file);
  }
  const holders = new Map<string, string>();
  const resolved = new Map<string, ParsedFile>();
  const resolve = (entry: (typeof files)[number], respectReserved: boolean) => {
    const { source, options } = entry;
    const diagnostics = [...source.result.diagnostics];
    let served: ServedVersion | undefined;
    for (const option of options) {
      const id = option.article.id;
      const reservedBy = reserved.get(id);
      const holder = holders.get(id) ?? (respectReserved && reservedBy !== source.file ? reservedBy : undefined);
      if (holder === undefined) {
        served = { article: option.article, hash: option.hash };
        holders.set(id, source.file);
        if (!option.current) diagnostics.push(keptPrevious(source.file, option.article));
        break;
      }
      if (option.current) diagnostics.push(duplicateId(source.file, option.article, holder));
    }
    resolved.set(source.file, { ...source, served, diagnostics });
  };
  // Files that held an id go first, so no newcomer takes it from them; then everyone else in path order.
  const holding = (entry: (typeof files)[number]) =>
    entry.before !== undefined && reserved.get(entry.before.article.id) === entry.source.file;
  for (const entry of files) if (holding(entry)) resolve(entry, true);
  for (const entry of files) if (!holding(entry)) resolve(entry, false);
  return current.map((source) => resolved.get(source.file) as ParsedFile);
}

export function duplicateId(file: string, article: Article, holder: string): Diagnostic {
  return {
    severity: 'error',
    code: 'DUPLICATE_ID',
    file,
    line: article.fieldLines.id ?? 1,
    field: 'id',
    message: `id “${article.id}” 已被 ${holder} 使用，本文未加载`,
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
