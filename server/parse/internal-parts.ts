import type Token from 'markdown-it/lib/token.mjs';
import type { Diagnostic } from '../diagnostics.js';
import { isCustomerParams, isInternalParams } from './markdown.js';

/**
 * A line that opens or closes a block the way trainers type it: full-width
 * colons from a Chinese input method (`：：： 内部`), or two colons before
 * internal (`:: internal`). These become `:::` so the block is one, instead of
 * its content being shown as plain text.
 */
const MARKER_LINE = /^([ \t]*)([:：]{2,})[ \t]*(.*)$/;

/** Rewrites near-miss block markers to `:::` (same line count, so every line number still holds). */
export function normalizeBlockMarkers(body: string): string {
  if (!body.includes('::') && !body.includes('：：')) return body;
  return body
    .split('\n')
    .map((line) => {
      const m = MARKER_LINE.exec(line);
      if (!m) return line;
      const [, indent = '', marks = '', params = ''] = m;
      const valid = marks.length >= 3 && !marks.includes('：');
      const meant = marks.length >= 3 || params === '' || isInternalParams(params) || isCustomerParams(params);
      if (valid || !meant) return line;
      return `${indent}${':'.repeat(Math.max(3, marks.length))}${params ? ` ${params}` : ''}`;
    })
    .join('\n');
}

/**
 * Checks the `:::` blocks of one article body, each problem at its line. Every
 * block is internal (see markdown.ts), so what goes wrong here can only hide
 * too much, never show too much, except a stray `:::`, whose opening was not
 * recognised at all. All are errors: the article still serves, the trainer is told.
 */
export function checkBlocks(file: string, lines: string[], tokens: Token[], bodyLine: number): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const error = (line: number, code: string, message: string, hint: string, field?: string) =>
    diagnostics.push({ severity: 'error', code, file, line: bodyLine + line, field, message, hint });
  const closers = new Set<number>();
  const open: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.type === 'container_internal_open') {
      const [start = 0, end = 0] = token.map ?? [];
      open.push(start);
      if (/^\s*:{3,}\s*$/.test(lines[end] ?? '')) closers.add(end);
      else {
        error(
          start,
          'UNCLOSED_INTERNAL_BLOCK',
          '::: 块没有结束的 :::，它后面的全部内容都按内部内容处理，客户看不到',
          '在块的最后一行后面单独写一行 :::',
        );
      }
      if (!isInternalParams(token.info) && !isCustomerParams(token.info)) {
        error(
          start,
          'UNKNOWN_BLOCK',
          `不认识的块 “::: ${token.info.trim()}”，已按内部内容处理（客户看不到）`,
          '只支持 ::: internal（或 ::: 内部）和客户版本 ::: 客户（或 ::: customer）',
        );
      } else if (isCustomerParams(token.info) && open.length > 1) {
        error(
          start,
          'NESTED_CUSTOMER_BLOCK',
          '::: 客户 块写在了另一个 ::: 块里面，已按内部内容处理（客户看不到）',
          '客户版本单独成块：先用单独一行 ::: 结束外面的块',
        );
      }
    } else if (token.type === 'container_internal_close') {
      open.pop();
    } else if (token.type === 'heading_open' && token.tag === 'h2' && open.length > 0) {
      const heading = tokens[i + 1]?.content ?? '';
      error(
        token.map?.[0] ?? 0,
        'INTERNAL_BLOCK_SPANS_HEADING',
        `第 ${bodyLine + (open.at(-1) ?? 0)} 行开始的 ::: 块跨过了二级标题“${heading}”：这一段整段按内部内容处理，客户看不到`,
        '在这个标题前单独写一行 ::: 结束内部块；标题后如果还有内部内容，再开一个 ::: internal',
        heading,
      );
    } else if (token.type === 'inline' && token.map) {
      const first = token.map[0];
      token.content.split('\n').forEach((text, n) => {
        if (/^\s*:{3,}\s*$/.test(text) && !closers.has(first + n)) {
          error(
            first + n,
            'STRAY_BLOCK_END',
            '这一行的 ::: 没有对应的开头：它前面的内容客户能看到',
            '内部内容的开头单独写一行 ::: internal；不需要的话删掉这一行',
          );
        }
      });
    }
  }
  return diagnostics;
}
