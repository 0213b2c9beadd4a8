import { createHash } from 'node:crypto';
import type { Analyzer } from '../analyze/analyzer.js';
import { type SectionDoc, toSectionDocs } from '../analyze/section-docs.js';
import type { SearchEngine } from '../engine/search-engine.js';
import type { Lexicon } from '../load/load-lexicon.js';
import type { Article } from '../parse/article.js';

/** Bump when `toSectionDocs` changes what is indexed, so old snapshots are not reused. */
const INDEX_LAYOUT_VERSION = 1;
/**
 * A full build's analysis gives the event loop a turn this often, so an admin
 * reindex (or a start-up rebuild) no longer holds every search and health
 * check on the main thread for the whole segmentation (about 0.6 s for the
 * 86 sample articles on a loaded machine, issue 14 item 7).
 */
const SLICE_MS = 10;

/** An article together with the hash of the source text it was parsed from (parse-cache.ts `hashSource`). */
export type AcceptedArticle = { article: Article; hash: string };

/**
 * Brings the engine up to date with the accepted articles. The corpus key
 * hashes the analyzer (version + lexicon) and the source of every accepted
 * article, so a restart with unchanged content loads the engine's snapshot
 * instead of re-segmenting, and a snapshot never disagrees with what is served.
 */
export async function buildIndex(input: {
  engine: SearchEngine;
  analyzer: Analyzer;
  lexicon: Lexicon;
  accepted: AcceptedArticle[];
  force?: boolean;
}): Promise<{ key: string; rebuilt: boolean }> {
  const key = corpusKey(input.analyzer, input.accepted);
  const produce = () => analyzeInSlices(input.accepted, input.analyzer);
  input.engine.setLexicon(input.lexicon);
  if (input.force) {
    await input.engine.replaceAll(key, await produce());
    return { key, rebuilt: true };
  }
  const { rebuilt } = await input.engine.sync(key, produce);
  return { key, rebuilt };
}

/** Every accepted article's section documents, analysed a slice at a time. */
async function analyzeInSlices(accepted: AcceptedArticle[], analyzer: Analyzer): Promise<SectionDoc[]> {
  const docs: SectionDoc[] = [];
  let sliceStart = performance.now();
  for (const { article } of accepted) {
    for (const doc of toSectionDocs(article, analyzer)) docs.push(doc);
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return docs;
}

export function corpusKey(analyzer: Analyzer, accepted: Iterable<AcceptedArticle>): string {
  const hash = createHash('sha256').update(`layout:${INDEX_LAYOUT_VERSION}\u0000${analyzer.fingerprint}`);
  const sorted = [...accepted].sort((a, b) => a.article.file.localeCompare(b.article.file));
  for (const { article, hash: source } of sorted) hash.update(`\u0000${article.file}\u0000${source}`);
  return hash.digest('hex');
}
