import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { LOCAL, loadSampleKnowledgeBase } from '../helpers/app.js';
import { article, tempDir, writeContent } from '../helpers/sample.js';

/**
 * Abuse: a client rotates the X-Forwarded-For it sends to get a fresh public
 * rate-limit budget on every request. The load balancer appends the address it
 * saw, so the header arrives as `<whatever the client wrote>, <client>`.
 * Configured as operators would (through loadConfig), the rotation must not help.
 */
const LIMIT = 3;
const PROXY = '10.0.0.5';
const CLIENT = '203.0.113.7';
const URL = `/public/v1/search?q=${encodeURIComponent('光猫')}`;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(env: Record<string, string>): Promise<FastifyInstance> {
  const tmp = await tempDir();
  await writeContent(tmp.dir, {
    'a.md': article(
      { id: 'pub-a', title: '光猫红灯', product: '宽带', category: '故障排查', audience: 'public' },
      '## 答案\n重启光猫。',
    ),
  });
  const config = loadConfig(env);
  const kb = await loadSampleKnowledgeBase(tmp.dir);
  await tmp.cleanup();
  app = await buildApp({ kb, access: LOCAL, publicRateLimit: LIMIT, trustProxy: config.trustProxy });
  return app;
}

/** Statuses of `count` requests, each with a different spoofed left end. */
async function rotate(target: FastifyInstance, from: string, forwarded: (n: number) => string, count = LIMIT + 2) {
  const statuses: number[] = [];
  for (let n = 0; n < count; n++) {
    const res = await target.inject({
      method: 'GET',
      url: URL,
      remoteAddress: from,
      headers: { 'x-forwarded-for': forwarded(n) },
    });
    statuses.push(res.statusCode);
  }
  return statuses;
}

const limited = [...Array(LIMIT).fill(200), 429, 429];

describe.each([
  { name: 'proxy addresses', env: { KB_TRUST_PROXY: '10.0.0.0/8' } },
  { name: 'one hop', env: { KB_TRUST_PROXY: '1' } },
])('trusting $name', ({ env }) => {
  it('a rotating left end behind the proxy does not buy a new budget', async () => {
    const target = await start(env);
    expect(await rotate(target, PROXY, (n) => `198.51.100.${n}, ${CLIENT}`)).toEqual(limited);
    // Another customer behind the same proxy has a budget of their own.
    expect(await rotate(target, PROXY, () => '198.51.100.200', 1)).toEqual([200]);
  });
});

it('a client that reaches the service directly cannot claim to be someone else', async () => {
  const target = await start({ KB_TRUST_PROXY: '10.0.0.0/8,127.0.0.1' });
  expect(await rotate(target, CLIENT, (n) => `10.0.0.${n}`)).toEqual(limited);
});

it('KB_TRUST_PROXY=true, which believed the left end, is refused with what to set instead', () => {
  expect(() => loadConfig({ KB_TRUST_PROXY: 'true' })).toThrow(
    /KB_TRUST_PROXY.*不能是 true.*KB_TRUST_PROXY=10\.0\.0\.0\/8/s,
  );
  expect(() => loadConfig({ KB_TRUST_PROXY: '10.0.0.0/33,lb.example' })).toThrow(
    /10\.0\.0\.0\/33、lb\.example 不是地址/,
  );
  expect(loadConfig({ KB_TRUST_PROXY: ' 10.0.0.0/8, ::1 ,loopback' }).trustProxy).toEqual([
    '10.0.0.0/8',
    '::1',
    'loopback',
  ]);
  expect(loadConfig({ KB_TRUST_PROXY: '2' }).trustProxy).toBe(2);
  expect(loadConfig({}).trustProxy).toBe(false);
});
