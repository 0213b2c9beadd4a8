/**
 * The part of autocannon's programmatic API the benchmark uses
 * (https://github.com/mcollina/autocannon#api); the package ships no types.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export type AutocannonRequest = {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    /** Called before every request with this entry: returning a new `path` rotates queries. */
    setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  };

  export type AutocannonOptions = {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    pipelining?: number;
    /** Seconds before a request counts as a timeout. */
    timeout?: number;
    requests?: AutocannonRequest[];
  };

  export type AutocannonResult = {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    mismatches: number;
    resets: number;
    '2xx': number;
    /** `total`: completed requests; `average`: mean requests per second. */
    requests: { total: number; sent: number; average: number };
    statusCodeStats: Record<string, { count: number }>;
  };

  export type AutocannonInstance = EventEmitter & { stop(): void };

  export default function autocannon(
    options: AutocannonOptions,
    done: (error: Error | null, result: AutocannonResult) => void,
  ): AutocannonInstance;
}
