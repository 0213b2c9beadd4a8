import { describe, expect, it } from 'vitest';
import type { SectionDoc } from '../../server/analyze/section-docs.js';
import { createEmbeddedEngine } from '../../server/engine/embedded/embedded-engine.js';
import { createFallbackEngine } from '../../server/engine/fallback-engine.js';
import { createMeilisearchEngine } from '../../server/engine/meilisearch/meilisearch-engine.js';
import { buildMeiliSettings } from '../../server/engine/meilisearch/meilisearch-settings.js';
import type { EngineQuery, SearchEngine } from '../../server/engine/search-engine.js';
import { sampleLexicon } from '../helpers/sample.js';
import { describeEngineContract } from './engine-contract.js';

const CLOSED_PORT = 'http://127.0.0.1:9';

// With Meilisearch unreachable the whole contract still holds: the embedded index answers.
describeEngineContract('meilisearch unreachable, embedded fallback', async () =>
  createFallbackEngine(
    createMeilisearchEngine({ host: CLOSED_PORT, settings: () => buildMeiliSettings(sampleLexicon()) }),
    createEmbeddedEngine(),
  ),
);

/** A primary that can be switched down (connection refused) or to hanging, around a real embedded engine. */
function switchablePrimary() {
  const inner = createEmbeddedEngine();
  const state = { down: false, hang: false };
  const guard = <T>(run: () => Promise<T>): Promise<T> => {
    if (state.hang) return new Promise<T>(() => {});
    if (state.down) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:7700'));
    return run();
  };
  const engine: SearchEngine = {
    name: 'meilisearch',
    setLexicon: (lexicon) => inner.setLexicon(lexicon),
    sync: (key, produce) => guard(() => inner.sync(key, produce)),
    replaceAll: (key, docs) => guard(() => inner.replaceAll(key, docs)),
    commit: (key) => guard(() => inner.commit(key)),
    upsertArticle: (id, docs) => guard(() => inner.upsertArticle(id, docs)),
    removeArticle: (id) => guard(() => inner.removeArticle(id)),
    search: (query) => guard(async () => ({ ...(await inner.search(query)), engine: 'meilisearch' as const })),
    stats: () => inner.stats(),
    health: () => guard(() => inner.health()),
    close: async () => {},
  };
  return { engine, state, inner };
}

const doc = (articleId: string, body: string): SectionDoc => ({
  id: `${articleId}#summary`,
  articleId,
  anchor: 'summary',
  kind: 'summary',
  product: '宽带',
  category: '故障排查',
  visibility: 'all',
  fields: { title: [], questions: [], heading: [], body: [body], grams: [] },
});
const find = (term: string): EngineQuery => ({
  terms: [{ term, weight: 1, origin: 'query', source: term }],
  prefixLast: false,
  scope: 'agent',
  filters: {},
  limit: 5,
  offset: 0,
});
const options = { retryMs: 20, searchTimeoutMs: 100, writeWaitMs: 300 };

async function eventually(check: () => Promise<boolean>, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('fallback engine', () => {
  it('answers from the primary while it is up, both engines sharing one analysis', async () => {
    const primary = switchablePrimary();
    const engine = createFallbackEngine(primary.engine, createEmbeddedEngine(), options);
    let produced = 0;
    await engine.sync('k1', () => {
      produced++;
      return [doc('a', '红灯')];
    });
    expect(produced).toBe(1);
    expect(await primary.inner.stats()).toMatchObject({ key: 'k1', articles: 1 });
    expect(await engine.search(find('红灯'))).toMatchObject({ engine: 'meilisearch', degraded: false, total: 1 });
    expect(await engine.health()).toEqual({ ok: true, degraded: false });
    await engine.close();
  });

  it('answers from the embedded index when the primary fails, replays what it missed, recovers on its own', async () => {
    const primary = switchablePrimary();
    const engine = createFallbackEngine(primary.engine, createEmbeddedEngine(), options);
    await engine.sync('k1', () => [doc('a', '红灯')]);
    primary.state.down = true;

    expect(await engine.search(find('红灯'))).toMatchObject({ engine: 'embedded', degraded: true, total: 1 });
    await engine.upsertArticle('b', [doc('b', '漏水')]);
    await engine.commit('k2');
    expect(await engine.search(find('漏水'))).toMatchObject({ engine: 'embedded', degraded: true, total: 1 });
    expect(await engine.health()).toMatchObject({
      ok: true,
      degraded: true,
      detail: expect.stringMatching(/ECONNREFUSED/),
    });

    primary.state.down = false;
    await eventually(async () => (await engine.health()).degraded === false);
    expect(await engine.search(find('漏水'))).toMatchObject({ engine: 'meilisearch', degraded: false, total: 1 });
    expect(await primary.inner.stats()).toMatchObject({ key: 'k2', articles: 2 });
    await engine.close();
  });

  it('starts degraded when the primary is down and catches up with a full load later', async () => {
    const primary = switchablePrimary();
    primary.state.down = true;
    const engine = createFallbackEngine(primary.engine, createEmbeddedEngine(), options);
    let produced = 0;
    const started = performance.now();
    const result = await engine.sync('k1', () => {
      produced++;
      return [doc('a', '红灯')];
    });
    expect(performance.now() - started).toBeLessThan(options.writeWaitMs);
    expect(result.rebuilt).toBe(true);
    expect(await engine.search(find('红灯'))).toMatchObject({ engine: 'embedded', degraded: true, total: 1 });

    primary.state.down = false;
    await eventually(async () => (await engine.health()).degraded === false);
    expect(await primary.inner.stats()).toMatchObject({ key: 'k1', articles: 1 });
    // The documents are not kept in memory while the primary is down: catching up analyses again.
    expect(produced).toBe(2);
    await engine.close();
  });

  it('rebuilds the primary when it lost its index, with the edits made since the last full load', async () => {
    const primary = switchablePrimary();
    const engine = createFallbackEngine(primary.engine, createEmbeddedEngine(), options);
    await engine.sync('k1', () => [doc('a', '红灯')]);
    await engine.upsertArticle('b', [doc('b', '漏水')]);
    await engine.removeArticle('a');
    await engine.commit('k2');
    expect(await engine.search(find('漏水'))).toMatchObject({ engine: 'meilisearch', total: 1 });

    await primary.inner.replaceAll('wiped', []); // e.g. Meilisearch restarted without its volume
    primary.state.down = true;
    expect(await engine.search(find('漏水'))).toMatchObject({ engine: 'embedded', degraded: true });
    primary.state.down = false;
    await eventually(async () => (await engine.health()).degraded === false);
    expect(await primary.inner.stats()).toMatchObject({ key: 'k2', articles: 1 });
    expect(await engine.search(find('漏水'))).toMatchObject({ engine: 'meilisearch', total: 1 });
    expect(await engine.search(find('红灯'))).toMatchObject({ engine: 'meilisearch', total: 0 });
    await engine.close();
  });

  it('never waits on a hanging primary longer than its limits', async () => {
    const primary = switchablePrimary();
    const engine = createFallbackEngine(primary.engine, createEmbeddedEngine(), options);
    await engine.sync('k1', () => [doc('a', '红灯')]);
    primary.state.hang = true;

    let started = performance.now();
    expect(await engine.search(find('红灯'))).toMatchObject({ engine: 'embedded', degraded: true });
    expect(performance.now() - started).toBeLessThan(options.searchTimeoutMs + 200);

    started = performance.now();
    await engine.upsertArticle('b', [doc('b', '漏水')]);
    expect(performance.now() - started).toBeLessThan(options.writeWaitMs + 200);
    expect(await engine.search(find('漏水'))).toMatchObject({ degraded: true, total: 1 });
    await engine.close();
  });
});
