import type { Config } from '../config.js';
import { formatDiagnostic } from '../diagnostics.js';
import { createEmbeddedEngine } from '../engine/embedded/embedded-engine.js';
import { createMeilisearchEngine } from '../engine/meilisearch/meilisearch-engine.js';
import type { SearchEngine } from '../engine/search-engine.js';
import { createKnowledgeBase, type KnowledgeBase } from '../knowledge-base.js';

/** The configured engine, as the CLI needs it: which one, and where Meilisearch is. */
export type CliEngineConfig = Pick<Config, 'engine' | 'meiliUrl' | 'meiliMasterKey' | 'meiliIndex'>;

/** Builds (or loads) the configured engine's index and reports what it did. */
export async function runIndexCommand(
  options: {
    contentDir: string;
    dataDir: string;
    force: boolean;
  } & Partial<CliEngineConfig>,
): Promise<number> {
  const started = performance.now();
  const { kb, result } = await openKnowledgeBase(options);
  const stats = await kb.engine.stats();
  for (const d of result.diagnostics) console.log(formatDiagnostic(d));
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const meili = kb.engine.name === 'meilisearch';
  const kept = meili ? `内容未变，Meilisearch 索引 ${options.meiliIndex ?? ''} 已是最新` : '内容未变，已从快照加载';
  const where = meili
    ? `Meilisearch ${options.meiliUrl} 索引 ${options.meiliIndex}`
    : `快照 ${((stats.sizeBytes ?? 0) / 1024).toFixed(0)} KB`;
  console.log(
    `${result.rebuilt ? '已重建索引' : kept}：${result.accepted.length} 篇文章，${stats.documents} 个段落，` +
      `${where}，用时 ${seconds} 秒。`,
  );
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) console.log(`有 ${errors} 个错误的文章没有进入索引，修正后重新运行。`);
  return errors > 0 ? 1 : 0;
}

/**
 * The knowledge base on the configured engine, as the CLI uses it. With
 * Meilisearch, the adapter itself and no embedded fallback: a trainer who runs
 * `kb index` against Meilisearch must learn that it failed, not get a local
 * index instead, and the command exits before a fallback could catch up.
 */
export async function openKnowledgeBase(
  options: { contentDir: string; dataDir: string; force?: boolean } & Partial<CliEngineConfig>,
): Promise<{
  kb: KnowledgeBase;
  result: Awaited<ReturnType<KnowledgeBase['reload']>>;
}> {
  const engine: SearchEngine =
    options.engine === 'meilisearch' && options.meiliUrl
      ? createMeilisearchEngine({
          host: options.meiliUrl,
          apiKey: options.meiliMasterKey,
          indexUid: options.meiliIndex,
        })
      : // A snapshot that cannot be written (a read-only or full data directory) is said, not hidden.
        createEmbeddedEngine({ dataDir: options.dataDir, warn: (message) => console.error(message) });
  const kb = createKnowledgeBase({ contentDir: options.contentDir, engine, dataDir: options.dataDir });
  const result = await kb.reload({ force: options.force });
  return { kb, result };
}
