import { type ResourceLimits, Worker } from 'node:worker_threads';
import type { SectionDoc } from '../../../analyze/section-docs.js';
import { KbError } from '../../../errors.js';
import { type BuildMessage, type BuildRequest, fromWire } from './thread-protocol.js';

/** Documents per message: one batch's structured clone is a few milliseconds of the main thread. */
const BATCH = 256;
/** Sending the documents gives the event loop a turn this often (as the analysis does, build-index.ts). */
const SLICE_MS = 10;
/** Said after every failure: the engine thread was never touched. */
const STILL_SERVING = '仍在使用原来的索引';

/** One full build on its own thread: the snapshot's bytes, or why not; `stop` ends it early. */
export type SnapshotBuild = {
  bytes: Promise<Uint8Array>;
  /** Rejects `bytes` with `error` (unless it has settled already) and resolves once the thread is gone. */
  stop: (error: KbError) => Promise<void>;
};

/** Build threads started and not yet exited, in this process. */
const live = new Set<Worker>();

/** How many build threads are running: 0 once every build has finished or been stopped (tests check for leaks). */
export function runningBuildThreads(): number {
  return live.size;
}

export type SnapshotBuildOptions = {
  /** How long the thread may take to boot (TypeScript and the modules), then to build: milliseconds. */
  bootMs: number;
  buildMs: number;
  /** The build thread's heap limits (Node's defaults when unset); a build that exceeds them fails like a crashed one. */
  resourceLimits?: ResourceLimits;
};

/**
 * Builds the index of `docs` and encodes its snapshot on a build thread of
 * its own, started for this build and ended after it (issue 14, item 7).
 *
 * On the main thread the build held every request and health check for as
 * long as it took (one to three seconds for 2,000 articles, docs/benchmarks.md);
 * on the engine thread it would hold every search instead. A thread per build
 * costs its boot (0.5–1 s on a loaded 2-core machine, off the main thread) on
 * a path that runs at start-up and on an admin reindex, and gives the build's
 * garbage back with the thread's heap; an idle thread kept for reuse would
 * hold that heap between rare rebuilds.
 *
 * The documents cross by structured clone, a batch at a time with the event
 * loop turning between batches; the bytes come back transferred. A thread
 * that dies, throws or misses its deadline rejects `bytes` with a KbError;
 * nothing else changes, so the index served so far goes on being served.
 */
export function startSnapshotBuild(key: string, docs: SectionDoc[], options: SnapshotBuildOptions): SnapshotBuild {
  const worker = new Worker(new URL('./thread-boot.mjs', import.meta.url), {
    workerData: { entry: './build-thread.ts' },
    resourceLimits: options.resourceLimits,
  });
  live.add(worker);
  let settled = false;
  let ended: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let finish: (outcome: { error: KbError } | { bytes: Uint8Array }) => void = () => {};

  const bytes = new Promise<Uint8Array>((resolve, reject) => {
    finish = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Settled once the thread is gone, so no caller sees an outcome with a build still running.
      ended = worker.terminate().then(() => undefined);
      void ended.then(() => ('error' in outcome ? reject(outcome.error) : resolve(outcome.bytes)));
    };
  });
  const fail = (message: string, cause?: unknown) =>
    finish({ error: new KbError('ENGINE_UNAVAILABLE', `${message}；${STILL_SERVING}`, { cause }) });
  const arm = (ms: number, what: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => fail(`建索引线程 ${ms / 1000} 秒没有${what}，已停止`), ms);
    timer.unref();
  };

  worker.on('message', (message: BuildMessage) => {
    if (settled) return;
    if ('ready' in message) arm(options.buildMs, '建完索引');
    else if ('bytes' in message) finish({ bytes: message.bytes });
    else {
      const cause = fromWire(message.error);
      finish({ error: new KbError(cause.code, `建索引失败：${message.error.message}；${STILL_SERVING}`, { cause }) });
    }
  });
  worker.on('error', (error) => fail(`建索引线程出错：${error.message}`, error));
  worker.on('exit', (code) => {
    live.delete(worker);
    fail(`建索引线程已退出（退出码 ${code}）`);
  });
  arm(options.bootMs, '启动');
  void send(worker, key, docs, () => settled);

  return {
    bytes,
    stop(error) {
      finish({ error });
      return ended ?? Promise.resolve();
    },
  };
}

/** Posts the documents a batch at a time (queued until the thread listens), then the key that starts the build. */
async function send(worker: Worker, key: string, docs: SectionDoc[], stopped: () => boolean) {
  let sliceStart = performance.now();
  for (let i = 0; i < docs.length; i += BATCH) {
    if (stopped()) return;
    worker.postMessage({ docs: docs.slice(i, i + BATCH) } satisfies BuildRequest);
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  if (!stopped()) worker.postMessage({ key } satisfies BuildRequest);
}
