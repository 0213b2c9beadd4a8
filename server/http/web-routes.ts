import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));

const PAGES = [
  ['/', 'console.html'],
  ['/help', 'help.html'],
  ['/help/articles/:id', 'help.html'],
] as const;

/**
 * Agent console (`/`) and public help page (`/help`, `/help/articles/:id`).
 * The pages are static: they read the URL themselves and call the JSON API,
 * so scope stays enforced by the API routes alone. Assets live under `/assets/`.
 */
export async function registerWebRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: `${WEB_ROOT}assets`, prefix: '/assets/', index: false });
  for (const [url, file] of PAGES) {
    app.get(url, { schema: { hide: true } }, (_request, reply) => reply.sendFile(file, WEB_ROOT));
  }
}
