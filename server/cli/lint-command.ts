import { formatDiagnostic } from '../diagnostics.js';
import { lintContent } from '../lint/lint-content.js';

/** Prints the lint report; returns the exit code (1 when there are errors). */
export async function runLintCommand(options: { contentDir: string; format: 'text' | 'json' }): Promise<number> {
  const report = await lintContent(options.contentDir);
  if (options.format === 'json') {
    console.log(JSON.stringify(report, null, 2));
  } else {
    for (const d of report.diagnostics) console.log(formatDiagnostic(d));
    console.log(
      `\n检查了 ${report.files} 个文件，${report.articles} 篇文章可用；错误 ${report.errors} 个，警告 ${report.warnings} 个。`,
    );
  }
  return report.errors > 0 ? 1 : 0;
}
