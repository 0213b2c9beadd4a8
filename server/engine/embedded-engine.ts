import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { indexOptions, newIndex, searchIndex, toIndexDocs } from './minisearch-index.js';
import type { SearchEngine } from './search-engine.js';

const SNAPSHOT_VERSION = 2;
const SNAPSHOT_PREFIX = 'embedded-';

type Snapshot = {
  version: number;
  key: string;
  articleDocs: Record<string, string[]>;
  index: unknown;
};

/**
 * The embedded engine: MiniSearch in-process. Documents arrive pre-analyzed
 * (terms joined by spaces), so MiniSearch's own tokenizer, which would turn a
 * Chinese sentence into one term, is replaced by a split on the separator.
 */
export function createEmbeddedEngine(options: { dataDir?: string } = {}): SearchEngine {
  let index = newIndex();
  let key: string | undefined;
  let articleDocs = new Map<string, string[]>();

  const snapshotPath = (k: string) =>
    options.dataDir ? path.join(options.dataDir, `${SNAPSHOT_PREFIX}${k.slice(0, 32)}.json`) : undefined;

  async function loadSnapshot(k: string): Promise<boolean> {
    const file = snapshotPath(k);
    if (!file) return false;
    let json: string;
    try {
      json = await readFile(file, 'utf8');
    } catch {
      return false;
    }
    try {
      const snapshot = JSON.parse(json) as Snapshot;
      if (snapshot.version !== SNAPSHOT_VERSION || snapshot.key !== k) return false;
      index = MiniSearch.loadJS(snapshot.index as Parameters<typeof MiniSearch.loadJS>[0], indexOptions());
      articleDocs = new Map(Object.entries(snapshot.articleDocs));
      key = k;
      return true;
    } catch {
      return false; // a corrupt snapshot is rebuilt, never fatal
    }
  }

  async function saveSnapshot(k: string): Promise<void> {
    const file = snapshotPath(k);
    if (!file || !options.dataDir) return;
    await mkdir(options.dataDir, { recursive: true });
    const snapshot: Snapshot = {
      version: SNAPSHOT_VERSION,
      key: k,
      articleDocs: Object.fromEntries(articleDocs),
      index: index.toJSON(),
    };
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(snapshot));
    await rename(tmp, file);
    // Keep only the current snapshot.
    for (const name of await readdir(options.dataDir)) {
      if (name.startsWith(SNAPSHOT_PREFIX) && path.join(options.dataDir, name) !== file && !name.endsWith('.tmp')) {
        await rm(path.join(options.dataDir, name), { force: true });
      }
    }
  }

  const engine: SearchEngine = {
    name: 'embedded',

    async sync(k, produce) {
      if (key === k) return { rebuilt: false };
      if (await loadSnapshot(k)) return { rebuilt: false };
      await engine.replaceAll(k, await produce());
      await saveSnapshot(k);
      return { rebuilt: true };
    },

    async replaceAll(k, docs) {
      // Build aside, then swap the reference: a concurrent search sees old or new, never half.
      const next = newIndex();
      const nextDocs = new Map<string, string[]>();
      const indexDocs = toIndexDocs(docs);
      next.addAll(indexDocs);
      for (const doc of indexDocs) nextDocs.set(doc.articleId, [...(nextDocs.get(doc.articleId) ?? []), doc.id]);
      index = next;
      articleDocs = nextDocs;
      key = k;
    },

    async commit(k) {
      key = k;
      await saveSnapshot(k);
    },

    async upsertArticle(articleId, docs) {
      await engine.removeArticle(articleId);
      const indexDocs = toIndexDocs(docs);
      index.addAll(indexDocs);
      articleDocs.set(
        articleId,
        indexDocs.map((d) => d.id),
      );
    },

    async removeArticle(articleId) {
      for (const id of articleDocs.get(articleId) ?? []) index.discard(id);
      articleDocs.delete(articleId);
    },

    async search(query) {
      return searchIndex(index, query);
    },

    async stats() {
      const file = key ? snapshotPath(key) : undefined;
      const sizeBytes = file
        ? await stat(file).then(
            (s) => s.size,
            () => undefined,
          )
        : undefined;
      // One article document per article sits beside its sections (see minisearch-index.ts).
      return { documents: index.documentCount - articleDocs.size, articles: articleDocs.size, key, sizeBytes };
    },

    async health() {
      return key === undefined ? { ok: false, detail: '索引尚未加载' } : { ok: true };
    },

    async close() {},
  };
  return engine;
}
