import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { LOCAL, loadSampleKnowledgeBase } from '../helpers/app.js';

describe('request log', () => {
  it('writes one line per request with the route pattern, never the query the customer typed', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildApp({
      kb: await loadSampleKnowledgeBase(),
      access: LOCAL,
      logger: { level: 'info', stream },
    });
    try {
      await app.inject({ method: 'GET', url: `/v1/search?q=${encodeURIComponent('手机13812345678光猫')}` });
      await app.inject({ method: 'GET', url: '/v1/articles/bb-los-red' });
      await app.inject({ method: 'GET', url: '/v9/nothing?q=13812345678' });
      await app.inject({ method: 'GET', url: `/v1/search?q=${'1'.repeat(501)}13812345678` });
      const log = lines.join('');
      expect(log).not.toContain('13812345678');
      expect(log).not.toContain(encodeURIComponent('手机'));
      const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
      expect(requests.map((r) => [r.route, r.status])).toEqual([
        ['/v1/search', 200],
        ['/v1/articles/:id', 200],
        ['not-found', 404],
        ['/v1/search', 400],
      ]);
    } finally {
      await app.close();
    }
  });
});
