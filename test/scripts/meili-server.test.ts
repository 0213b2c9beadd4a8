import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMeilisearchBinary, startMeilisearch } from '../../scripts/meili-server.js';
import { tempDir } from '../helpers/sample.js';

/**
 * The harness that runs a throw-away Meilisearch for the tests, checked with a
 * stand-in binary (a few lines of Node that answer /health on --http-addr and
 * write down their arguments), so it is tested on every machine, with or
 * without a real Meilisearch.
 */
const FAKE = `#!/usr/bin/env node
const http = require('node:http');
const fs = require('node:fs');
const args = process.argv.slice(2);
const at = (name) => args[args.indexOf(name) + 1];
if (process.env.FAKE_FAIL) { console.error('cannot open database'); process.exit(3); }
fs.writeFileSync(process.env.FAKE_ARGS, JSON.stringify({ args, meiliEnv: Object.keys(process.env).filter((k) => k.startsWith('MEILI_')) }));
const [host, port] = at('--http-addr').split(':');
http.createServer((req, res) => { res.writeHead(req.url === '/health' ? 200 : 404); res.end('{"status":"available"}'); }).listen(Number(port), host);
process.on('SIGTERM', () => process.exit(0));
`;

describe('scripts/meili-server.ts', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let binary: string;
  const argsFile = () => path.join(tmp.dir, 'args.json');

  beforeAll(async () => {
    tmp = await tempDir();
    binary = path.join(tmp.dir, 'meilisearch');
    await writeFile(binary, FAKE);
    await chmod(binary, 0o755);
    process.env.FAKE_ARGS = argsFile();
  });
  afterAll(async () => {
    delete process.env.FAKE_ARGS;
    delete process.env.FAKE_FAIL;
    await tmp.cleanup();
  });

  it('finds the binary at MEILI_BIN or on PATH, and says when there is none', () => {
    expect(findMeilisearchBinary({ MEILI_BIN: binary })).toBe(binary);
    expect(findMeilisearchBinary({ PATH: `/nonexistent${path.delimiter}${tmp.dir}` })).toBe(binary);
    expect(findMeilisearchBinary({ MEILI_BIN: path.join(tmp.dir, 'missing'), PATH: tmp.dir })).toBeUndefined();
    expect(findMeilisearchBinary({ PATH: '/nonexistent' })).toBeUndefined();
  });

  it('starts on a loopback port with a temporary database and a master key, stops, starts again, cleans up', async () => {
    process.env.MEILI_SCHEDULE_SNAPSHOT = '1'; // must not reach the server
    const server = await startMeilisearch(binary, { args: ['--http-payload-size-limit', '2MB'] });
    delete process.env.MEILI_SCHEDULE_SNAPSHOT;
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${server.url}/health`)).ok).toBe(true);
      const { args, meiliEnv } = JSON.parse(await readFile(argsFile(), 'utf8')) as {
        args: string[];
        meiliEnv: string[];
      };
      expect(args).toEqual(
        expect.arrayContaining(['--master-key', server.masterKey, '--http-payload-size-limit', '2MB']),
      );
      expect(args[args.indexOf('--db-path') + 1]?.startsWith(server.dbPath)).toBe(true);
      expect(server.masterKey.length).toBeGreaterThanOrEqual(16);
      expect(meiliEnv).toEqual([]);
      expect(server.pid).toBeGreaterThan(0);

      await server.stop();
      expect(server.pid).toBeUndefined();
      await expect(fetch(`${server.url}/health`)).rejects.toThrow();
      await server.start();
      expect((await fetch(`${server.url}/health`)).ok).toBe(true);
    } finally {
      await server.dispose();
    }
    expect(existsSync(server.dbPath)).toBe(false);
  });

  it('fails with the binary’s own output when it does not start', async () => {
    process.env.FAKE_FAIL = '1';
    try {
      await expect(startMeilisearch(binary)).rejects.toThrow(/cannot open database/);
    } finally {
      delete process.env.FAKE_FAIL;
    }
  });
});
