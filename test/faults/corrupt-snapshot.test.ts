import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { encodeSnapshot, readSnapshot } from '../../server/engine/embedded/snapshot/snapshot-format.js';
import { createThreadedEngine } from '../../server/engine/embedded/thread/threaded-engine.js';
import type { SearchEngine } from '../../server/engine/search-engine.js';
import type { KbError } from '../../server/errors.js';
import { createKnowledgeBase, type KnowledgeBase } from '../../server/knowledge-base.js';
import { LOCAL } from '../helpers/app.js';
import { wordQuery } from '../helpers/engine-fixtures.js';
import { article, tempDir, writeContent } from '../helpers/sample.js';

/**
 * Fault injection: the embedded engine's snapshot in KB_DATA_DIR changed
 * after it was written. Four bytes inside one term's postings offset used to
 * load silently (fromSnapshot: true) and send the first search for that term
 * on a walk of a billion postings: every search and /readyz then waited
 * forever behind it. Now a damaged file is rebuilt and the rebuild logged,
 * and a thread that stops answering (here: a snapshot that passes the
 * checksum but is wrong, as a bug in the writer would leave it) turns into
 * ENGINE_UNAVAILABLE and a failing /readyz, then a fresh thread and a rebuild.
 */
const TERM = '红灯';
const QUERY = `/v1/search?q=${encodeURIComponent(TERM)}`;

let tmp: Awaited<ReturnType<typeof tempDir>>;
let content: string;
let data: string;
const engines: SearchEngine[] = [];
let app: FastifyInstance | undefined;

beforeEach(async () => {
  tmp = await tempDir();
  content = path.join(tmp.dir, 'content');
  data = path.join(tmp.dir, 'data');
  await writeContent(content, {
    'a.md': article(
      { id: 'bb-red', title: '光猫红灯', product: '宽带', category: '故障排查' },
      '## 答案\n红灯亮起时重启光猫。',
    ),
    'b.md': article(
      { id: 'bb-blue', title: '路由器蓝灯', product: '宽带', category: '故障排查' },
      '## 答案\n蓝灯常亮是正常的。',
    ),
  });
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const engine of engines.splice(0)) await engine.close();
  await tmp.cleanup();
});

/** Each start boots an engine thread (TypeScript compiled in it) and the segmenter: seconds on a loaded machine. */
const SLOW = { timeout: 60_000 };

/** A knowledge base on the threaded engine over `data`, as main.ts wires it (a restart rebuilds). */
async function start(timeouts?: { query: number; write: number }) {
  const warnings: string[] = [];
  const restarts: string[] = [];
  /** What health said the moment the thread was replaced, before the rebuild. */
  const healthOnRestart: Array<Promise<{ ok: boolean; detail?: string }>> = [];
  let kb: KnowledgeBase | undefined;
  const engine: SearchEngine = createThreadedEngine({
    dataDir: data,
    timeouts,
    warn: (message) => warnings.push(message),
    onRestart: (error) => {
      restarts.push(error.message);
      healthOnRestart.push(engine.health());
      void kb?.reload({ force: true });
    },
  });
  engines.push(engine);
  kb = createKnowledgeBase({ contentDir: content, engine, dataDir: data });
  const result = await kb.reload();
  app = await buildApp({ kb, access: LOCAL });
  return { kb, engine, app, result, warnings, restarts, healthOnRestart };
}

/** The snapshot file, and where term TERM's end offset lies in it. */
async function snapshotFile() {
  const name = (await readdir(data)).find((n) => n.startsWith('embedded-') && n.endsWith('.bin'));
  if (!name) throw new Error('no snapshot written');
  return path.join(data, name);
}

async function closeFirst(first: Awaited<ReturnType<typeof start>>) {
  await first.app.close();
  await first.kb.close();
  await first.engine.close();
  app = undefined;
}

describe('a corrupted snapshot', SLOW, () => {
  it('four changed bytes in a postings offset: detected, logged, rebuilt, and the search answers', async () => {
    const first = await start();
    const key = first.result.key as string;
    await closeFirst(first);

    const file = await snapshotFile();
    const bytes = await readFile(file);
    const read = readSnapshot(bytes, key);
    if (!read.ok) throw new Error(read.message);
    const t = read.parts.terms.indexOf(TERM);
    expect(t).toBeGreaterThanOrEqual(0);
    // Locate postStart[t + 1] in the file by its value, right after the arrays before it.
    const postStart = read.parts.arrays.postStart;
    const at = findInt32(bytes, postStart, t + 1);
    bytes.writeInt32LE(0x3fffffff, at);
    await writeFile(file, bytes);

    const second = await start();
    expect(second.result.rebuilt).toBe(true);
    expect(second.warnings.join('\n')).toContain('索引快照已损坏（校验和不符');
    const t0 = performance.now();
    const res = await second.app.inject({ method: 'GET', url: QUERY });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().hits.map((h: { id: string }) => h.id)).toEqual(['bb-red']);
    expect(performance.now() - t0).toBeLessThan(5_000);
    // The rebuilt snapshot is whole again: a third start loads it.
    await closeFirst(second);
    const third = await start();
    expect(third.result.rebuilt).toBe(false);
    expect(third.warnings).toEqual([]);
  });

  it('a thread that stops answering: ENGINE_UNAVAILABLE and /readyz 503 within the deadline, then a fresh thread and a rebuild', async () => {
    const first = await start();
    const key = first.result.key as string;
    await closeFirst(first);
    // A snapshot that passes the checksum but sends the search for TERM past the end of the postings.
    const file = await snapshotFile();
    const read = readSnapshot(await readFile(file), key);
    if (!read.ok) throw new Error(read.message);
    read.parts.arrays.postStart[read.parts.terms.indexOf(TERM) + 1] = 0x3fffffff;
    await writeFile(file, encodeSnapshot(read.parts, key));

    const second = await start({ query: 400, write: 10_000 });
    expect(second.result.rebuilt).toBe(false);
    const t0 = performance.now();
    // The search (posted to the thread at once), and a readiness probe behind it.
    const searching = second.engine.search(wordQuery(TERM)).then(
      () => undefined,
      (error: KbError) => error,
    );
    const ready = await second.app.inject({ method: 'GET', url: '/readyz' });
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect((await searching)?.code).toBe('ENGINE_UNAVAILABLE');
    expect(ready.statusCode, ready.body).toBe(503);
    expect(ready.json()).toMatchObject({ ready: false, detail: expect.stringContaining('没有应答') });
    const health = await second.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(second.restarts).toHaveLength(1);
    expect(second.restarts[0]).toContain('没有应答');

    // Until the rebuild is in, health (and so /readyz) fails and says why.
    expect(await second.healthOnRestart[0]).toMatchObject({ ok: false, detail: expect.stringContaining('已重启') });

    await waitFor(async () => (await second.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200);
    const after = await second.app.inject({ method: 'GET', url: QUERY });
    expect(after.statusCode, after.body).toBe(200);
    expect(after.json().hits.map((h: { id: string }) => h.id)).toEqual(['bb-red']);
    const other = await second.app.inject({ method: 'GET', url: `/v1/search?q=${encodeURIComponent('蓝灯')}` });
    expect(other.json().hits.map((h: { id: string }) => h.id)).toEqual(['bb-blue']);
  });
});

/** Byte offset of `array[i]` in `bytes`, found by the array's neighbourhood (values around i are unique enough). */
function findInt32(bytes: Buffer, array: Int32Array, i: number): number {
  const needle = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  const start = bytes.indexOf(needle);
  if (start < 0) throw new Error('postStart not found in the file');
  return start + 4 * i;
}

async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not met in time');
}
