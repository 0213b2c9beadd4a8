import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

/** A running `server/main.ts`, started the way an operator starts it. */
export type Service = {
  pid: number;
  baseUrl: string;
  logFile: string;
  /** process.hrtime in microseconds at spawn: lines up with V8 CPU profile timestamps. */
  spawnedAtUs: number;
  /** Peak and current resident memory (VmHWM, VmRSS) in bytes, from /proc. */
  memory(): Promise<{ peak: number; current: number } | undefined>;
  /** Resolves once the given log message has been written (e.g. the watcher is ready). */
  waitForLog(message: string, timeoutMs: number): Promise<void>;
  /** SIGTERM (graceful close, snapshot flush), SIGKILL if it does not exit in time. */
  stop(): Promise<void>;
};

const running = new Set<ChildProcess>();
// The bench never leaves a service behind, even when it fails half-way.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => process.exit(130));
}

/**
 * The Node arguments of `npm start` (package.json), so the benchmark runs the
 * service with exactly the flags an operator's start does.
 */
async function startArgs(): Promise<string[]> {
  const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: { start: string } };
  // `exec` lets npm's signals reach node itself instead of the shell npm runs it in.
  const [command, ...args] = pkg.scripts.start.replace(/^exec\s+/, '').split(/\s+/);
  if (command !== 'node') throw new Error(`npm start 应以 node 启动，实际是：${pkg.scripts.start}`);
  return args;
}

/**
 * Starts the service as a child process (the command line of `npm start`)
 * on 127.0.0.1, logs to `logFile`, and resolves when /readyz answers 200,
 * with the time that took.
 */
export async function startService(options: {
  contentDir: string;
  dataDir: string;
  logFile: string;
  watch: boolean;
  logLevel: string;
  /** The engine's configuration (KB_ENGINE and what it needs): the one part of the start that names an engine. */
  engineEnv: Record<string, string>;
  /** Write a V8 CPU profile of the whole process into this folder. */
  profileDir?: string;
  /** NODE_OPTIONS for the service only (e.g. --max-old-space-size=768 to try a heap cap). */
  nodeOptions?: string;
  timeoutMs?: number;
}): Promise<{ service: Service; readyMs: number }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = openSync(options.logFile, 'w');
  const started = performance.now();
  const spawnedAtUs = Number(process.hrtime.bigint() / 1000n);
  const child = spawn(
    process.execPath,
    [...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []), ...(await startArgs())],
    {
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        KB_CONTENT_DIR: options.contentDir,
        KB_DATA_DIR: options.dataDir,
        KB_WATCH: String(options.watch),
        KB_AGENT_KEYS: '',
        KB_ADMIN_KEYS: '',
        LOG_LEVEL: options.logLevel,
        ...options.engineEnv,
        ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}),
      },
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  exited.then(() => running.delete(child));
  const pid = child.pid;
  if (pid === undefined) throw new Error('服务进程没有启动');

  const deadline = started + (options.timeoutMs ?? 300_000);
  let exitCode: number | null | undefined;
  exited.then((code) => {
    exitCode = code;
  });
  for (;;) {
    if (exitCode !== undefined) throw new Error(`服务进程退出（${exitCode}）：\n${await tail(options.logFile)}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`服务 ${options.timeoutMs ?? 300_000} ms 内没有就绪：\n${await tail(options.logFile)}`);
    }
    const ok = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await sleep(25);
  }
  const readyMs = performance.now() - started;

  const service: Service = {
    pid,
    baseUrl,
    logFile: options.logFile,
    spawnedAtUs,
    async memory() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
      if (!status) return undefined;
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
      return { peak: kb('VmHWM'), current: kb('VmRSS') };
    },
    async waitForLog(message, timeoutMs) {
      const until = performance.now() + timeoutMs;
      while (performance.now() < until) {
        if ((await readFile(options.logFile, 'utf8')).includes(message)) return;
        await sleep(100);
      }
      throw new Error(`服务日志 ${timeoutMs} ms 内没有出现“${message}”`);
    },
    async stop() {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return { service, readyMs };
}

/**
 * Samples the service's resident memory (VmRSS) every `everyMs` until
 * stopped: the most it held while serving, apart from the start-up peak that
 * VmHWM includes.
 */
export function trackRss(service: Service, everyMs = 200): { stop(): number } {
  let max = 0;
  const timer = setInterval(() => {
    void service.memory().then((m) => {
      if (m && m.current > max) max = m.current;
    });
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return max;
    },
  };
}

/** Runs `node <args>` to completion and returns its stdout; fails with its stderr. */
export function runNode(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('exit', (code) => {
      running.delete(child);
      if (code === 0) resolve(out);
      else reject(new Error(`node ${args.join(' ')} 退出码 ${code}：\n${err.slice(-2000)}`));
    });
  });
}

async function freePort(): Promise<number> {
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

async function tail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(-20).join('\n');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
