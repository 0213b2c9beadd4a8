import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A throw-away Meilisearch for the tests, started from a binary on this
 * machine: a free loopback port, a temporary database, a random master key.
 * The project never builds or ships Meilisearch; it only uses one it is given
 * (MEILI_BIN, or `meilisearch` on PATH).
 */
export type MeiliServer = {
  url: string;
  masterKey: string;
  /** Stops the process; the database stays, so `start()` brings the same data back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the process and deletes the database. */
  dispose(): Promise<void>;
  /** Resident memory of the process in bytes (Linux), undefined when it is not running. */
  rssBytes(): number | undefined;
  /** The running process's id, undefined while it is stopped. */
  readonly pid: number | undefined;
  dbPath: string;
};

const STARTUP_TIMEOUT_MS = 30_000;

/** The binary to run: MEILI_BIN when set, else `meilisearch` on PATH; undefined when there is none. */
export function findMeilisearchBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.MEILI_BIN
    ? [env.MEILI_BIN]
    : (env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'meilisearch'));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {}
  }
  return undefined;
}

/** Starts `binary` and resolves once /health answers. */
export async function startMeilisearch(
  binary: string,
  options: { log?: (line: string) => void /** More command-line options. */; args?: string[] } = {},
): Promise<MeiliServer> {
  const dbPath = mkdtempSync(path.join(tmpdir(), 'kb-meili-'));
  const masterKey = randomBytes(24).toString('hex');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    output = '';
    const proc = spawn(
      binary,
      [
        '--db-path',
        path.join(dbPath, 'data.ms'),
        '--dump-dir',
        path.join(dbPath, 'dumps'),
        '--snapshot-dir',
        path.join(dbPath, 'snapshots'),
        '--http-addr',
        `127.0.0.1:${port}`,
        '--master-key',
        masterKey,
        '--env',
        'development',
        '--no-analytics',
        '--log-level',
        'WARN',
        ...(options.args ?? []),
      ],
      // Without the caller's MEILI_* variables: Meilisearch reads its options from them too.
      { cwd: dbPath, stdio: ['ignore', 'pipe', 'pipe'], env: withoutMeiliVariables(process.env) },
    );
    child = proc;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      options.log?.(chunk.toString());
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    const exited = new Promise<never>((_, reject) =>
      proc.once('exit', (code, signal) =>
        reject(new Error(`meilisearch exited during start-up (${signal ?? code}):\n${output}`)),
      ),
    );
    exited.catch(() => undefined);
    await Promise.race([waitHealthy(url), exited]);
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  };

  try {
    await start();
  } catch (error) {
    await stop();
    rmSync(dbPath, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    masterKey,
    dbPath,
    get pid() {
      return child?.pid;
    },
    start,
    stop,
    async dispose() {
      await stop();
      rmSync(dbPath, { recursive: true, force: true });
    },
    rssBytes() {
      const pid = child?.pid;
      if (!pid) return undefined;
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
        return kb ? Number(kb) * 1024 : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

function withoutMeiliVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('MEILI_')));
}

async function waitHealthy(url: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {}
    if (Date.now() > deadline)
      throw new Error(`meilisearch did not answer ${url}/health within ${STARTUP_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
