import type { SearchEngine } from '../search-engine.js';
import { buildPostingsIndex, createIndexStore, type EngineWarn } from './index-store.js';
import type { SearchOptions } from './postings-search.js';

/**
 * The embedded engine in this thread: an inverted index of our own over flat
 * typed arrays (postings-index.ts), queried with BM25 and a bounded top-k
 * (postings-search.ts), persisted as a binary snapshot (snapshot/). Documents
 * arrive pre-analyzed: it never segments text itself. The service runs it on
 * its own thread instead (thread/threaded-engine.ts); the CLI, the scripts and
 * the tests run it here. `search.exhaustive` scores every posting (no
 * pruning): `npm run eval` compares the two answers on the evaluation sets.
 */
export function createEmbeddedEngine(
  options: { dataDir?: string; warn?: EngineWarn; search?: SearchOptions } = {},
): SearchEngine {
  const store = createIndexStore(options);
  return {
    name: 'embedded',

    setLexicon() {},

    async sync(key, produce) {
      if (store.key === key || (await store.load(key))) return { rebuilt: false };
      await store.install(key, buildPostingsIndex(await produce()));
      return { rebuilt: true };
    },

    async replaceAll(key, docs) {
      await store.install(key, buildPostingsIndex(docs));
    },

    commit: (key) => store.commit(key),

    async upsertArticle(articleId, docs) {
      store.upsertArticle(articleId, docs);
    },

    async removeArticle(articleId) {
      store.removeArticle(articleId);
    },

    async search(query) {
      return store.search(query);
    },

    stats: () => store.stats(),

    async health() {
      return store.health();
    },

    async close() {},
  };
}
