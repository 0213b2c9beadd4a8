import { afterEach, describe, expect, it } from 'vitest';
import type { SectionDoc } from '../../../../server/analyze/section-docs.js';
import { runningBuildThreads } from '../../../../server/engine/embedded/thread/snapshot-build.js';
import {
  createThreadedEngine,
  type ThreadedEngineOptions,
} from '../../../../server/engine/embedded/thread/threaded-engine.js';
import type { SearchEngine } from '../../../../server/engine/search-engine.js';
import { sectionDoc, wordQuery } from '../../../helpers/engine-fixtures.js';

/**
 * A full build (issue 14, item 7) runs on a build thread of its own: the main
 * thread goes on answering, and the engine thread goes on serving the index it
 * has, until the new one is installed, and for good if the build fails.
 */

/** Booting threads and building tens of thousands of documents on a loaded 2-core machine. */
const SLOW = { timeout: 120_000 };
const query = wordQuery('红灯');

const opened: SearchEngine[] = [];
const open = async (options: ThreadedEngineOptions = {}) => {
  const engine = createThreadedEngine(options);
  opened.push(engine);
  // The index served while the big one is built: article `a`, the only one with 红灯.
  await engine.replaceAll('small', [sectionDoc('a', '红灯')]);
  return engine;
};
afterEach(async () => {
  for (const engine of opened.splice(0)) await engine.close();
  expect(runningBuildThreads()).toBe(0);
});

/** Twenty thousand section documents, 160 terms each; every one mentions 红灯. */
const big = largeCorpus(20_000);

describe('a full build on its own thread', SLOW, () => {
  it('keeps the main thread turning, and searches answered from the previous index, until it is installed', async () => {
    const engine = await open();
    let last = performance.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    let done = false;
    const building = engine.replaceAll('big', big).finally(() => {
      done = true;
    });
    const during: string[][] = [];
    while (!done) {
      const answer = await engine.search(query);
      if (!done) during.push(answer.hits.map((h) => h.articleId));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await building;
    const took = performance.now() - started;
    clearInterval(ticker);

    expect(during.length).toBeGreaterThan(0);
    for (const hits of during) expect(hits).toEqual(['a']);
    // Built on the main thread, the build is one gap as long as the whole call; sent in batches,
    // no gap comes near it (an absolute bound would measure the machine's load, not this).
    expect(longestGap).toBeLessThan(took / 3);
    expect((await engine.search(query)).total).toBe(big.length / 2);
  });

  it('rejects with a clear error when the build thread dies, and the previous index goes on serving', async () => {
    // A heap this small cannot hold the documents and the index: the thread dies out of memory.
    const engine = await open({ buildResourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 } });
    const failed = await engine.replaceAll('big', big).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed).toMatchObject({
      code: 'ENGINE_UNAVAILABLE',
      message: expect.stringMatching(/建索引线程.*仍在使用原来的索引/),
    });
    expect((await engine.search(query)).hits.map((h) => h.articleId)).toEqual(['a']);
    expect((await engine.health()).ok).toBe(true);
    expect(runningBuildThreads()).toBe(0);
  });

  it('stops a build past its deadline; the previous index serves and takes edits', async () => {
    const engine = await open({ timeouts: { query: 5_000, write: 60_000, build: 50 } });
    await expect(engine.replaceAll('big', big)).rejects.toMatchObject({
      code: 'ENGINE_UNAVAILABLE',
      message: expect.stringMatching(/建索引线程 0\.05 秒没有建完索引，已停止；仍在使用原来的索引/),
    });
    expect(runningBuildThreads()).toBe(0);
    await engine.upsertArticle('b', [sectionDoc('b', '红灯')]);
    expect((await engine.search(query)).hits.map((h) => h.articleId).sort()).toEqual(['a', 'b']);
  });

  it('is stopped by close(), which leaves no thread behind', async () => {
    const engine = await open();
    const building = engine.replaceAll('big', big);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const outcome = building.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(runningBuildThreads()).toBe(1);
    await engine.close();
    expect(runningBuildThreads()).toBe(0);
    expect(await outcome).toMatchObject({ code: 'ENGINE_UNAVAILABLE', message: '搜索引擎已关闭' });
  });

  it('applies edits made during a build to the index it installs, in order', async () => {
    const engine = await open();
    const building = engine.replaceAll('big', big.slice(0, 2_000));
    const edited = engine.upsertArticle('late', [sectionDoc('late', '蓝灯')]);
    await Promise.all([building, edited]);
    expect((await engine.search(wordQuery('蓝灯'))).hits.map((h) => h.articleId)).toEqual(['late']);
    expect((await engine.search(query)).total).toBe(1_000);
  });
});

/** `count` documents over `count / 2` articles, with 160 terms each from a 20,000-word vocabulary. */
function largeCorpus(count: number): SectionDoc[] {
  let seed = 7;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed;
  };
  const vocabulary = Array.from({ length: 20_000 }, (_, i) => `词${i}`);
  const word = () => vocabulary[next() % vocabulary.length] as string;
  const docs: SectionDoc[] = [];
  for (let i = 0; i < count; i++) {
    const articleId = `big-${i >> 1}`;
    const doc = sectionDoc(articleId, '红灯');
    doc.id = `${articleId}#s${i & 1}`;
    doc.anchor = `s${i & 1}`;
    doc.fields.title = Array.from({ length: 8 }, word);
    doc.fields.body = ['红灯', ...Array.from({ length: 150 }, word)];
    docs.push(doc);
  }
  return docs;
}
