import { Worker } from 'node:worker_threads';
import { KbError } from '../../../errors.js';
import type { EngineResult, EngineStats, SearchEngine } from '../../search-engine.js';
import { buildPostingsIndex } from '../index-store.js';
import { encodeSnapshot } from '../snapshot/snapshot-format.js';
import { type EngineCall, type EngineResponse, fromWire } from './thread-protocol.js';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/**
 * The embedded engine on its own thread. The service's one main thread was
 * saturated under search load while the machine's second core sat mostly
 * idle (docs/benchmarks.md); queries now run beside the HTTP work instead of
 * inside it, and snapshot writes after edits leave the main thread entirely.
 *
 * A full build still runs here, on the main thread, before the service
 * listens: the analyzed documents are already here, and copying them to
 * another thread would hold them twice. The built index crosses over as its
 * binary snapshot, transferred rather than copied. Edits (one article's
 * documents) and queries cross as messages (thread-protocol.ts), all through
 * `call`.
 *
 * An error inside the thread comes back with its code and cause (a bug in the
 * query code is INTERNAL, not an outage). Only a thread that is gone makes
 * every call fail with ENGINE_UNAVAILABLE, and health says so; main.ts then
 * exits, so the supervisor restarts the whole service.
 */
export function createThreadedEngine(options: { dataDir?: string; onExit?: (error: Error) => void }): SearchEngine {
  const worker = new Worker(new URL('./engine-thread-boot.mjs', import.meta.url), {
    workerData: { dataDir: options.dataDir },
  });
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let failure: KbError | undefined;
  let closing = false;

  worker.on('message', (response: EngineResponse) => {
    const waiting = pending.get(response.id);
    if (!waiting) return;
    pending.delete(response.id);
    if (response.error !== undefined) waiting.reject(fromWire(response.error));
    else waiting.resolve(response.result);
  });
  const fail = (error: KbError) => {
    failure ??= error;
    for (const waiting of pending.values()) waiting.reject(failure);
    pending.clear();
    if (!closing) options.onExit?.(failure);
  };
  worker.on('error', (error) =>
    fail(new KbError('ENGINE_UNAVAILABLE', `搜索线程出错：${error.message}`, { cause: error })),
  );
  worker.on('exit', (code) => fail(new KbError('ENGINE_UNAVAILABLE', `搜索线程已退出（退出码 ${code}）`)));

  /** Every call to the engine thread goes through here. */
  const call = <T>(body: EngineCall, transfer: ArrayBuffer[] = []): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...body, id }, transfer);
    });
  };

  const engine: SearchEngine = {
    name: 'embedded',

    setLexicon() {},

    async sync(key, produce) {
      if (await call<boolean>({ method: 'load', key })) return { rebuilt: false };
      await engine.replaceAll(key, await produce());
      return { rebuilt: true };
    },

    async replaceAll(key, docs) {
      // Its own buffer, so it can be transferred.
      const bytes = new Uint8Array(encodeSnapshot(buildPostingsIndex(docs).toSnapshot(), key));
      await call({ method: 'install', key, bytes }, [bytes.buffer]);
    },

    commit: (key) => call({ method: 'commit', key }),
    upsertArticle: (articleId, docs) => call({ method: 'upsert', articleId, docs }),
    removeArticle: (articleId) => call({ method: 'remove', articleId }),
    search: (query) => call<EngineResult>({ method: 'search', query }),
    stats: () => call<EngineStats>({ method: 'stats' }),

    async health() {
      if (failure) return { ok: false, detail: failure.message };
      return call({ method: 'health' });
    },

    async close() {
      closing = true;
      await worker.terminate();
    },
  };
  return engine;
}
