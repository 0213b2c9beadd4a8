import type { SectionDoc } from '../analyze/section-docs.js';
import type { SearchEngine } from './search-engine.js';

export type FallbackOptions = {
  /** A search waits this long for the primary before the embedded index answers. */
  searchTimeoutMs?: number;
  /** While the primary is unusable, it is retried this often. */
  retryMs?: number;
  /**
   * A write waits at most this long for the primary, then returns and the
   * primary catches up in the background (start-up never hangs on Meilisearch).
   */
  writeWaitMs?: number;
};

/**
 * Keeps the embedded index warm beside a primary engine (Meilisearch) so an
 * agent on a call is never left with nothing. Every write goes to the embedded
 * engine first (awaited; its errors are the caller's), then to the primary
 * through one ordered queue. Searches go to the primary while it holds the
 * current corpus and answers in time; otherwise the embedded engine answers
 * with `degraded: true`.
 *
 * Any primary failure (a write, a search, a health probe) marks it unusable and
 * due for a resync; a timer retries until it answers again. A resync is
 * `primary.sync(key, corpus)`: free when the primary still holds the key, a
 * full rebuild when it missed writes or lost its index. The corpus is the last
 * full load plus the articles changed since, so nothing is lost while it is
 * down. Then searches switch back on their own.
 */
export function createFallbackEngine(
  primary: SearchEngine,
  embedded: SearchEngine,
  options: FallbackOptions = {},
): SearchEngine {
  const searchTimeoutMs = options.searchTimeoutMs ?? 1_500;
  const retryMs = options.retryMs ?? 5_000;
  const writeWaitMs = options.writeWaitMs ?? 3_000;
  /** The last full load, and the articles changed since: what a resync sends. */
  let base: { key: string; produce: () => Promise<SectionDoc[]> } | undefined;
  const overlay = new Map<string, SectionDoc[] | null>();
  /** The key the primary should hold; `uncommitted` when articles changed after it. */
  let key = '';
  let uncommitted = false;
  /** The primary may not hold the current corpus: sync it before anything else. */
  let resync = true;
  /** Incremental writes to pass on while the primary keeps up, coalesced per article. */
  const queue = new Map<string, SectionDoc[] | null>();
  let commitKey: string | undefined;
  /** The primary holds the current corpus and answered last time. */
  let usable = false;
  let lastError = '尚未与 Meilisearch 同步';
  let draining: Promise<void> | undefined;
  let tried = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const fail = (error: unknown) => {
    usable = false;
    resync = true;
    lastError = error instanceof Error ? error.message : String(error);
    if (!retryTimer && !closed) {
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        void drain();
      }, retryMs);
      retryTimer.unref();
    }
  };

  const step = async (): Promise<boolean> => {
    if (!base) return false;
    if (resync) {
      // The resync covers every write so far; writes arriving during it are queued again.
      resync = false;
      queue.clear();
      commitKey = undefined;
      const { produce } = base;
      const changes = new Map(overlay);
      await primary.sync(uncommitted ? `${key}~uncommitted` : key, async () => merge(await produce(), changes));
      return true;
    }
    const [change] = queue;
    if (change) {
      const [articleId, docs] = change;
      await (docs ? primary.upsertArticle(articleId, docs) : primary.removeArticle(articleId));
      if (queue.get(articleId) === docs) queue.delete(articleId);
      return true;
    }
    if (commitKey !== undefined) {
      const committing = commitKey;
      await primary.commit(committing);
      if (commitKey === committing) commitKey = undefined;
      return true;
    }
    return false;
  };

  /** Passes pending writes on in order, then confirms the primary answers. One run at a time. */
  const drain = (): Promise<void> => {
    draining ??= (async () => {
      try {
        while (base) {
          if (await step()) continue;
          const health = await withTimeout(primary.health(), searchTimeoutMs);
          if (!health.ok) throw new Error(health.detail ?? 'Meilisearch 不可用');
          if (resync || queue.size > 0 || commitKey !== undefined) continue; // a write arrived meanwhile
          usable = true;
          return;
        }
      } catch (error) {
        fail(error);
      } finally {
        tried = true;
        draining = undefined;
      }
    })();
    return draining;
  };

  /** Waits for the primary at most `writeWaitMs`, and not at all once it is known to be down. */
  const replay = async () => {
    const run = drain();
    if (!usable && tried) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([run, new Promise<void>((resolve) => (timer = setTimeout(resolve, writeWaitMs)))]);
    clearTimeout(timer);
    tried = true; // finished, failed or still hanging: the next write does not wait on a primary that is not usable
  };

  const load = async (k: string, produce: () => Promise<SectionDoc[]>) => {
    base = { key: k, produce };
    key = k;
    overlay.clear();
    uncommitted = false;
    resync = true;
    await replay();
  };

  const change = async (articleId: string, docs: SectionDoc[] | null) => {
    overlay.set(articleId, docs);
    uncommitted = true;
    queue.delete(articleId); // re-insert: the queue keeps the order of the edits
    queue.set(articleId, docs);
    commitKey = undefined; // a commit queued before this edit no longer describes the index
    await replay();
  };

  const engine: SearchEngine = {
    name: 'meilisearch',

    setLexicon(lexicon) {
      embedded.setLexicon(lexicon);
      primary.setLexicon(lexicon);
    },

    async sync(k, produce) {
      // Analysis is the costly part: both engines share one run of `produce` when both need it.
      // The documents are not kept afterwards; a later resync analyses again.
      let docs: Promise<SectionDoc[]> | undefined;
      const result = await embedded.sync(k, () => (docs ??= Promise.resolve(produce())));
      await load(k, async () => (await docs) ?? produce());
      docs = undefined;
      return result;
    },

    async replaceAll(k, docs) {
      await embedded.replaceAll(k, docs);
      await load(k, async () => docs);
    },

    async commit(k) {
      await embedded.commit(k);
      key = k;
      uncommitted = false;
      commitKey = k;
      await replay();
    },

    async upsertArticle(articleId, docs) {
      await embedded.upsertArticle(articleId, docs);
      await change(articleId, docs);
    },

    async removeArticle(articleId) {
      await embedded.removeArticle(articleId);
      await change(articleId, null);
    },

    async search(query) {
      if (usable) {
        try {
          return await withTimeout(primary.search(query), searchTimeoutMs);
        } catch (error) {
          fail(error);
        }
      }
      const result = await embedded.search(query);
      return { ...result, engine: 'embedded', degraded: true };
    },

    // The embedded index mirrors the primary's corpus and answers without a network hop (/readyz polls this).
    stats: () => embedded.stats(),

    async health() {
      const local = await embedded.health();
      if (!local.ok) return local;
      if (usable) {
        // A cheap probe, so /readyz notices an outage before the next search does.
        const probe = await withTimeout(primary.health(), searchTimeoutMs).catch((error: unknown) => ({
          ok: false,
          detail: error instanceof Error ? error.message : String(error),
        }));
        if (!probe.ok) fail(new Error(probe.detail ?? 'Meilisearch 不可用'));
      }
      if (usable) return { ok: true, degraded: false };
      return { ok: true, degraded: true, detail: `Meilisearch 暂不可用，由内置索引应答：${lastError}` };
    },

    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await Promise.all([primary.close(), embedded.close()]);
    },
  };
  return engine;
}

/** The last full load with the articles changed since applied. */
function merge(docs: SectionDoc[], changes: Map<string, SectionDoc[] | null>): SectionDoc[] {
  if (changes.size === 0) return docs;
  const kept = docs.filter((d) => !changes.has(d.articleId));
  for (const changed of changes.values()) if (changed) kept.push(...changed);
  return kept;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Meilisearch 在 ${ms} ms 内没有响应`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
