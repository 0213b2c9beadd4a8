import { parentPort } from 'node:worker_threads';
import type { SectionDoc } from '../../../analyze/section-docs.js';
import { buildPostingsIndex } from '../index-store.js';
import { encodeSnapshot } from '../snapshot/snapshot-format.js';
import { type BuildMessage, type BuildRequest, toWire } from './thread-protocol.js';

/**
 * A build thread: collects the documents the main thread sends in batches,
 * builds the index from them once the key arrives, and answers with the
 * encoded snapshot. It lives for one build (snapshot-build.ts has the why).
 */
const port = parentPort;
if (!port) throw new Error('build-thread.ts runs only as a worker thread');
const docs: SectionDoc[] = [];

port.on('message', (request: BuildRequest) => {
  if ('docs' in request) {
    for (const doc of request.docs) docs.push(doc);
    return;
  }
  let answer: BuildMessage;
  let transfer: ArrayBuffer[] = [];
  try {
    const encoded = encodeSnapshot(buildPostingsIndex(docs).toSnapshot(), request.key);
    // Only a buffer of its own can be transferred; a large Buffer.alloc is one already.
    const whole = encoded.byteOffset === 0 && encoded.byteLength === encoded.buffer.byteLength;
    const bytes = whole ? encoded : new Uint8Array(encoded);
    answer = { bytes };
    transfer = [bytes.buffer as ArrayBuffer];
  } catch (error) {
    answer = { error: toWire(error) };
  }
  docs.length = 0;
  port.postMessage(answer, transfer);
});
port.postMessage({ ready: true } satisfies BuildMessage);
