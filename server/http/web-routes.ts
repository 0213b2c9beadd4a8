import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));
const ASSETS = fileURLToPath(new URL('../web/assets/', import.meta.url));

/**
 * Agent console (`/`) and public help page (`/help`, `/help/articles/:id`).
 * The pages are static: they read the URL themselves and call the JSON API,
 * so the agent/public split stays with the API routes that enforce it.
 */
export async function registerWebRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: ASSETS, prefix: '/assets/', index: false });

  const page = (file: string) => ({
    schema: { hide: true },
    handler: async (_request: unknown, reply: { sendFile: (file: string, root: string) => unknown }) =>
      reply.sendFile(file, WEB_ROOT),
  });
  app.get('/', page('console.html'));
  app.get('/help', page('help.html'));
  app.get('/help/articles/:id', page('help.html'));
}
