import { randomBytes } from 'node:crypto';
import { type EnqueuedTaskPromise, Meilisearch, MeilisearchApiError, type Settings } from 'meilisearch';
import type { SectionDoc } from '../../analyze/section-docs.js';
import { KbError } from '../../errors.js';
import { parseLexicon } from '../../load/load-lexicon.js';
import type { SearchEngine } from '../search-engine.js';
import { META_ID, META_VISIBILITY, type MetaDoc, metaDoc, toMeiliDocs } from './meilisearch-documents.js';
import { mergeResults, planSearch, quote } from './meilisearch-query.js';
import { buildMeiliSettings, settingsHash } from './meilisearch-settings.js';

/** Documents per addDocuments request during a rebuild. */
const BATCH_SIZE = 1000;

export type MeilisearchEngineOptions = {
  host: string;
  apiKey?: string;
  /** The index searches read. Rebuilds go to a fresh index that is swapped into this name. */
  indexUid?: string;
  /**
   * The index settings when no lexicon was given (`setLexicon` builds them from
   * the knowledge base's lexicon): read on every load and commit.
   */
  settings?: () => Settings | Promise<Settings>;
  /** A search request is abandoned after this long. */
  searchTimeoutMs?: number;
  /** Any other request is abandoned after this long. */
  requestTimeoutMs?: number;
  /** A write task (indexing) may take this long before it counts as failed. */
  taskTimeoutMs?: number;
};

/**
 * The Meilisearch adapter: one document per section (meilisearch-documents.ts),
 * settings from the lexicon (meilisearch-settings.ts), searches planned and
 * merged in meilisearch-query.ts. Every write is awaited as a task and a task
 * that did not succeed is an error, never assumed done.
 *
 * The corpus key lives in a meta document inside the index itself, so the key
 * and the documents are swapped together, and a restarted API instance (or a
 * second one behind the same load balancer) does not rebuild what Meilisearch
 * already holds.
 */
export function createMeilisearchEngine(options: MeilisearchEngineOptions): SearchEngine {
  const client = new Meilisearch({
    host: options.host,
    apiKey: options.apiKey,
    timeout: options.requestTimeoutMs ?? 10_000,
    defaultWaitOptions: { timeout: options.taskTimeoutMs ?? 120_000, interval: 50 },
  });
  const live = options.indexUid ?? 'kb_sections';
  /** Articles in the index, for the word weights of a search (refreshed on every load). */
  let articles = 0;
  /** Settings from the knowledge base's lexicon, applied on the next load or commit. */
  let fromLexicon: Settings | undefined;
  /** The dictionary of the settings last applied: words Meilisearch keeps whole in a query. */
  let wholeWords: ReadonlySet<string> = new Set();

  async function readMeta(): Promise<MetaDoc | undefined> {
    try {
      return await client.index(live).getDocument<MetaDoc>(META_ID);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Writes to a missing index would create it without settings: refuse instead. */
  async function requireLive(): Promise<MetaDoc> {
    const meta = await readMeta();
    if (!meta) throw new KbError('ENGINE_UNAVAILABLE', `Meilisearch 中没有索引 ${live}：需要先完整建一次索引`);
    return meta;
  }

  async function currentSettings(): Promise<{ settings: Settings; hash: string }> {
    const settings = fromLexicon ?? (await options.settings?.()) ?? buildMeiliSettings(parseLexicon({}).lexicon);
    wholeWords = new Set(settings.dictionary ?? []);
    return { settings, hash: settingsHash(settings) };
  }

  /** Builds into a fresh index, then swaps it into `live` and deletes the old one. */
  async function rebuild(key: string, docs: SectionDoc[]): Promise<void> {
    const { settings, hash } = await currentSettings();
    const uid = `${live}_${randomBytes(6).toString('hex')}`;
    const count = new Set(docs.map((d) => d.articleId)).size;
    let swapped = false;
    try {
      await settle(client.createIndex(uid, { primaryKey: 'id' }), 'createIndex');
      const index = client.index(uid);
      await settle(index.updateSettings(settings), 'updateSettings');
      await settleAll(index.addDocumentsInBatches(toMeiliDocs(docs), BATCH_SIZE).map((t) => [t, 'addDocuments']));
      await settle(index.addDocuments([metaDoc(key, hash, count)]), 'addDocuments(meta)');
      // https://www.meilisearch.com/docs/reference/api/indexes/swap-indexes: `rename` moves
      // the fresh index to the live name the first time, when there is nothing to swap with.
      const exists = await client.getRawIndex(live).then(
        () => true,
        (error: unknown) => (isNotFound(error) ? false : Promise.reject(error)),
      );
      const swap = exists
        ? { indexes: [live, uid] as [string, string], rename: false }
        : { indexes: [uid, live] as [string, string], rename: true };
      await settle(client.swapIndexes([swap]), 'swapIndexes');
      swapped = true;
      articles = count;
      // After a swap `uid` holds the previous corpus.
      if (exists) await settle(client.deleteIndex(uid), 'deleteIndex').catch(() => undefined);
    } catch (error) {
      // Waits for the deletion itself, not only its enqueueing: the half-built index is gone when this rejects.
      if (!swapped)
        await client
          .deleteIndex(uid)
          .waitTask()
          .catch(() => undefined);
      throw error;
    }
  }

  const engine: SearchEngine = {
    name: 'meilisearch',

    setLexicon(lexicon) {
      fromLexicon = buildMeiliSettings(lexicon);
    },

    async sync(key, produce) {
      const meta = await readMeta();
      if (meta?.key !== key) {
        await rebuild(key, await produce());
        return { rebuilt: true };
      }
      articles = meta.articles;
      const { settings, hash } = await currentSettings();
      if (meta.settingsHash !== hash) await applySettings(settings, hash);
      return { rebuilt: false };
    },

    replaceAll: rebuild,

    async commit(key) {
      const meta = await requireLive();
      const { settings, hash } = await currentSettings();
      if (meta.settingsHash !== hash) await applySettings(settings, hash);
      await settle(client.index(live).updateDocuments([{ id: META_ID, key }]), 'updateDocuments(meta)');
    },

    async upsertArticle(articleId, docs) {
      await requireLive();
      const index = client.index(live);
      const fresh = toMeiliDocs(docs);
      const keep = new Set(fresh.map((d) => d.id));
      const existing = await index.getDocuments<{ id: string }>({
        filter: `articleId = ${quote(articleId)}`,
        fields: ['id'],
        limit: 10_000,
      });
      const gone = existing.results.map((d) => d.id).filter((id) => !keep.has(id));
      // Add (replacing same-id sections) before deleting the sections that are gone: a search
      // in between sees the article's old or new sections, never none. Each task is enqueued
      // only after the previous one was, so Meilisearch runs them in this order.
      const tasks: Array<[EnqueuedTaskPromise, string]> = [];
      const enqueue = async (task: EnqueuedTaskPromise, what: string) => {
        tasks.push([task, what]);
        await task;
      };
      if (fresh.length > 0) await enqueue(index.addDocuments(fresh), 'addDocuments');
      if (gone.length > 0) await enqueue(index.deleteDocuments(gone), 'deleteDocuments');
      await enqueue(index.updateDocuments([{ id: META_ID, key: null }]), 'updateDocuments(meta)');
      await settleAll(tasks);
    },

    async removeArticle(articleId) {
      await requireLive();
      const index = client.index(live);
      await settle(index.deleteDocuments({ filter: `articleId = ${quote(articleId)}` }), 'deleteDocuments');
      await settle(index.updateDocuments([{ id: META_ID, key: null }]), 'updateDocuments(meta)');
    },

    async search(query) {
      const plan = planSearch(query, live, { wholeWords });
      if (!plan) return { engine: 'meilisearch', degraded: false, total: 0, totalIsEstimate: false, hits: [] };
      const response = await client.multiSearch(
        { queries: plan.queries },
        { signal: AbortSignal.timeout(options.searchTimeoutMs ?? 2_000) },
      );
      return mergeResults(plan, response.results, query, articles);
    },

    async stats() {
      const meta = await readMeta();
      if (!meta) return { documents: 0, articles: 0 };
      const index = client.index(live);
      const [indexStats, facets] = await Promise.all([
        index.getStats(),
        index.search(null, { filter: `visibility != ${quote(META_VISIBILITY)}`, facets: ['articleId'], limit: 0 }),
      ]);
      return {
        documents: indexStats.numberOfDocuments - 1,
        articles: Object.keys(facets.facetDistribution?.articleId ?? {}).length,
        key: meta.key ?? undefined,
      };
    },

    async health() {
      try {
        await client.health();
        return (await readMeta()) ? { ok: true } : { ok: false, detail: `Meilisearch 中还没有索引 ${live}` };
      } catch (error) {
        return { ok: false, detail: `Meilisearch 不可用：${error instanceof Error ? error.message : String(error)}` };
      }
    },

    async close() {},
  };

  async function applySettings(settings: Settings, hash: string): Promise<void> {
    // Meilisearch re-indexes in place; searches keep reading the previous state until the task commits.
    await settle(client.index(live).updateSettings(settings), 'updateSettings');
    await settle(client.index(live).updateDocuments([{ id: META_ID, settingsHash: hash }]), 'updateDocuments(meta)');
  }

  return engine;
}

/** Waits for a task and fails unless it succeeded: a failed or canceled task is never assumed done. */
async function settle(task: EnqueuedTaskPromise, what: string): Promise<void> {
  const done = await task.waitTask();
  if (done.status === 'succeeded') return;
  const reason = done.error?.message ?? done.status;
  throw new KbError('ENGINE_UNAVAILABLE', `Meilisearch 任务未成功（${what}）：${reason}`, {
    details: { taskUid: done.uid, code: done.error?.code },
  });
}

/**
 * Settles tasks in the order they were enqueued; the first failure wins, the
 * others are not left unhandled. Every request is answered before anything is
 * thrown: a batch still in flight when the caller cleans up would otherwise
 * arrive after the index was deleted, and recreate it (adding documents creates
 * a missing index).
 */
async function settleAll(tasks: Array<[EnqueuedTaskPromise, string]>): Promise<void> {
  await Promise.allSettled(tasks.map(([task]) => task));
  for (const [task, what] of tasks) await settle(task, what);
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof MeilisearchApiError &&
    (error.cause?.code === 'index_not_found' || error.cause?.code === 'document_not_found')
  );
}
