import { randomBytes } from 'node:crypto';
import { Meilisearch } from 'meilisearch';
import { afterAll, describe, expect, it } from 'vitest';
import { createMeilisearchEngine } from '../../../server/engine/meilisearch/meilisearch-engine.js';
import { buildMeiliSettings } from '../../../server/engine/meilisearch/meilisearch-settings.js';
import { sampleLexicon } from '../../helpers/sample.js';
import { describeEngineContract } from '../engine-contract.js';
import { meiliTarget, skipReason } from './meili-target.js';

/**
 * The engine contract against a real Meilisearch: the one test/meilisearch-setup.ts
 * started from a local binary (MEILI_BIN or PATH), or a user's own server
 * (MEILI_URL, MEILI_MASTER_KEY). Without either the suite is skipped and says why.
 * Each run uses its own index names and deletes them afterwards.
 */
const CLOSED_PORT = 'http://127.0.0.1:9';
const target = meiliTarget('the SearchEngine contract suite against a real Meilisearch');

const settings = () => buildMeiliSettings(sampleLexicon());

if (target) {
  const prefix = `kb_test_${randomBytes(4).toString('hex')}`;
  describeEngineContract(`meilisearch (${target.url})`, async () =>
    createMeilisearchEngine({ host: target.url, apiKey: target.masterKey, indexUid: prefix, settings }),
  );
  afterAll(async () => {
    const client = new Meilisearch({ host: target.url, apiKey: target.masterKey });
    const { results } = await client.getRawIndexes({ limit: 1000 });
    for (const { uid } of results) if (uid.startsWith(prefix)) await client.deleteIndex(uid).waitTask();
  });
} else {
  describe.skip(`SearchEngine contract: meilisearch (skipped: ${skipReason()})`, () => {
    it('needs a Meilisearch', () => {});
  });
}

describe('Meilisearch adapter with Meilisearch unreachable', () => {
  const engine = createMeilisearchEngine({ host: CLOSED_PORT, settings, requestTimeoutMs: 2_000 });
  const query = {
    terms: [{ term: '光猫', weight: 1, origin: 'query' as const, source: '光猫' }],
    prefixLast: false,
    scope: 'agent' as const,
    filters: {},
    limit: 5,
    offset: 0,
  };

  it('reports unhealthy, quickly, saying why', async () => {
    const started = performance.now();
    const health = await engine.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/Meilisearch 不可用/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('fails searches and writes instead of hanging or inventing an answer', async () => {
    await expect(engine.search(query)).rejects.toThrow();
    await expect(engine.sync('key', () => [])).rejects.toThrow();
    await expect(engine.upsertArticle('a', [])).rejects.toThrow();
  });

  it('answers an empty query without asking Meilisearch', async () => {
    expect(await engine.search({ ...query, terms: [] })).toMatchObject({ total: 0, hits: [] });
  });
});
