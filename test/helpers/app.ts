import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { createEmbeddedEngine } from '../../server/engine/embedded/embedded-engine.js';
import type { AccessConfig } from '../../server/http/auth.js';
import type { HelpContact } from '../../server/http/web-routes.js';
import { createKnowledgeBase, type KnowledgeBase } from '../../server/knowledge-base.js';
import { SAMPLE_CONTENT } from './sample.js';

export const LOCAL: AccessConfig = { agentKeys: [], adminKeys: [], localMode: true };

/** The sample knowledge base on the real embedded engine, in memory. */
export async function loadSampleKnowledgeBase(contentDir = SAMPLE_CONTENT): Promise<KnowledgeBase> {
  const kb = createKnowledgeBase({ contentDir, engine: createEmbeddedEngine() });
  await kb.reload();
  return kb;
}

/** Builds the app around a knowledge base; close it in afterAll. */
export async function buildTestApp(
  options: { kb?: KnowledgeBase; access?: AccessConfig; publicRateLimit?: number; helpContact?: HelpContact } = {},
): Promise<{ app: FastifyInstance; kb: KnowledgeBase }> {
  const kb = options.kb ?? (await loadSampleKnowledgeBase());
  // Tests probe the public scope hundreds of times; the rate limit has its own test.
  const app = await buildApp({
    kb,
    access: options.access ?? LOCAL,
    publicRateLimit: options.publicRateLimit ?? 100_000,
    helpContact: options.helpContact,
  });
  await app.ready();
  return { app, kb };
}
