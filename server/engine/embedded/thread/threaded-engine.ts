import { type ResourceLimits, Worker } from 'node:worker_threads';
import { KbError } from '../../../errors.js';
import type { EngineResult, EngineStats, SearchEngine } from '../../search-engine.js';
import type { EngineWarn } from '../index-store.js';
import { type SnapshotBuild, startSnapshotBuild } from './snapshot-build.js';
import { type EngineCall, type EngineResponse, fromWire, type ThreadMessage } from './thread-protocol.js';

/**
 * How long one call may go unanswered before the thread counts as wedged. A
 * query takes well under a millisecond of engine time, so five seconds means
 * the thread is stuck, not busy; writes (a whole snapshot, a large article)
 * get a minute. A full build on its build thread gets ten minutes: 2,000
 * articles take about a second there, so that is room for a hundred thousand
 * on a loaded machine, and a build past it is stuck.
 */
export const ENGINE_TIMEOUTS = { query: 5_000, write: 60_000, build: 10 * 60_000 };
/** A thread that wedges or dies this often within the window is not restarted again: the engine gives up. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 10 * 60_000;
const QUERIES = new Set<EngineCall['method']>(['search', 'stats', 'health']);

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout | undefined };

export type ThreadedEngineOptions = {
  dataDir?: string;
  /** The thread is gone for good (it kept wedging or dying): nothing can be answered any more. */
  onExit?: (error: Error) => void;
  /**
   * A wedged or dead thread was replaced by a fresh one, which holds no index
   * yet: the owner brings it back to its corpus (the knowledge base reloads).
   * Until then every search fails with ENGINE_UNAVAILABLE and health says why.
   */
  onRestart?: (error: Error) => void;
  /** What the thread reports beside its answers (a damaged snapshot, a failed write). */
  warn?: EngineWarn;
  /** `build` (a full build on its build thread) defaults to ENGINE_TIMEOUTS.build. */
  timeouts?: { query: number; write: number; build?: number };
  /** The build threads' heap limits (snapshot-build.ts); Node's defaults when unset. */
  buildResourceLimits?: ResourceLimits;
};

/**
 * The embedded engine on its own thread. The service's one main thread was
 * saturated under search load while the machine's second core sat mostly
 * idle (docs/benchmarks.md); queries now run beside the HTTP work instead of
 * inside it, and snapshot writes after edits leave the main thread entirely.
 *
 * A full build runs on neither thread: the documents go to a build thread
 * started for it (snapshot-build.ts), which sends back the encoded snapshot,
 * transferred rather than copied, and the engine thread installs it. The
 * index served so far answers every search until then, and goes on if the
 * build fails. Edits and commits wait for a build in progress, so they apply
 * to the index it installs, in the order they were called. Edits (one
 * article's documents) and queries cross as messages (thread-protocol.ts),
 * all through `call`.
 *
 * An error inside the thread comes back with its code and cause (a bug in the
 * query code is INTERNAL, not an outage). Every call has a deadline
 * (ENGINE_TIMEOUTS): a thread that misses one is wedged (issue 14: a damaged
 * snapshot once sent a search on a billion-posting walk, and every search and
 * /readyz waited behind it forever). The call then fails with
 * ENGINE_UNAVAILABLE, the thread is terminated and a fresh one started
 * (`onRestart`), and health says so until the owner has reloaded it. A thread
 * that keeps wedging or dying is given up (`onExit`; main.ts exits, so the
 * supervisor restarts the whole service).
 */
export function createThreadedEngine(options: ThreadedEngineOptions = {}): SearchEngine {
  const timeouts = { ...ENGINE_TIMEOUTS, ...options.timeouts };
  const pending = new Map<number, Pending>();
  const restarts: number[] = [];
  let nextId = 0;
  /** Set once the engine has given up: every call fails with it. */
  let failure: KbError | undefined;
  /** Set while a fresh thread waits for its index: searches and edits fail with it. */
  let restarting: KbError | undefined;
  let closing = false;
  /** Full builds under way (one at a time, see `rebuilt`): close() stops them. */
  const builds = new Set<SnapshotBuild>();
  /** Settles once the last full build asked for has been installed or has failed: writes wait for it. */
  let rebuilt: Promise<unknown> = Promise.resolve();
  /** Runs `work` after the full builds asked for so far, as if they had been synchronous. */
  const afterBuilds = <T>(work: () => Promise<T>): Promise<T> => rebuilt.then(work, work);

  /** Resolves once the current thread has booted: deadlines start there. */
  let booted: Promise<void> = Promise.resolve();
  const spawn = (): Worker => {
    const w = new Worker(new URL('./thread-boot.mjs', import.meta.url), {
      workerData: { entry: './engine-thread.ts', dataDir: options.dataDir },
    });
    let ready: () => void = () => {};
    booted = new Promise<void>((resolve) => {
      ready = resolve;
    });
    w.on('message', (message: ThreadMessage) => {
      if ('ready' in message) {
        ready();
        return;
      }
      if ('warn' in message) {
        options.warn?.(message.warn);
        return;
      }
      settle(message);
    });
    w.on('error', (error) => {
      if (w === worker) lose(new KbError('ENGINE_UNAVAILABLE', `搜索线程出错：${error.message}`, { cause: error }));
    });
    w.on('exit', (code) => {
      if (w === worker) lose(new KbError('ENGINE_UNAVAILABLE', `搜索线程已退出（退出码 ${code}）`));
    });
    return w;
  };
  let worker = spawn();

  const settle = (response: EngineResponse) => {
    const waiting = pending.get(response.id);
    if (!waiting) return;
    pending.delete(response.id);
    clearTimeout(waiting.timer);
    if (response.error !== undefined) waiting.reject(fromWire(response.error));
    else waiting.resolve(response.result);
  };
  const rejectAll = (error: KbError) => {
    for (const waiting of pending.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(error);
    }
    pending.clear();
  };
  /** The thread is wedged or gone: fail what waits on it, then replace it or give up. */
  const lose = (error: KbError) => {
    rejectAll(error);
    const old = worker;
    if (closing || failure) return;
    const now = Date.now();
    while (restarts.length > 0 && now - (restarts[0] as number) > RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length >= MAX_RESTARTS) {
      failure = new KbError('ENGINE_UNAVAILABLE', `${error.message}；${MAX_RESTARTS} 次重启后仍然如此，搜索引擎停止`, {
        cause: error,
      });
      void old.terminate();
      options.onExit?.(failure);
      return;
    }
    restarts.push(now);
    restarting = new KbError('ENGINE_UNAVAILABLE', `${error.message}；搜索线程已重启，正在重新加载索引`, {
      cause: error,
    });
    worker = spawn();
    void old.terminate();
    options.onRestart?.(error);
  };

  /** Every call to the engine thread goes through here, each with its deadline. */
  const call = <T>(body: EngineCall, transfer: ArrayBuffer[] = []): Promise<T> => {
    if (failure) return Promise.reject(failure);
    // A fresh thread holds no index: only loading one (and questions about it) make sense.
    if (restarting && !['load', 'install', 'stats', 'health'].includes(body.method)) return Promise.reject(restarting);
    const id = nextId++;
    const ms = QUERIES.has(body.method) ? timeouts.query : timeouts.write;
    const target = worker;
    return new Promise<T>((resolve, reject) => {
      const waiting: Pending = { resolve: resolve as (value: unknown) => void, reject, timer: undefined };
      pending.set(id, waiting);
      target.postMessage({ ...body, id }, transfer);
      // The deadline runs from when the thread can answer; booting gets the write allowance.
      const arm = (after: number, what: string) => {
        waiting.timer = setTimeout(() => {
          if (pending.get(id) === waiting && target === worker) {
            lose(new KbError('ENGINE_UNAVAILABLE', `搜索线程 ${after / 1000} 秒没有应答（${what}），已停止`));
          }
        }, after);
        waiting.timer.unref();
      };
      arm(timeouts.write, '启动');
      void booted.then(() => {
        if (pending.get(id) !== waiting) return;
        clearTimeout(waiting.timer);
        arm(ms, body.method);
      });
    });
  };

  const engine: SearchEngine = {
    name: 'embedded',

    setLexicon() {},

    async sync(key, produce) {
      if (await afterBuilds(() => call<boolean>({ method: 'load', key }))) {
        restarting = undefined;
        return { rebuilt: false };
      }
      await engine.replaceAll(key, await produce());
      return { rebuilt: true };
    },

    replaceAll(key, docs) {
      const done = afterBuilds(async () => {
        if (failure) throw failure;
        const build = startSnapshotBuild(key, docs, {
          bootMs: timeouts.write,
          buildMs: timeouts.build,
          resourceLimits: options.buildResourceLimits,
        });
        builds.add(build);
        const bytes = await build.bytes.finally(() => builds.delete(build));
        await call({ method: 'install', key, bytes }, [bytes.buffer as ArrayBuffer]);
        restarting = undefined;
      });
      rebuilt = done;
      return done;
    },

    commit: (key) => afterBuilds(() => call({ method: 'commit', key })),
    upsertArticle: (articleId, docs) => afterBuilds(() => call({ method: 'upsert', articleId, docs })),
    removeArticle: (articleId) => afterBuilds(() => call({ method: 'remove', articleId })),
    search: (query) => call<EngineResult>({ method: 'search', query }),
    stats: () => call<EngineStats>({ method: 'stats' }),

    async health() {
      const down = failure ?? restarting;
      if (down) return { ok: false, detail: down.message };
      return call<{ ok: boolean; detail?: string }>({ method: 'health' }).catch((error: Error) => ({
        ok: false,
        detail: error.message,
      }));
    },

    async close() {
      closing = true;
      failure = new KbError('ENGINE_UNAVAILABLE', '搜索引擎已关闭');
      rejectAll(failure);
      const stopping = [...builds].map((build) => build.stop(failure as KbError));
      await Promise.all([worker.terminate(), ...stopping]);
    },
  };
  return engine;
}
