import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toIndexDocs } from './index-docs.js';
import { PostingsIndex } from './postings-index.js';
import { searchPostings } from './postings-search.js';
import { decodeSnapshot, encodeSnapshot } from './postings-snapshot.js';
import type { SearchEngine } from './search-engine.js';

const SNAPSHOT_PREFIX = 'embedded-';

/**
 * The embedded engine: an in-process inverted index over flat typed arrays
 * (postings-index.ts), queried with BM25 and a bounded top-k
 * (postings-search.ts), persisted as a binary snapshot (postings-snapshot.ts).
 * Documents arrive pre-analyzed: it never segments text itself.
 */
export type EmbeddedEngine = SearchEngine & {
  /**
   * Takes over an index built elsewhere, as snapshot bytes (postings-snapshot.ts),
   * and keeps them as the snapshot: how the engine thread receives a full build
   * from the main thread (threaded-engine.ts).
   */
  adopt(key: string, bytes: Buffer): Promise<void>;
};

export function createEmbeddedEngine(options: { dataDir?: string } = {}): EmbeddedEngine {
  let index = new PostingsIndex();
  let key: string | undefined;

  const snapshotPath = (k: string) =>
    options.dataDir ? path.join(options.dataDir, `${SNAPSHOT_PREFIX}${k.slice(0, 32)}.bin`) : undefined;

  async function loadSnapshot(k: string): Promise<boolean> {
    const file = snapshotPath(k);
    if (!file) return false;
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      return false;
    }
    try {
      const loaded = decodeSnapshot(bytes, k);
      if (!loaded) return false;
      index = loaded;
      key = k;
      return true;
    } catch {
      return false; // a corrupt snapshot is rebuilt, never fatal
    }
  }

  async function saveSnapshot(k: string): Promise<void> {
    if (!snapshotPath(k)) return;
    // Encoding copies the arrays synchronously (tens of milliseconds at 10,000 articles);
    // the write itself runs on libuv's thread pool while searches go on.
    await writeSnapshot(k, encodeSnapshot(index, k));
  }

  async function writeSnapshot(k: string, bytes: Buffer): Promise<void> {
    const file = snapshotPath(k);
    if (!file || !options.dataDir) return;
    await mkdir(options.dataDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, file);
    // Keep only the current snapshot (older keys and the JSON snapshots of earlier versions).
    for (const name of await readdir(options.dataDir)) {
      if (name.startsWith(SNAPSHOT_PREFIX) && path.join(options.dataDir, name) !== file && !name.endsWith('.tmp')) {
        await rm(path.join(options.dataDir, name), { force: true });
      }
    }
  }

  const engine: EmbeddedEngine = {
    name: 'embedded',

    async adopt(k, bytes) {
      const adopted = decodeSnapshot(bytes, k);
      if (!adopted) throw new Error('索引数据无法读取');
      index = adopted;
      key = k;
      await writeSnapshot(k, bytes);
    },

    async sync(k, produce) {
      if (key === k) return { rebuilt: false };
      if (await loadSnapshot(k)) return { rebuilt: false };
      await engine.replaceAll(k, await produce());
      await saveSnapshot(k);
      return { rebuilt: true };
    },

    async replaceAll(k, docs) {
      // Build aside, then swap the reference: a concurrent search sees old or new, never half.
      const next = new PostingsIndex();
      next.add(toIndexDocs(docs));
      next.compact();
      index = next;
      key = k;
    },

    async commit(k) {
      key = k;
      await saveSnapshot(k);
    },

    async upsertArticle(articleId, docs) {
      index.removeArticle(articleId);
      index.add(toIndexDocs(docs));
    },

    async removeArticle(articleId) {
      index.removeArticle(articleId);
    },

    async search(query) {
      return searchPostings(index, query);
    },

    async stats() {
      const file = key ? snapshotPath(key) : undefined;
      const sizeBytes = file
        ? await stat(file).then(
            (s) => s.size,
            () => undefined,
          )
        : undefined;
      // One article document per article sits beside its sections (see index-docs.ts).
      return { documents: index.sectionCount, articles: index.liveArticles, key, sizeBytes };
    },

    async health() {
      return key === undefined ? { ok: false, detail: '索引尚未加载' } : { ok: true };
    },

    async close() {},
  };
  return engine;
}
