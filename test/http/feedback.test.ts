import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { type EventLog, openEventLog } from '../../server/events/event-log.js';
import { createMasker } from '../../server/events/mask.js';
import type { KnowledgeBase } from '../../server/knowledge-base.js';
import { lintContent } from '../../server/lint/lint-content.js';
import { loadSampleKnowledgeBase } from '../helpers/app.js';
import { tempDir } from '../helpers/sample.js';

const AGENT = 'agent-key-0123456789abcdef';
const ADMIN = 'admin-key-0123456789abcdef';
const access = { agentKeys: [AGENT], adminKeys: [ADMIN], localMode: false };
const asAgent = { authorization: `Bearer ${AGENT}` };
const asAdmin = { authorization: `Bearer ${ADMIN}` };

let tmp: Awaited<ReturnType<typeof tempDir>>;
let kb: KnowledgeBase;
let events: EventLog;
let app: FastifyInstance;

const start = async () => {
  events = openEventLog({ dataDir: tmp.dir, retentionDays: 90, mask: createMasker(), warn: () => {} });
  app = await buildApp({ kb, access, events, publicRateLimit: 100_000 });
  await app.ready();
};
const stop = async () => {
  await app.close();
  events.close();
};

beforeAll(async () => {
  tmp = await tempDir();
  kb = await loadSampleKnowledgeBase();
  await start();
});
afterAll(async () => {
  await stop();
  await tmp.cleanup();
});

const feedback = (payload: unknown) =>
  app.inject({ method: 'POST', url: '/v1/feedback', headers: asAgent, payload: payload as object });

describe('POST /v1/feedback', () => {
  it('accepts a vote on an existing article', async () => {
    const res = await feedback({ query: '光猫红灯', articleId: 'bb-los-red', helpful: false, comment: '没说要换尾纤' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: true });
  });

  const invalid: Array<[name: string, body: unknown, message: RegExp]> = [
    ['missing helpful', { query: '光猫', articleId: 'bb-los-red' }, /helpful/],
    ['helpful as a string', { query: '光猫', articleId: 'bb-los-red', helpful: 'no' }, /helpful/],
    ['empty query', { query: ' ', articleId: 'bb-los-red', helpful: true }, /query/],
    ['bad article id', { query: '光猫', articleId: '../x', helpful: true }, /id/],
    ['unknown field', { query: '光猫', articleId: 'bb-los-red', helpful: true, score: 5 }, /score|未知|Unrecognized/i],
    [
      'comment too long',
      { query: '光猫', articleId: 'bb-los-red', helpful: true, comment: '长'.repeat(501) },
      /comment/,
    ],
  ];
  it.each(invalid)('%s -> 400 that says what to fix', async (_name, body, message) => {
    const res = await feedback(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(message);
  });

  it('an article that does not exist -> 404', async () => {
    const res = await feedback({ query: '光猫', articleId: 'no-such-article', helpful: true });
    expect(res.statusCode).toBe(404);
  });

  it('a body that is not JSON -> 400', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/feedback',
      headers: { ...asAgent, 'content-type': 'application/json' },
      payload: '{ not json',
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('GET /v1/admin/reports/gaps', () => {
  it('needs an admin key', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/admin/reports/gaps', headers: asAgent })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/v1/admin/reports/gaps' })).statusCode).toBe(401);
  });

  it('lists searches with no results and the unhelpful vote, also after a restart', async () => {
    for (const [q, ip] of [
      ['花呗怎么还款', '10.0.0.1'],
      ['花呗怎么还款', '10.0.0.2'],
      ['火车票改签', '10.0.0.3'],
    ] as const) {
      const res = await app.inject({
        method: 'GET',
        url: `/v1/search?q=${encodeURIComponent(q)}`,
        headers: asAgent,
        remoteAddress: ip,
      });
      expect(res.statusCode).toBe(200);
    }
    await app.inject({
      method: 'GET',
      url: `/public/v1/search?q=${encodeURIComponent('犀牛')}`,
      remoteAddress: '10.0.0.4',
    });

    await stop();
    await start();

    const res = await app.inject({ method: 'GET', url: '/v1/admin/reports/gaps?days=7', headers: asAdmin });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    const gaps = new Map(report.gaps.map((g: { example: string; count: number }) => [g.example, g.count]));
    expect(gaps.get('花呗怎么还款')).toBe(2);
    expect(gaps.get('火车票改签')).toBe(1);
    expect(gaps.get('犀牛')).toBe(1);
    expect(report.unhelpfulArticles[0]).toMatchObject({
      articleId: 'bb-los-red',
      unhelpful: 1,
      comments: ['没说要换尾纤'],
    });
    expect(report.totals.searches).toBeGreaterThanOrEqual(4);
  });

  it('days must be 1-365', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/admin/reports/gaps?days=0', headers: asAdmin });
    expect(res.statusCode).toBe(400);
  });
});

describe('POST /v1/admin/reindex', () => {
  it('rebuilds for admins only', async () => {
    expect((await app.inject({ method: 'POST', url: '/v1/admin/reindex', headers: asAgent })).statusCode).toBe(403);
    const res = await app.inject({ method: 'POST', url: '/v1/admin/reindex', headers: asAdmin });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ articles: kb.articles('agent').length, rebuilt: true, errors: 0 });
  });

  it('counts the same problems as kb lint on the same content', async () => {
    const lint = await lintContent(kb.contentDir);
    expect(lint.warnings).toBeGreaterThan(0);
    const res = await app.inject({ method: 'POST', url: '/v1/admin/reindex', headers: asAdmin });
    expect(res.json()).toMatchObject({ errors: lint.errors, warnings: lint.warnings });
  });
});
