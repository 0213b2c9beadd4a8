import type { Diagnostic } from '../diagnostics.js';

/**
 * How big one article may be (README "给培训人员"). A knowledge-base article is
 * a few kilobytes; the largest sample article is under 3 KB. The limits keep a
 * pasted manual or a generated file from stalling every search while it is
 * indexed and from making each anonymous fetch of it expensive: an article
 * beyond them is rejected with its line, and its last good version keeps serving.
 */
export const ARTICLE_LIMITS = {
  /** Whole file, front matter included, in bytes of UTF-8. */
  fileBytes: 256 * 1024,
  /** H2 sections, the untitled intro included. */
  sections: 200,
  /** One section's Markdown, in characters. */
  sectionChars: 20_000,
} as const;

/** The line at which a file passes the size limit, or undefined when it is within it. */
export function checkFileSize(file: string, source: string): Diagnostic | undefined {
  const bytes = Buffer.byteLength(source);
  if (bytes <= ARTICLE_LIMITS.fileBytes) return undefined;
  let line = 1;
  let seen = 0;
  for (const text of source.split('\n')) {
    seen += Buffer.byteLength(text) + 1;
    if (seen > ARTICLE_LIMITS.fileBytes) break;
    line++;
  }
  return tooLarge(
    file,
    line,
    `文件有 ${kib(bytes)}，超过单篇上限 ${kib(ARTICLE_LIMITS.fileBytes)}（从这一行起超出），本文未加载`,
    '把内容拆成几篇文章，用 [文字](kb:文章id) 互相链接；附件和长手册不要整篇贴进来',
  );
}

/** Section count and length, checked on the split article. */
export function checkSections(
  file: string,
  sections: Array<{ heading: string; line: number; markdown: string }>,
): Diagnostic | undefined {
  const extra = sections[ARTICLE_LIMITS.sections];
  if (extra) {
    return tooLarge(
      file,
      extra.line,
      `文章有 ${sections.length} 个段落，超过上限 ${ARTICLE_LIMITS.sections} 个（这是第 ${ARTICLE_LIMITS.sections + 1} 个），本文未加载`,
      '把内容拆成几篇文章，每篇讲一件事',
    );
  }
  const long = sections.find((s) => s.markdown.length > ARTICLE_LIMITS.sectionChars);
  if (!long) return undefined;
  return tooLarge(
    file,
    long.line,
    `段落“${long.heading || '（引言）'}”有 ${long.markdown.length} 个字符，超过单段上限 ${ARTICLE_LIMITS.sectionChars} 个，本文未加载`,
    '用二级标题（## ）把这一段分成几段，或拆成几篇文章',
    long.heading || undefined,
  );
}

function tooLarge(file: string, line: number, message: string, hint: string, field?: string): Diagnostic {
  return { severity: 'error', code: 'ARTICLE_TOO_LARGE', file, line, field, message, hint };
}

function kib(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KB`;
}
