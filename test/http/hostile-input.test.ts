import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { LOCAL, loadSampleKnowledgeBase } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp({ kb: await loadSampleKnowledgeBase(), access: LOCAL, publicRateLimit: 100_000 });
  await app.ready();
});
afterAll(() => app.close());

/** Raw (already URL-encoded where needed) query values an attacker or a broken client might send. */
const HOSTILE: Array<[name: string, raw: string]> = [
  ['double quotes and an operator', encodeURIComponent('宽带" OR audience = "internal')],
  ['single quotes and SQL', encodeURIComponent("' OR 1=1 --")],
  ['meilisearch filter syntax', encodeURIComponent('audience = internal AND product != x')],
  ['control characters', encodeURIComponent('光猫\u0000\u0001\u0007\u001b[31m')],
  ['RTL and zero-width marks', encodeURIComponent('\u202e光猫\u200f\u200b\u2066红灯')],
  ['emoji', encodeURIComponent('😡😡 光猫 🔴')],
  ['100 KB string', encodeURIComponent('光'.repeat(100 * 1024))],
  ['invalid UTF-8 percent-encoding', '%E0%A4%A'],
  ['lone percent', '%'],
  ['overlong UTF-8', '%C0%AF'],
  ['HTML/script', encodeURIComponent('<script>alert(1)</script><img src=x onerror=alert(1)>')],
  ['regex metacharacters', encodeURIComponent('.*+?^$ {}()|[]\\')],
  ['path traversal', encodeURIComponent('../../etc/passwd')],
  ['only punctuation', encodeURIComponent('！？。，、')],
];

const ROUTES = ['/v1/search?q=', '/v1/answer?q=', '/v1/suggest?q=', '/public/v1/search?q=', '/public/v1/suggest?q='];
const FILTERS = ['/v1/search?q=光猫&product=', '/public/v1/search?q=光猫&category='];
const IDS = [
  '..%2F..%2Fetc%2Fpasswd',
  '..',
  '%2e%2e',
  'UPPER',
  'a'.repeat(300),
  '%00',
  'secret%20policy',
  '%E0%A4%A',
  '<script>',
  'bb-los-red%00',
];

describe('hostile input never gets a 500 or a stack trace', () => {
  let tried = 0;
  const check = async (url: string) => {
    const res = await app.inject({ method: 'GET', url });
    tried++;
    expect(res.statusCode, url.slice(0, 120)).toBeLessThan(500);
    expect([200, 400, 404, 414, 431]).toContain(res.statusCode);
    expect(res.body).not.toMatch(/at .+\.(ts|js):\d+/);
    if (res.statusCode >= 400) expect(res.json().error.message).toBeTruthy();
    return res;
  };

  it.each(HOSTILE)('%s, against every search route and filter', async (_name, raw) => {
    for (const route of [...ROUTES, ...FILTERS]) {
      const res = await check(encodeURI(route) + raw);
      if (res.statusCode === 200 && route.includes('/search')) {
        // No hostile filter or query may widen the scope: public results stay public.
        if (route.startsWith('/public')) expect(res.body).not.toContain('kb-internal');
      }
    }
  });

  it.each(IDS)('article id %s on both scopes', async (id) => {
    for (const prefix of ['/v1/articles/', '/public/v1/articles/']) {
      const res = await check(prefix + id);
      expect([400, 404, 414]).toContain(res.statusCode);
    }
  });

  it('a hostile product filter returns nothing instead of everything', async () => {
    const res = await check(`/public/v1/search?q=${encodeURIComponent('光猫')}&product=${HOSTILE[0]?.[1]}`);
    expect(res.json()).toMatchObject({ total: 0, hits: [] });
  });

  it('repeated parameters are a 400, not a crash', async () => {
    const res = await check(`/v1/search?q=a&q=b`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('q 只能出现一次');
  });

  it('bodies over the limit are refused', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/search',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ q: 'x'.repeat(64 * 1024) }),
    });
    expect([404, 413]).toContain(res.statusCode);
  });

  afterAll(() => {
    console.log(`[hostile] inputs tried: ${tried}`);
  });
});

describe('public rate limit', () => {
  it('answers 429 with Retry-After once a client exceeds the limit', async () => {
    const limited = await buildApp({ kb: await loadSampleKnowledgeBase(), access: LOCAL, publicRateLimit: 3 });
    try {
      const url = `/public/v1/search?q=${encodeURIComponent('光猫')}`;
      for (let i = 0; i < 3; i++) expect((await limited.inject({ method: 'GET', url })).statusCode).toBe(200);
      const res = await limited.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.json().error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('秒后再试') });
      // Agents are not limited by the public budget.
      expect((await limited.inject({ method: 'GET', url: url.replace('/public', '') })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('security headers and CORS', () => {
  it('sends security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('allows configured origins on the public scope only', async () => {
    const withCors = await buildApp({
      kb: await loadSampleKnowledgeBase(),
      access: LOCAL,
      publicCorsOrigins: ['https://help.example.com'],
    });
    try {
      const headers = { origin: 'https://help.example.com' };
      const pub = await withCors.inject({ method: 'GET', url: '/public/v1/suggest?q=%E5%85%89', headers });
      expect(pub.headers['access-control-allow-origin']).toBe('https://help.example.com');
      const agent = await withCors.inject({ method: 'GET', url: '/v1/suggest?q=%E5%85%89', headers });
      expect(agent.headers['access-control-allow-origin']).toBeUndefined();
      const other = await withCors.inject({
        method: 'GET',
        url: '/public/v1/suggest?q=%E5%85%89',
        headers: { origin: 'https://evil.example' },
      });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await withCors.close();
    }
  });
});
