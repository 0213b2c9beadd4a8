import type { SectionDoc } from '../../analyze/section-docs.js';
import type { EngineQuery, EngineResult, EngineStats } from '../search-engine.js';
import { toIndexDocs } from './index-docs.js';
import { PostingsIndex } from './postings-index.js';
import { type SearchOptions, searchPostings } from './postings-search.js';
import { createSnapshotFiles } from './snapshot/snapshot-files.js';
import { encodeSnapshot, readSnapshot } from './snapshot/snapshot-format.js';

/**
 * The embedded engine's state: the postings index it serves, the corpus key
 * that index holds, and its snapshot on disk. The two adapters are built on
 * it: in-process (embedded-engine.ts) and on the engine thread (thread/).
 */
export type IndexStore = {
  /** The corpus key of the index being served; undefined until one is loaded or installed. */
  readonly key: string | undefined;
  /** Serves the snapshot of corpus `key` if one is on disk; false when there is none or it is unusable. */
  load(key: string): Promise<boolean>;
  /**
   * Serves `index` as corpus `key` and writes its snapshot (`bytes` when the
   * caller has them encoded already, as the engine thread does).
   */
  install(key: string, index: PostingsIndex, bytes?: Uint8Array): Promise<void>;
  upsertArticle(articleId: string, docs: SectionDoc[]): void;
  removeArticle(articleId: string): void;
  /**
   * After incremental changes the index is corpus `key`: writes its snapshot,
   * so a restart does not re-index. Neither this nor `install` fails when the
   * snapshot cannot be written: they warn, and health carries the reason.
   */
  commit(key: string): Promise<void>;
  search(query: EngineQuery): EngineResult;
  stats(): Promise<EngineStats>;
  health(): { ok: boolean; detail?: string };
};

/** An index over port documents, compacted: what a full build produces. */
export function buildPostingsIndex(docs: SectionDoc[]): PostingsIndex {
  return PostingsIndex.build(toIndexDocs(docs));
}

/** What the store reports beside its answers: the engine's owner logs it (main.ts). */
export type EngineWarn = (message: string) => void;

export function createIndexStore(
  options: { dataDir?: string; warn?: EngineWarn; search?: SearchOptions } = {},
): IndexStore {
  const files = createSnapshotFiles(options.dataDir);
  let index = new PostingsIndex();
  let key: string | undefined;

  /** Why the snapshot on disk is behind the index served, when the last write failed. */
  let unsaved: string | undefined;
  /**
   * A snapshot that cannot be written (a read-only or full data directory)
   * costs the next start a rebuild, nothing else: the index is served from
   * memory, and the log and health say so, once per cause.
   */
  const write = async (k: string, bytes: Buffer | Uint8Array) => {
    try {
      await files.write(k, bytes);
      if (unsaved) options.warn?.('索引快照又能写入数据目录了');
      unsaved = undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      const message = `索引快照无法写入数据目录（${code}）：索引只在内存中提供，重启时需要重新建索引`;
      if (message !== unsaved) options.warn?.(message);
      unsaved = message;
    }
  };
  // Encoding copies the arrays synchronously (tens of milliseconds at 10,000 articles);
  // the write itself runs on libuv's thread pool while searches go on.
  const save = (k: string) => write(k, encodeSnapshot(index.toSnapshot(), k));

  return {
    get key() {
      return key;
    },
    async load(k) {
      const bytes = await files.read(k);
      if (!bytes) return false;
      // A damaged snapshot is rebuilt, never served and never fatal.
      const read = readSnapshot(bytes, k);
      if (!read.ok) {
        if (read.problem === 'damaged') options.warn?.(`索引快照已损坏（${read.message}），不使用它，重新建索引`);
        return false;
      }
      index = PostingsIndex.fromSnapshot(read.parts);
      key = k;
      return true;
    },
    async install(k, next, bytes) {
      // The reference swaps at once: a concurrent search sees the old index or the new one, never half.
      index = next;
      key = k;
      await (bytes ? write(k, bytes) : save(k));
    },
    upsertArticle(articleId, docs) {
      index.removeArticle(articleId);
      index.add(toIndexDocs(docs));
    },
    removeArticle(articleId) {
      index.removeArticle(articleId);
    },
    async commit(k) {
      key = k;
      await save(k);
    },
    search: (query) => searchPostings(index, query, options.search),
    async stats() {
      const sizeBytes = key ? await files.size(key) : undefined;
      // One article document per article sits beside its sections (see index-docs.ts).
      return { documents: index.sectionCount, articles: index.liveArticles, key, sizeBytes };
    },
    health: () => (key === undefined ? { ok: false, detail: '索引尚未加载' } : { ok: true, detail: unsaved }),
  };
}
