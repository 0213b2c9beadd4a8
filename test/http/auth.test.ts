import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSafeExposure, loadConfig } from '../../server/config.js';
import { buildTestApp } from '../helpers/app.js';

const AGENT = 'agent-key-0123456789abcdef';
const ADMIN = 'admin-key-0123456789abcdef';

let app: FastifyInstance;
beforeAll(async () => {
  ({ app } = await buildTestApp({ access: { agentKeys: [AGENT], adminKeys: [ADMIN], localMode: false } }));
});
afterAll(() => app.close());

const search = (authorization?: string) =>
  app.inject({
    method: 'GET',
    url: `/v1/search?q=${encodeURIComponent('光猫')}`,
    headers: authorization ? { authorization } : {},
  });

describe('keys', () => {
  it('agent routes need a valid key', async () => {
    const none = await search();
    expect(none.statusCode).toBe(401);
    expect(none.json().error.message).toContain('Authorization: Bearer');
    expect((await search('Bearer wrong-key-0123456789')).statusCode).toBe(401);
    expect((await search(`Basic ${AGENT}`)).statusCode).toBe(401);
    expect((await search(`Bearer ${AGENT}`)).statusCode).toBe(200);
  });

  it('an admin key also opens the agent scope', async () => {
    expect((await search(`Bearer ${ADMIN}`)).statusCode).toBe(200);
  });

  it('the public scope and health checks need no key', async () => {
    const pub = await app.inject({ method: 'GET', url: `/public/v1/search?q=${encodeURIComponent('光猫')}` });
    expect(pub.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('readiness details', () => {
  it('lists content problems only to admins', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/readyz' });
    expect(anonymous.json().problems.items).toBeUndefined();
    const agent = await app.inject({ method: 'GET', url: '/readyz', headers: { authorization: `Bearer ${AGENT}` } });
    expect(agent.json().problems.items).toBeUndefined();
    const admin = await app.inject({ method: 'GET', url: '/readyz', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(Array.isArray(admin.json().problems.items)).toBe(true);
  });
});

describe('configuration', () => {
  it('reports every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'abc', KB_ENGINE: 'elastic', KB_AGENT_KEYS: 'short' })).toThrow(
      /PORT[\s\S]*KB_ENGINE[\s\S]*KB_AGENT_KEYS/,
    );
  });

  it('uses the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      contentDir: './content',
      dataDir: './data',
      engine: 'embedded',
      localMode: true,
    });
  });

  it('refuses a non-loopback address without keys, and says how to fix it', () => {
    const config = loadConfig({ HOST: '0.0.0.0' });
    expect(() => assertSafeExposure(config)).toThrow(/KB_AGENT_KEYS/);
    expect(() => assertSafeExposure(loadConfig({ HOST: '::1' }))).not.toThrow();
    expect(() => assertSafeExposure(loadConfig({ HOST: '0.0.0.0', KB_AGENT_KEYS: AGENT }))).not.toThrow();
  });
});
