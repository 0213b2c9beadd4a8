import { connect } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { assertSafeExposure, loadConfig } from '../../server/config.js';
import type { KnowledgeBase } from '../../server/knowledge-base.js';
import { LOCAL, loadSampleKnowledgeBase } from '../helpers/app.js';
import { article, tempDir, writeContent } from '../helpers/sample.js';

/**
 * Errors raised by Node's parser and by Fastify before a route runs answer
 * with the documented envelope `{ error: { code, message, requestId } }`, in
 * Chinese and saying what to fix, and are logged (without the query).
 */
const logLines: Array<Record<string, unknown>> = [];
let app: FastifyInstance;
let kb: KnowledgeBase;
let port: number;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  tmp = await tempDir();
  await writeContent(tmp.dir, {
    'a.md': article(
      { id: 'pub-a', title: '光猫红灯', product: '宽带', category: '故障排查', audience: 'public' },
      '## 答案\n重启光猫。',
    ),
  });
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  kb = await loadSampleKnowledgeBase(tmp.dir);
  app = await buildApp({
    kb,
    access: LOCAL,
    publicCorsOrigins: ['https://help.example.com'],
    logger: { level: 'info', stream },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});
afterAll(async () => {
  await app.close();
  await tmp.cleanup();
});

/** Sends raw bytes over a real socket and returns the status and parsed JSON body of the answer. */
function rawRequest(bytes: Buffer): Promise<{ status: number; body: { error: Record<string, string> } }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), body: JSON.parse(body) });
    });
  });
}

function expectEnvelope(body: { error: Record<string, string> }, code: string, message: RegExp): void {
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(message);
  expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
  expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
}

describe('errors from the HTTP parser, over a real socket', () => {
  it("the README's old curl example (raw UTF-8 in the request line) gets a 400 that says to URL-encode", async () => {
    const res = await rawRequest(
      Buffer.from('GET /v1/answer?q=光猫一直闪红灯 HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nUser-Agent: curl/8.5.0\r\n\r\n'),
    );
    expect(res.status).toBe(400);
    expectEnvelope(res.body, 'BAD_REQUEST', /URL 编码.*--data-urlencode/);
    const logged = logLines.find((l) => l.requestId === res.body.error.requestId);
    expect(logged).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(JSON.stringify(logLines)).not.toContain('光猫一直闪红灯');
  });

  it('headers over 16 KB get a 431 in the envelope', async () => {
    const cookie = `session=${'x'.repeat(20_000)}`;
    const res = await rawRequest(Buffer.from(`GET /healthz HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\n\r\n`));
    expect(res.status).toBe(431);
    expectEnvelope(res.body, 'HEADERS_TOO_LARGE', /16 KB/);
  });

  it('a URL over 16 KB gets the same 431', async () => {
    const q = encodeURIComponent('光'.repeat(2_000));
    const res = await rawRequest(Buffer.from(`GET /v1/search?q=${q} HTTP/1.1\r\nHost: x\r\n\r\n`));
    expect(res.status).toBe(431);
    expectEnvelope(res.body, 'HEADERS_TOO_LARGE', /缩短搜索内容/);
  });

  it('something that is not HTTP gets a 400 in the envelope', async () => {
    const res = await rawRequest(Buffer.from('HELLO THERE\r\n\r\n'));
    expect(res.status).toBe(400);
    expectEnvelope(res.body, 'BAD_REQUEST', /不是有效的 HTTP 请求/);
  });
});

describe('errors Fastify raises before a route runs', () => {
  const cases: Array<{
    name: string;
    inject: InjectOptions;
    status: number;
    code: string;
    message: RegExp;
  }> = [
    {
      name: 'unknown path',
      inject: { method: 'GET', url: '/v2/search' },
      status: 404,
      code: 'NOT_FOUND',
      message: /\/docs/,
    },
    {
      name: 'bad percent-encoding',
      inject: { method: 'GET', url: '/v1/articles/%E0%A4%A' },
      status: 400,
      code: 'BAD_REQUEST',
      message: /encodeURIComponent/,
    },
    {
      name: 'body over 16 KB',
      inject: { method: 'POST', url: '/v1/feedback', payload: { query: '光猫', comment: '长'.repeat(10_000) } },
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: /16 KB.*缩短留言/,
    },
    {
      name: 'wrong content type',
      inject: { method: 'POST', url: '/v1/feedback', payload: 'query=光猫', headers: { 'content-type': 'text/csv' } },
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: /application\/json/,
    },
    {
      name: 'broken JSON',
      inject: {
        method: 'POST',
        url: '/v1/feedback',
        payload: '{"query": ',
        headers: { 'content-type': 'application/json' },
      },
      status: 400,
      code: 'BAD_REQUEST',
      message: /不是有效的 JSON/,
    },
    {
      name: 'limit written in hexadecimal',
      inject: { method: 'GET', url: '/v1/search?q=%E5%85%89%E7%8C%AB&limit=0x10' },
      status: 400,
      code: 'INVALID_QUERY',
      message: /limit 只能是 0-9 组成的整数/,
    },
    {
      name: 'offset in exponent notation',
      inject: { method: 'GET', url: '/public/v1/search?q=%E5%85%89%E7%8C%AB&offset=1e1' },
      status: 400,
      code: 'INVALID_QUERY',
      message: /offset 只能是 0-9 组成的整数/,
    },
  ];
  it.each(cases)('$name -> $status in the envelope, logged', async ({ inject, status, code, message }) => {
    const res = await app.inject(inject);
    expect(res.statusCode).toBe(status);
    expectEnvelope(res.json(), code, message);
    const requestId = res.json().error.requestId;
    expect(logLines.some((l) => l.reqId === requestId && l.status === status)).toBe(true);
  });

  it('a decimal limit still works', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/search?q=%E5%85%89%E7%8C%AB&limit=16' });
    expect(res.statusCode).toBe(200);
  });
});

describe('CORS preflight', () => {
  const headers = { origin: 'https://help.example.com', 'access-control-request-method': 'GET' };
  it('is answered for the public scope only, never for agent or admin routes', async () => {
    const pub = await app.inject({ method: 'OPTIONS', url: '/public/v1/search', headers });
    expect(pub.headers['access-control-allow-origin']).toBe('https://help.example.com');
    for (const url of ['/v1/search', '/v1/articles/pub-a', '/v1/admin/reindex', '/v1/feedback']) {
      const res = await app.inject({ method: 'OPTIONS', url, headers });
      expect(res.headers['access-control-allow-origin'], url).toBeUndefined();
      expect(res.statusCode, url).toBe(404);
    }
  });
});

describe('HOST in brackets', () => {
  it('HOST=[::1] is the IPv6 loopback: allowed without keys, and the service listens on it', async () => {
    const config = loadConfig({ HOST: '[::1]' });
    expect(config.host).toBe('::1');
    expect(() => assertSafeExposure(config)).not.toThrow();
    const v6 = await buildApp({ kb, access: LOCAL });
    try {
      await v6.listen({ host: config.host, port: 0 });
      expect(v6.server.address()).toMatchObject({ address: '::1', family: 'IPv6' });
    } finally {
      await v6.close();
    }
  });

  it('anything else in brackets is a configuration error that says what to write', () => {
    expect(() => loadConfig({ HOST: '[localhost]' })).toThrow(/HOST.*IPv6.*HOST=::1/s);
  });
});
