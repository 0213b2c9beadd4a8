import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { logOptions } from '../server/log-options.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Logs one line through the options as the service uses them, into a file instead of stdout. */
async function logLine(isTTY: boolean): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), 'kb-log-'));
  const file = path.join(dir, 'out.log');
  const options = logOptions('info', { isTTY });
  const logger = options.transport
    ? {
        ...options,
        transport: {
          ...options.transport,
          options: { ...options.transport.options, destination: file, colorize: false },
        },
      }
    : { ...options, file };
  const app = Fastify({ logger });
  app.log.info({ articles: 86 }, '索引从快照加载');
  // pino's flush(cb) waits for the transport's worker thread; Fastify's logger type leaves it out.
  const log = app.log as unknown as { flush(done: (error?: Error) => void): void };
  await new Promise<void>((resolve, reject) => log.flush((error) => (error ? reject(error) : resolve())));
  await app.close();
  await expect.poll(async () => (await readFile(file, 'utf8').catch(() => '')).includes('索引从快照加载')).toBe(true);
  return readFile(file, 'utf8');
}

describe('log options', () => {
  it('prints readable lines on a terminal', { timeout: 15_000 }, async () => {
    const text = await logLine(true);
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: 索引从快照加载 \{?.*articles.*86/m);
    expect(() => JSON.parse(text.split('\n')[0] ?? '')).toThrow();
  });

  it('prints one JSON object per line anywhere else', async () => {
    const text = await logLine(false);
    const line = JSON.parse(text.split('\n')[0] ?? '');
    expect(line).toMatchObject({ level: 30, msg: '索引从快照加载', articles: 86 });
  });
});
