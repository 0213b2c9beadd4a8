import type { SectionDoc } from '../../../analyze/section-docs.js';
import { isKbError, KbError, type KbErrorCode } from '../../../errors.js';
import type { EngineQuery } from '../../search-engine.js';

/**
 * The messages between the main thread (threaded-engine.ts) and the engine
 * thread (engine-thread.ts). Every request is answered with one response of
 * the same id; an error crosses as a `WireError`, with its code and cause.
 */

export type EngineCall =
  | { method: 'load'; key: string }
  | { method: 'install'; key: string; bytes: Uint8Array }
  | { method: 'search'; query: EngineQuery }
  | { method: 'upsert'; articleId: string; docs: SectionDoc[] }
  | { method: 'remove'; articleId: string }
  | { method: 'commit'; key: string }
  | { method: 'stats' }
  | { method: 'health' };

export type EngineRequest = { id: number } & EngineCall;
export type EngineResponse = { id: number; result?: unknown; error?: WireError };
/**
 * What the thread posts: that it has booted (once), a response to one
 * request, or a warning to log (a damaged snapshot, a failed write).
 */
export type ThreadMessage = { ready: true } | EngineResponse | { warn: string };

/**
 * The messages between the main thread and a build thread (snapshot-build.ts,
 * build-thread.ts): the documents in batches, then the corpus key, which
 * starts the build; the thread answers once, with the snapshot's bytes
 * (transferred) or an error, after it has said it booted.
 */
export type BuildRequest = { docs: SectionDoc[] } | { key: string };
export type BuildMessage = { ready: true } | { bytes: Uint8Array } | { error: WireError };

/** An error as plain data: structured cloning keeps neither a KbError's code nor, on Node 20, its cause. */
export type WireError = { name: string; message: string; stack?: string; code?: KbErrorCode; cause?: WireError };

const MAX_CAUSES = 5;

export function toWire(error: unknown, depth = 0): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const wire: WireError = { name: error.name, message: error.message, stack: error.stack };
  if (isKbError(error)) wire.code = error.code;
  if (error.cause !== undefined && depth < MAX_CAUSES) wire.cause = toWire(error.cause, depth + 1);
  return wire;
}

/**
 * The error the main thread raises for a failed call. A KbError keeps its
 * code; anything else (a bug in the query code, say) is INTERNAL, with the
 * original error, its name and its stack from the engine thread, as the cause.
 * Neither is ENGINE_UNAVAILABLE: that is kept for a thread that is gone.
 */
export function fromWire(wire: WireError): KbError {
  if (wire.code) {
    const error = new KbError(wire.code, wire.message, { cause: wire.cause && revive(wire.cause) });
    if (wire.stack) error.stack = wire.stack;
    return error;
  }
  return new KbError('INTERNAL', `搜索线程内部错误：${wire.message}`, { cause: revive(wire) });
}

function revive(wire: WireError): Error {
  if (wire.code) return fromWire(wire);
  const error = new Error(wire.message, { cause: wire.cause && revive(wire.cause) });
  error.name = wire.name;
  if (wire.stack) error.stack = wire.stack;
  return error;
}
