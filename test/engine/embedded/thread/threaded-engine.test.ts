import { afterAll, describe, expect, it } from 'vitest';
import { createThreadedEngine } from '../../../../server/engine/embedded/thread/threaded-engine.js';
import type { SearchEngine } from '../../../../server/engine/search-engine.js';
import { KbError } from '../../../../server/errors.js';
import { sectionDoc, wordQuery } from '../../../helpers/engine-fixtures.js';
import { tempDir } from '../../../helpers/sample.js';
import { describeEngineContract } from '../../engine-contract.js';

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

  it('passes an error inside the thread back with its code and cause, and keeps answering', async () => {
    const engine = open();
    await engine.replaceAll('k', [doc]);
    // A negative limit is a caller's bug the query code does not guard against: it throws a RangeError.
    const failed = await engine.search({ ...query, limit: -1 }).then(
      () => new Error('the search did not fail') as KbError,
      (error: unknown) => error as KbError,
    );
    expect(failed).toBeInstanceOf(KbError);
    expect(failed.code).toBe('INTERNAL');
    expect(failed.cause).toMatchObject({ name: 'RangeError' });
    expect((failed.cause as Error).stack).toContain('postings-search');
    expect((await engine.health()).ok).toBe(true);
    expect((await engine.search(query)).hits.map((h) => h.articleId)).toEqual(['a']);
  });

  it('reports a closed thread as unavailable instead of hanging', async () => {
    const engine = open();
    await engine.replaceAll('k', [doc]);
    await engine.close();
    await expect(engine.search(query)).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
    expect((await engine.health()).ok).toBe(false);
  });
});
