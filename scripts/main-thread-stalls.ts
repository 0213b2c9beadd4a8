/**
 * The longest the main thread (HTTP, health checks) is held during a lexicon
 * save and an admin reindex, with the engine on its own thread as the service
 * runs it: `npx tsx scripts/main-thread-stalls.ts [content dir]`. A 5 ms timer
 * measures the gaps between its ticks. Numbers for docs/ and issue reports,
 * not a test: they depend on the machine and its load.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createThreadedEngine } from '../server/engine/embedded/thread/threaded-engine.js';
import { createKnowledgeBase } from '../server/knowledge-base.js';

const dir = mkdtempSync(path.join(tmpdir(), 'stall-'));
cpSync(process.argv[2] ?? 'content', path.join(dir, 'content'), { recursive: true });
const engine = createThreadedEngine({ dataDir: path.join(dir, 'data') });
const kb = createKnowledgeBase({ contentDir: path.join(dir, 'content'), engine, dataDir: path.join(dir, 'data') });
await kb.reload();
await kb.start({ watch: false });
await new Promise((r) => setTimeout(r, 3000));

async function probe(name: string, work: () => Promise<unknown>) {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  const t0 = performance.now();
  await work();
  const total = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 50));
  clearInterval(timer);
  console.log(`${name}: total ${Math.round(total)} ms, longest stall ${Math.round(worst)} ms`);
}
for (let i = 0; i < 3; i++) {
  await probe('lexicon save', () => kb.applyChanges({ files: [], lexicon: true }));
  await probe('admin reindex', () => kb.reload({ force: true }));
}
await kb.close();
await engine.close();
