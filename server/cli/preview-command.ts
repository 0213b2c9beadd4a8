import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderPreviewPage } from '../answer/preview-page.js';
import { formatDiagnostic } from '../diagnostics.js';
import { createEmbeddedEngine } from '../engine/embedded/embedded-engine.js';
import { createKnowledgeBase } from '../knowledge-base.js';
import { toContentPath } from '../load/load-content.js';
import { parseArticle } from '../parse/parse-article.js';

/**
 * Writes an HTML preview of one article file (agent and public views side by
 * side). By default into the data directory, never next to the article: a file
 * in the content directory would show up in git and wake the watcher.
 */
export async function runPreviewCommand(options: {
  file: string;
  contentDir: string;
  dataDir: string;
  out?: string;
}): Promise<number> {
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
  const out = path.resolve(options.out ?? path.join(options.dataDir, 'previews', previewName(file)));
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, renderPreviewPage(kb, article));
  console.log(`预览已写入 ${out}\n用浏览器打开：${pathToFileURL(out).href}`);
  return 0;
}

/** broadband/bb-los-red.md -> broadband__bb-los-red.html: one flat folder, no two articles on one name. */
function previewName(file: string): string {
  return `${file
    .replace(/\.md$/i, '')
    .replace(/^(\.\.\/)+/, '')
    .replace(/[/\\]+/g, '__')}.html`;
}
