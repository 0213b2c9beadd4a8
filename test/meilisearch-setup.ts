import type { TestProject } from 'vitest/node';
import { findMeilisearchBinary, type MeiliServer, startMeilisearch } from '../scripts/meili-server.js';

/**
 * Vitest global setup: the Meilisearch the real-server tests run against.
 * MEILI_URL (+ MEILI_MASTER_KEY) names a user's own server; otherwise a
 * `meilisearch` binary (MEILI_BIN, or on PATH) is started on a free loopback
 * port with a temporary database and stopped after the run. Without either,
 * those tests are skipped and say so (test/engine/meilisearch/meili-target.ts).
 */
declare module 'vitest' {
  export interface ProvidedContext {
    meili: { url: string; masterKey?: string; binary?: string } | { skipped: string };
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.MEILI_URL) {
    project.provide('meili', { url: process.env.MEILI_URL, masterKey: process.env.MEILI_MASTER_KEY });
    return undefined;
  }
  const binary = findMeilisearchBinary();
  if (!binary) {
    project.provide('meili', {
      skipped: 'no Meilisearch: set MEILI_BIN (or put meilisearch on PATH), or MEILI_URL and MEILI_MASTER_KEY',
    });
    return undefined;
  }
  let server: MeiliServer;
  try {
    server = await startMeilisearch(binary);
  } catch (error) {
    // A binary that does not start is a broken setup, not a reason to skip quietly.
    throw new Error(`could not start ${binary}: ${error instanceof Error ? error.message : String(error)}`);
  }
  console.log(`[meilisearch] started ${binary} at ${server.url} (temporary database ${server.dbPath})`);
  project.provide('meili', { url: server.url, masterKey: server.masterKey, binary });
  return () => server.dispose();
}
