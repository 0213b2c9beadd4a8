import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderPreviewPage } from '../answer/preview-page.js';
import { formatDiagnostic } from '../diagnostics.js';
import { createEmbeddedEngine } from '../engine/embedded/embedded-engine.js';
import { createKnowledgeBase } from '../knowledge-base.js';
import { toContentPath } from '../load/load-content.js';
import { parseArticle } from '../parse/parse-article.js';

/** Writes an HTML preview of one article file (agent and public views side by side). */
export async function runPreviewCommand(options: { file: string; contentDir: string; out?: string }): Promise<number> {
  const absPath = path.resolve(options.file);
  const file = toContentPath(path.resolve(options.contentDir), absPath);
  const text = await readFile(absPath, 'utf8').catch(() => undefined);
  if (text === undefined) {
    console.error(`读不到文件 ${options.file}`);
    return 2;
  }
  const { article, diagnostics } = parseArticle(file, text);
  for (const d of diagnostics) console.error(formatDiagnostic(d));
  if (!article) return 1;
  // The rest of the knowledge base decides which links work on each scope.
  const kb = createKnowledgeBase({ contentDir: options.contentDir, engine: createEmbeddedEngine() });
  await kb.reload();
  const out = options.out ?? `${absPath.replace(/\.md$/i, '')}.preview.html`;
  await writeFile(out, renderPreviewPage(kb, article));
  console.log(`预览已写入 ${out}`);
  return 0;
}
