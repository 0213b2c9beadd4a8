import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../server/engine/create-engine.js';
import { createKnowledgeBase, type KnowledgeBase } from '../../server/knowledge-base.js';
import { buildTestApp } from '../helpers/app.js';
import { SAMPLE_CONTENT, tempDir } from '../helpers/sample.js';

/** The service configured for Meilisearch while nothing listens at MEILI_URL (a closed port). */
const config = (dataDir: string) => ({
  engine: 'meilisearch' as const,
  meiliUrl: 'http://127.0.0.1:9',
  dataDir,
  contentDir: SAMPLE_CONTENT,
  engineThread: true, // as the service runs it
});

describe('HTTP with Meilisearch unreachable', () => {
  let app: FastifyInstance;
  let kb: KnowledgeBase;
  let restartMs: number;
  const tmp = tempDir();

  beforeAll(async () => {
    const { dir } = await tmp;
    // First start builds the embedded snapshot; the restart is the one an operator waits for.
    const first = createEngine(config(dir));
    await createKnowledgeBase({ contentDir: SAMPLE_CONTENT, engine: first }).reload();
    await first.close();
    const started = performance.now();
    kb = createKnowledgeBase({ contentDir: SAMPLE_CONTENT, engine: createEngine(config(dir)) });
    await kb.reload();
    restartMs = performance.now() - started;
    ({ app } = await buildTestApp({ kb }));
  });
  afterAll(async () => {
    await app.close();
    await kb.engine.close();
    await (await tmp).cleanup();
  });

  it('starts within seconds instead of waiting for Meilisearch', () => {
    console.info(`[fallback] restart with Meilisearch unreachable: ${Math.round(restartMs)} ms`);
    expect(restartMs).toBeLessThan(3_000);
  });

  it('answers /v1/search from the embedded index and says so', async () => {
    const res = await app.inject({ method: 'GET', url: `/v1/search?q=${encodeURIComponent('光貓一直閃紅燈')}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ engine: 'embedded', degraded: true });
    expect(res.json().hits[0]?.id).toBe('bb-los-red');
  });

  it('answers /v1/answer and the public scope degraded too', async () => {
    const answer = await app.inject({ method: 'GET', url: `/v1/answer?q=${encodeURIComponent('空调漏水怎么办')}` });
    expect(answer.json()).toMatchObject({ degraded: true, answer: { articleId: 'ac-water-leak' } });
    const pub = await app.inject({ method: 'GET', url: `/public/v1/search?q=${encodeURIComponent('光猫')}` });
    expect(pub.json()).toMatchObject({ engine: 'embedded', degraded: true });
  });

  it('reports the degradation on /readyz while staying ready', async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      ready: true,
      engine: 'meilisearch',
      degraded: true,
      articles: kb.articles('agent').length,
      detail: expect.stringMatching(/Meilisearch/),
    });
  });
});
