import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { type AccessConfig, createAccessCheck, requireRole } from './http/auth.js';
import { registerErrorHandler } from './http/error-handler.js';
import { registerAnswerRoute, registerSearchRoutes } from './http/search-routes.js';
import { registerSystemRoutes } from './http/system-routes.js';
import { registerWebRoutes } from './http/web-routes.js';
import type { KnowledgeBase } from './knowledge-base.js';

export type AppDeps = {
  kb: KnowledgeBase;
  access: AccessConfig;
  logger?: FastifyServerOptions['logger'];
};

/**
 * Builds the Fastify instance; never listens. `main.ts` listens, tests use
 * `app.inject()`.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    genReqId: () => randomUUID(),
    bodyLimit: 64 * 1024,
    routerOptions: { maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'kb 客服知识库 API',
        description: '坐席检索、答案卡片、公开自助范围。坐席接口需要 Authorization: Bearer <密钥>（本机模式除外）。',
        version: '1.0.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const roleOf = createAccessCheck(deps.access);
  registerSystemRoutes(app, deps.kb);

  await app.register(async (agent) => {
    agent.addHook('onRequest', requireRole(roleOf, 'agent'));
    registerSearchRoutes(agent, { kb: deps.kb, scope: 'agent', prefix: '/v1', tag: '坐席' });
    registerAnswerRoute(agent, deps.kb);
  });
  await app.register(async (pub) => {
    registerSearchRoutes(pub, { kb: deps.kb, scope: 'public', prefix: '/public/v1', tag: '公开自助' });
  });
  await registerWebRoutes(app);

  return app;
}
