/**
 * A problem found in the content, always tied to a file and a line so a
 * trainer can jump straight to it. Stages return these instead of throwing, so
 * one broken article never stops the rest of the knowledge base from loading.
 */
export type Diagnostic = {
  severity: 'error' | 'warning';
  /** Stable rule or error code, e.g. `INVALID_FRONT_MATTER`, `DUPLICATE_ID`. */
  code: string;
  /** Path relative to the content directory, with forward slashes. */
  file: string;
  /** 1-based line in the file. */
  line: number;
  /** Front matter field or section the problem is about, when there is one. */
  field?: string;
  message: string;
  /** One line telling the trainer how to fix it. */
  hint?: string;
};

/** `file:line 错误 CODE [field] message`, then the hint on its own line. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}`;
  const field = d.field ? ` [${d.field}]` : '';
  const level = d.severity === 'error' ? '错误' : '警告';
  const hint = d.hint ? `\n    提示：${d.hint}` : '';
  return `${where} ${level} ${d.code}${field} ${d.message}${hint}`;
}
