import { createHash } from 'node:crypto';
import type { Analyzer } from '../analyze/analyzer.js';
import { toSectionDocs } from '../analyze/section-docs.js';
import type { SearchEngine } from '../engine/search-engine.js';
import type { SourceFile } from '../load/load-content.js';
import type { Article } from '../parse/article.js';

/**
 * Brings the engine up to date with the parsed articles. The corpus key hashes
 * the analyzer (version + lexicon) and every source file, so a restart with
 * unchanged content loads the engine's snapshot instead of re-segmenting.
 */
export async function buildIndex(input: {
  engine: SearchEngine;
  analyzer: Analyzer;
  files: SourceFile[];
  articles: Article[];
  force?: boolean;
}): Promise<{ key: string; rebuilt: boolean }> {
  const key = corpusKey(input.analyzer, input.files);
  const produce = () => input.articles.flatMap((a) => toSectionDocs(a, input.analyzer));
  if (input.force) {
    await input.engine.replaceAll(key, produce());
    return { key, rebuilt: true };
  }
  const { rebuilt } = await input.engine.sync(key, produce);
  return { key, rebuilt };
}

function corpusKey(analyzer: Analyzer, files: SourceFile[]): string {
  const hash = createHash('sha256').update(analyzer.fingerprint);
  for (const f of files) hash.update(`\u0000${f.file}\u0000${f.text}`);
  return hash.digest('hex');
}
