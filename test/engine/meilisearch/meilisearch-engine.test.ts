import { randomBytes } from 'node:crypto';
import { Meilisearch } from 'meilisearch';
import { afterAll, describe, expect, it } from 'vitest';
import { createMeilisearchEngine } from '../../../server/engine/meilisearch/meilisearch-engine.js';
import { buildMeiliSettings } from '../../../server/engine/meilisearch/meilisearch-settings.js';
import { sampleLexicon } from '../../helpers/sample.js';
import { describeEngineContract } from '../engine-contract.js';

/**
 * The engine contract against a real Meilisearch. None can run on our own
 * machines, so it runs only when MEILI_URL points at one, e.g.
 *   docker compose up -d meilisearch
 *   MEILI_URL=http://127.0.0.1:7700 MEILI_MASTER_KEY=... npx vitest run test/engine/meilisearch/meilisearch-engine.test.ts
 * Each run uses its own index names and deletes them afterwards.
 */
const MEILI_URL = process.env.MEILI_URL;
const MEILI_MASTER_KEY = process.env.MEILI_MASTER_KEY;
const SKIPPED = 'skipped: set MEILI_URL to run the Meilisearch contract suite';
const CLOSED_PORT = 'http://127.0.0.1:9';

const settings = () => buildMeiliSettings(sampleLexicon());

if (MEILI_URL) {
  const prefix = `kb_test_${randomBytes(4).toString('hex')}`;
  describeEngineContract(`meilisearch (${MEILI_URL})`, async () =>
    createMeilisearchEngine({ host: MEILI_URL, apiKey: MEILI_MASTER_KEY, indexUid: prefix, settings }),
  );
  afterAll(async () => {
    const client = new Meilisearch({ host: MEILI_URL, apiKey: MEILI_MASTER_KEY });
    const { results } = await client.getRawIndexes({ limit: 1000 });
    for (const { uid } of results) if (uid.startsWith(prefix)) await client.deleteIndex(uid).waitTask();
  });
} else {
  console.warn(`[meilisearch] ${SKIPPED} (no Meilisearch can run on the development machines)`);
  describe.skip(`SearchEngine contract: meilisearch (${SKIPPED})`, () => {
    it(SKIPPED, () => {});
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
