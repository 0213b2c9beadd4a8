import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../../server/knowledge-base.js';
import { buildTestApp } from '../helpers/app.js';

let app: FastifyInstance;
let kb: KnowledgeBase;
beforeAll(async () => {
  ({ app, kb } = await buildTestApp());
});
afterAll(() => app.close());

const get = (url: string) => app.inject({ method: 'GET', url });

describe('GET /v1/search', () => {
  it('answers with the fields of the contract', async () => {
    const res = await get(`/v1/search?q=${encodeURIComponent('光猫一直闪红灯')}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      engine: 'embedded',
      degraded: false,
      total: expect.any(Number),
      totalIsEstimate: false,
    });
    expect(body.tookMs).toBeGreaterThanOrEqual(0);
    expect(body.hits[0]).toMatchObject({
      id: 'bb-los-red',
      title: expect.any(String),
      product: '宽带',
      category: '故障排查',
      score: expect.any(Number),
      section: { kind: expect.any(String), heading: expect.any(String), anchor: expect.any(String) },
    });
    expect(body.hits[0].section.snippet).toContain('<mark>');
    // Exactly the contract: the search stage's own fields (engine hits, evidence, the analyzed query) stay inside.
    expect(Object.keys(body).sort()).toEqual(
      ['degraded', 'engine', 'hits', 'noGoodMatch', 'query', 'tookMs', 'total', 'totalIsEstimate'].sort(),
    );
    expect(Object.keys(body.query)).toEqual(['normalized']);
    expect(Object.keys(body.hits[0].section).sort()).toEqual(['anchor', 'heading', 'kind', 'snippet']);
  });

  it('puts the right article first for the Traditional form and for a fragment', async () => {
    for (const q of ['光貓一直閃紅燈', 'LOS']) {
      const res = await get(`/v1/search?q=${encodeURIComponent(q)}`);
      expect(res.json().hits[0]?.id, q).toBe('bb-los-red');
    }
  });

  const badRequests: Array<[url: string, message: RegExp]> = [
    ['/v1/search', /q/],
    ['/v1/search?q=', /不能为空/],
    ['/v1/search?q=%20%20%E3%80%80', /不能为空/],
    [`/v1/search?q=${'光'.repeat(501)}`, /500/],
    ['/v1/search?q=光猫&limit=0', /limit/],
    ['/v1/search?q=光猫&limit=abc', /limit/],
    ['/v1/search?q=光猫&offset=-1', /offset/],
  ];
  it.each(badRequests)('%s -> 400 saying what to fix', async (url, message) => {
    const res = await get(encodeURI(url).replace(/%25/g, '%'));
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('INVALID_QUERY');
    expect(body.error.message).toMatch(message);
    expect(body.error.requestId).toBeTruthy();
  });

  it('treats an unknown filter value as an empty result, not an error', async () => {
    const res = await get(`/v1/search?q=${encodeURIComponent('光猫')}&product=${encodeURIComponent('不存在的产品')}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: 0, hits: [] });
  });

  it('accepts exactly 500 characters', async () => {
    const res = await get(`/v1/search?q=${encodeURIComponent('光猫'.repeat(250))}`);
    expect(res.statusCode).toBe(200);
  });
});

describe('GET /v1/answer', () => {
  it('returns the card, alternatives and the confident flag', async () => {
    const res = await get(`/v1/answer?q=${encodeURIComponent('空调漏水怎么办')}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.confident).toBe(true);
    expect(body.answer).toMatchObject({ articleId: 'ac-water-leak', summary: expect.any(String) });
    expect(body.answer.steps.length).toBeGreaterThan(0);
    expect(Array.isArray(body.alternatives)).toBe(true);
  });

  it('says confident: false with no card for a question outside the knowledge base', async () => {
    const res = await get(`/v1/answer?q=${encodeURIComponent('吗呢')}`);
    expect(res.json()).toMatchObject({ confident: false, answer: null });
  });
});

describe('a question nothing in the knowledge base is about', () => {
  it('agents get noGoodMatch, no card and the loose matches; the public gets nothing', async () => {
    const q = encodeURIComponent('火星上的外卖怎么点');
    const answer = (await get(`/v1/answer?q=${q}`)).json();
    expect(answer).toMatchObject({ noGoodMatch: true, confident: false, answer: null });
    const search = (await get(`/v1/search?q=${q}`)).json();
    expect(search.noGoodMatch).toBe(true);
    const pub = (await get(`/public/v1/search?q=${q}`)).json();
    expect(pub).toMatchObject({ noGoodMatch: true, total: 0, hits: [] });
  });
});

describe('GET /v1/suggest', () => {
  it('suggests titles and similar questions', async () => {
    const res = await get(`/v1/suggest?q=${encodeURIComponent('空调')}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().suggestions.length).toBeGreaterThan(0);
  });
});

describe('GET /v1/articles/:id', () => {
  it('returns metadata, sections and rendered HTML, internal parts included for agents', async () => {
    const res = await get('/v1/articles/bb-los-red');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id: 'bb-los-red', audience: 'public', file: 'broadband/bb-los-red.md' });
    expect(body.sections.some((s: { kind: string }) => s.kind === 'internal')).toBe(true);
    expect(body.sections[0].html).toMatch(/<p>/);
  });

  it('404s an unknown id and 400s a malformed one', async () => {
    const missing = await get('/v1/articles/no-such-article');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('ARTICLE_NOT_FOUND');
    const bad = await get('/v1/articles/..%2F..%2Fetc%2Fpasswd');
    expect(bad.statusCode).toBe(400);
  });
});

describe('public scope', () => {
  it('treats an internal article exactly like a missing one', async () => {
    const internal = kb.articles('agent').find((a) => a.audience === 'internal');
    const res = await get(`/public/v1/articles/${internal?.id}`);
    const missing = await get('/public/v1/articles/no-such-article');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message.replace(internal?.id ?? '', 'ID')).toBe(
      missing.json().error.message.replace('no-such-article', 'ID'),
    );
  });

  it('serves a public article without its internal section, internal blocks, owner or file', async () => {
    const agent = kb.getArticle('bb-los-red', 'agent');
    const res = await get('/public/v1/articles/bb-los-red');
    expect(res.statusCode).toBe(200);
    const text = res.body;
    expect(text).not.toContain('kb-internal');
    expect(res.json().sections.every((s: { internal: boolean }) => !s.internal)).toBe(true);
    expect(res.json()).not.toHaveProperty('owner');
    expect(res.json()).not.toHaveProperty('file');
    const internalText = agent?.sections.find((s) => s.kind === 'internal')?.text ?? '';
    expect(internalText.length).toBeGreaterThan(0);
    expect(text).not.toContain(internalText.slice(0, 12));
  });

  it('has no answer route', async () => {
    expect((await get(`/public/v1/answer?q=${encodeURIComponent('光猫')}`)).statusCode).toBe(404);
  });
});

describe('system routes', () => {
  it('/healthz and /readyz', async () => {
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await get('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, engine: 'embedded', articles: kb.articles('agent').length });
  });

  it('/openapi.json documents every route with its parameters', async () => {
    const doc = (await get('/openapi.json')).json();
    for (const path of ['/v1/search', '/v1/answer', '/v1/suggest', '/v1/articles/{id}', '/public/v1/search']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    const params = doc.paths['/v1/search'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['q', 'product', 'category', 'limit', 'offset']));
  });

  it('/docs serves the API explorer', async () => {
    const res = await get('/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('an unknown path is a JSON 404', async () => {
    const res = await get('/v2/nothing');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });
});
