import { parentPort, workerData } from 'node:worker_threads';
import { createEmbeddedEngine } from './embedded-engine.js';
import type { EngineRequest, EngineResponse } from './threaded-engine.js';

/**
 * The engine thread: hosts the embedded engine and answers the main thread's
 * requests one message at a time (see threaded-engine.ts for the protocol).
 */
const port = parentPort;
if (!port) throw new Error('engine-thread.ts runs only as a worker thread');
const engine = createEmbeddedEngine({ dataDir: (workerData as { dataDir?: string }).dataDir });
const NEEDS_DOCUMENTS = Symbol('needs documents');

async function handle(request: EngineRequest): Promise<unknown> {
  switch (request.method) {
    case 'load':
      try {
        return await engine.sync(request.key, () => {
          throw NEEDS_DOCUMENTS;
        });
      } catch (error) {
        if (error === NEEDS_DOCUMENTS) return { needsDocuments: true };
        throw error;
      }
    case 'adopt':
      return engine.adopt(
        request.key,
        Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength),
      );
    case 'search':
      return engine.search(request.query);
    case 'upsert':
      return engine.upsertArticle(request.articleId, request.docs);
    case 'remove':
      return engine.removeArticle(request.articleId);
    case 'commit':
      return engine.commit(request.key);
    case 'stats':
      return engine.stats();
    case 'health':
      return engine.health();
  }
}

port.on('message', (request: EngineRequest) => {
  handle(request).then(
    (result) => port.postMessage({ id: request.id, result } satisfies EngineResponse),
    (error: unknown) =>
      port.postMessage({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies EngineResponse),
  );
});
