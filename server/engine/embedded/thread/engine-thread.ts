import { parentPort, workerData } from 'node:worker_threads';
import { createIndexStore } from '../index-store.js';
import { PostingsIndex } from '../postings-index.js';
import { decodeSnapshot } from '../snapshot/snapshot-format.js';
import {
  type EngineCall,
  type EngineRequest,
  type EngineResponse,
  type ThreadMessage,
  toWire,
} from './thread-protocol.js';

/**
 * The engine thread: hosts the embedded engine's index store and answers the
 * main thread's requests one message at a time (threaded-engine.ts has the
 * why, thread-protocol.ts the messages).
 */
const port = parentPort;
if (!port) throw new Error('engine-thread.ts runs only as a worker thread');
const store = createIndexStore({
  dataDir: (workerData as { dataDir?: string }).dataDir,
  warn: (message) => port.postMessage({ warn: message } satisfies ThreadMessage),
});

async function handle(call: EngineCall): Promise<unknown> {
  switch (call.method) {
    case 'load':
      return store.key === call.key || (await store.load(call.key));
    case 'install': {
      const bytes = Buffer.from(call.bytes.buffer, call.bytes.byteOffset, call.bytes.byteLength);
      const parts = decodeSnapshot(bytes, call.key);
      if (!parts) throw new Error('建索引线程建好的索引数据无法读取');
      return store.install(call.key, PostingsIndex.fromSnapshot(parts), bytes);
    }
    case 'search':
      return store.search(call.query);
    case 'upsert':
      return store.upsertArticle(call.articleId, call.docs);
    case 'remove':
      return store.removeArticle(call.articleId);
    case 'commit':
      return store.commit(call.key);
    case 'stats':
      return store.stats();
    case 'health':
      return store.health();
  }
}

port.on('message', (request: EngineRequest) => {
  handle(request).then(
    (result) => port.postMessage({ id: request.id, result } satisfies EngineResponse),
    (error: unknown) => port.postMessage({ id: request.id, error: toWire(error) } satisfies EngineResponse),
  );
});
// Calls' deadlines run from here: loading TypeScript and the modules is not the engine being slow.
port.postMessage({ ready: true } satisfies ThreadMessage);
