import { afterAll, describe, expect, it } from 'vitest';
import type { SearchEngine, SectionDoc } from '../../server/engine/search-engine.js';
import { createThreadedEngine } from '../../server/engine/threaded-engine.js';
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
  const doc: SectionDoc = {
    id: 'a#summary',
    articleId: 'a',
    anchor: 'summary',
    kind: 'summary',
    product: '宽带',
    category: '故障排查',
    visibility: 'all',
    fields: { title: ['光猫'], questions: [], heading: [], body: ['红灯'], grams: [] },
  };
  const query = {
    terms: [{ term: '红灯', weight: 1, origin: 'query' as const, source: '红灯' }],
    prefixLast: false,
    scope: 'agent' as const,
    filters: {},
    limit: 5,
    offset: 0,
  };

  it('persists what the main thread built, so a restart loads it without producing documents', async () => {
    const first = open(tmp.dir);
    expect((await first.sync('key-1', () => [doc])).rebuilt).toBe(true);
    expect((await first.stats()).sizeBytes).toBeGreaterThan(0);
    await first.upsertArticle('b', [
      { ...doc, id: 'b#summary', articleId: 'b', fields: { ...doc.fields, body: ['蓝灯'] } },
    ]);
    await first.commit('key-2');

    const restarted = open(tmp.dir);
    const result = await restarted.sync('key-2', () => {
      throw new Error('must not re-analyze unchanged content');
    });
    expect(result.rebuilt).toBe(false);
    expect((await restarted.search(query)).hits.map((h) => h.articleId)).toEqual(['a']);
    const blue = [{ term: '蓝灯', weight: 1, origin: 'query' as const, source: '蓝灯' }];
    expect((await restarted.search({ ...query, terms: blue })).total).toBe(1);
  });

  it('reports a closed thread as unavailable instead of hanging', async () => {
    const engine = open();
    await engine.replaceAll('k', [doc]);
    await engine.close();
    await expect(engine.search(query)).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
    expect((await engine.health()).ok).toBe(false);
  });
});
