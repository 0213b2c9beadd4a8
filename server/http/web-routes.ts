import type { FastifyInstance } from 'fastify';

/** Agent console (`/`) and public help page (`/help`). Filled in by the web UI work. */
export async function registerWebRoutes(_app: FastifyInstance): Promise<void> {}
