import autocannon from 'autocannon';

export type LoadResult = {
  label: string;
  connections: number;
  seconds: number;
  requests: number;
  /** Completed requests per second. */
  rps: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
};

/**
 * Closed-loop HTTP load with autocannon: `connections` clients, each sending
 * its next request as soon as the previous answer arrives. `nextPath` is
 * called before every request, so a rotating list of queries never turns into
 * one cached query. Latencies are every response's own time (not autocannon's
 * whole-millisecond histogram), so p95 and sub-millisecond figures are exact.
 */
export function runLoad(options: {
  label: string;
  baseUrl: string;
  connections: number;
  seconds: number;
  nextPath: () => string;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        duration: options.seconds,
        timeout: 10,
        requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: options.nextPath() }) }],
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        latencies.sort((a, b) => a - b);
        const at = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]);
        resolve({
          label: options.label,
          connections: options.connections,
          seconds: result.duration,
          requests: result.requests.total,
          rps: Math.round(result.requests.total / result.duration),
          latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(latencies.at(-1)) },
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  });
}

/**
 * Waits until the service has worked off what a load phase left queued (a
 * closed-loop client stops sending, but the server still owes the answers to
 * requests in flight): /healthz answers within a few milliseconds again.
 */
export async function waitForIdle(baseUrl: string, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const t = performance.now();
    await fetch(`${baseUrl}/healthz`).then((r) => r.arrayBuffer());
    if (performance.now() - t < 5) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`服务 ${timeoutMs} ms 后仍未空闲`);
}

const round = (n: number | undefined) => Math.round((n ?? 0) * 100) / 100;
