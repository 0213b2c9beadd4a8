/** pino's level names, as LOG_LEVEL accepts them. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The subset of pino's options the service sets (Fastify's `logger` option takes them as they are). */
export type LogOptions = {
  level: LogLevel;
  transport?: { target: string; options: Record<string, unknown> };
};

/**
 * Logger options for the service. On a terminal, readable lines through
 * pino-pretty (pino's own transport, in a worker thread, so the request path
 * never formats a line); anywhere else one JSON object per line, for log
 * collectors. https://github.com/pinojs/pino-pretty#usage-with-pino
 */
export function logOptions(level: LogLevel, stream: { isTTY?: boolean } = process.stdout): LogOptions {
  if (!stream.isTTY) return { level };
  return {
    level,
    transport: {
      target: 'pino-pretty',
      options: {
        colorize: true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
        singleLine: true,
      },
    },
  };
}
