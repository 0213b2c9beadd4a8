import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { KnowledgeBase } from '../knowledge-base.js';
import type { Role } from './auth.js';
import { healthResponseSchema, readyResponseSchema } from './schemas.js';

/** Liveness and readiness: no key needed, and nothing in them names an article or a file. */
export function registerSystemRoutes(
  app: FastifyInstance,
  kb: KnowledgeBase,
  roleOf: (request: FastifyRequest) => Role | undefined,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/healthz', {
    schema: { tags: ['系统'], summary: '存活检查', response: { 200: healthResponseSchema } },
    handler: async () => ({ status: 'ok' as const }),
  });

  r.get('/readyz', {
    schema: {
      tags: ['系统'],
      summary: '就绪检查',
      description:
        '索引已加载且搜索引擎可用时返回 200，否则 503。带管理员密钥（或本机模式）时，problems.items 列出每个内容问题的文件、行号和字段。',
      response: { 200: readyResponseSchema, 503: readyResponseSchema },
    },
    handler: async (request, reply) => {
      // A wedged or restarting engine fails stats too: readiness then says why instead of answering 500.
      const [health, stats] = await Promise.all([kb.engine.health(), kb.engine.stats().catch(() => undefined)]);
      const ready = health.ok && kb.loadedAt !== undefined;
      const diagnostics = kb.loadedAt ? kb.diagnostics : [];
      return reply.code(ready ? 200 : 503).send({
        ready,
        engine: kb.engine.name,
        degraded: health.degraded ?? false,
        articles: stats?.articles ?? 0,
        documents: stats?.documents ?? 0,
        loadedAt: kb.loadedAt?.toISOString() ?? null,
        problems: {
          errors: diagnostics.filter((d) => d.severity === 'error').length,
          warnings: diagnostics.filter((d) => d.severity === 'warning').length,
          // File names and messages can describe internal content: admins only.
          items: roleOf(request) === 'admin' ? diagnostics : undefined,
        },
        notices: kb.notices,
        detail: health.detail,
      });
    },
  });

  r.get('/openapi.json', { schema: { hide: true }, handler: async () => app.swagger() });
}
