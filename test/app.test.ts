import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, SERVER_TIMEOUTS } from '../server/app.js';
import { LOCAL, loadSampleKnowledgeBase } from './helpers/app.js';

describe('server timeouts', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    app = await buildApp({
      kb: await loadSampleKnowledgeBase(),
      access: LOCAL,
      timeouts: { connectionTimeout: 300 },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  it('closes a connection that sends nothing', async () => {
    const { port } = app.server.address() as AddressInfo;
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.on('close', () => resolve());
      setTimeout(() => reject(new Error('idle connection still open after 5 s')), 5000);
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('limits how long a request may take to arrive and how long an idle keep-alive connection stays', () => {
    expect(app.server.requestTimeout).toBe(SERVER_TIMEOUTS.requestTimeout);
    expect(app.server.keepAliveTimeout).toBe(SERVER_TIMEOUTS.keepAliveTimeout);
    expect(SERVER_TIMEOUTS.requestTimeout).toBeGreaterThan(0);
  });
});
