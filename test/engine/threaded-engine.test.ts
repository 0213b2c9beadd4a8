import { afterAll, describe, expect, it } from 'vitest';
import type { SearchEngine } from '../../server/engine/search-engine.js';
import { createThreadedEngine } from '../../server/engine/threaded-engine.js';
import { sectionDoc, wordQuery } from '../helpers/engine-fixtures.js';
import { tempDir } from '../helpers/sample.js';
import { describeEngineContract } from './engine-contract.js';

const opened: SearchEngine[] = [];
const open = (dataDir?: string) => {
  const engine = createThreadedEngine({ dataDir });
  opened.push(engine);
  return engine;
};
afterAll(async () => {
  for (const engine of opened) await engine.close();
});

describeEngineContract('embedded, on its own thread', async () => open());

describe('engine thread', async () => {
  const tmp = await tempDir();
  afterAll(tmp.cleanup);
  const doc = sectionDoc();
  const query = wordQuery();

  it('persists what the main thread built, so a restart loads it without producing documents', async () => {
    const first = open(tmp.dir);
    expect((await first.sync('key-1', () => [doc])).rebuilt).toBe(true);
    expect((await first.stats()).sizeBytes).toBeGreaterThan(0);
    await first.upsertArticle('b', [sectionDoc('b', '蓝灯')]);
    await first.commit('key-2');

    const restarted = open(tmp.dir);
    const result = await restarted.sync('key-2', () => {
      throw new Error('must not re-analyze unchanged content');
    });
    expect(result.rebuilt).toBe(false);
    expect((await restarted.search(query)).hits.map((h) => h.articleId)).toEqual(['a']);
    expect((await restarted.search(wordQuery('蓝灯'))).total).toBe(1);
  });

  it('reports a closed thread as unavailable instead of hanging', async () => {
    const engine = open();
    await engine.replaceAll('k', [doc]);
    await engine.close();
    await expect(engine.search(query)).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
    expect((await engine.health()).ok).toBe(false);
  });
});
