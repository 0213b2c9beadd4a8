import { formatDiagnostic } from '../diagnostics.js';
import { createEmbeddedEngine } from '../engine/embedded/embedded-engine.js';
import { createKnowledgeBase, type KnowledgeBase } from '../knowledge-base.js';

/** Builds (or loads) the embedded index snapshot and reports what it did. */
export async function runIndexCommand(options: {
  contentDir: string;
  dataDir: string;
  force: boolean;
}): Promise<number> {
  const started = performance.now();
  const { kb, result } = await openKnowledgeBase(options);
  const stats = await kb.engine.stats();
  for (const d of result.diagnostics) console.log(formatDiagnostic(d));
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(
    `${result.rebuilt ? '已重建索引' : '内容未变，已从快照加载'}：${result.accepted.length} 篇文章，${stats.documents} 个段落，` +
      `快照 ${((stats.sizeBytes ?? 0) / 1024).toFixed(0)} KB，用时 ${seconds} 秒。`,
  );
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) console.log(`有 ${errors} 个错误的文章没有进入索引，修正后重新运行。`);
  return errors > 0 ? 1 : 0;
}

/** The knowledge base on the embedded engine, as the CLI uses it. */
export async function openKnowledgeBase(options: { contentDir: string; dataDir: string; force?: boolean }): Promise<{
  kb: KnowledgeBase;
  result: Awaited<ReturnType<KnowledgeBase['reload']>>;
}> {
  const engine = createEmbeddedEngine({ dataDir: options.dataDir });
  const kb = createKnowledgeBase({ contentDir: options.contentDir, engine, dataDir: options.dataDir });
  const result = await kb.reload({ force: options.force });
  return { kb, result };
}
