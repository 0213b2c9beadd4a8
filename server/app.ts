import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import helmet from 'helmet';
import { KbError } from './errors.js';
import type { EventLog } from './events/event-log.js';
import { registerAdminRoutes } from './http/admin-routes.js';
import { type AccessConfig, createAccessCheck, requireRole } from './http/auth.js';
import { clientErrorHandler } from './http/client-error.js';
import { frameworkErrorHandler, registerErrorHandler } from './http/error-handler.js';
import { registerFeedbackRoute } from './http/feedback-routes.js';
import { RouteLogController } from './http/request-log.js';
import { registerAnswerRoute, registerSearchRoutes } from './http/search-routes.js';
import { registerSystemRoutes } from './http/system-routes.js';
import { type HelpContact, registerWebRoutes } from './http/web-routes.js';
import type { KnowledgeBase } from './knowledge-base.js';

export type AppDeps = {
  kb: KnowledgeBase;
  access: AccessConfig;
  /** Public scope: requests per minute per client address (default 120). */
  publicRateLimit?: number;
  /** Public scope: origins allowed by CORS (default none). */
  publicCorsOrigins?: string[];
  /** Proxies in front (their addresses, or their number) whose X-Forwarded-For is believed; default none. */
  trustProxy?: false | number | string[];
  /** Search and feedback log; without it nothing is recorded (tests, CLI). */
  events?: EventLog;
  logger?: FastifyServerOptions['logger'];
  /** How the help page tells customers to reach a person; without it, only 请联系人工客服. */
  helpContact?: HelpContact;
  /** Server timeouts in milliseconds (defaults below; tests shorten them). */
  timeouts?: Partial<ServerTimeouts>;
};

export type ServerTimeouts = { connectionTimeout: number; requestTimeout: number; keepAliveTimeout: number };

/**
 * Set explicitly, so a slow or silent client never holds a connection for good:
 * a socket idle this long is closed; a request must arrive whole within
 * `requestTimeout` (Fastify's default is no limit); an idle keep-alive
 * connection stays open longer than a load balancer's usual 60 s, so the
 * balancer, not the service, closes it (no 502 on a reused connection).
 */
export const SERVER_TIMEOUTS: ServerTimeouts = {
  connectionTimeout: 75_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 72_000,
};

/** Largest request body accepted (feedback comments and the like). */
const BODY_LIMIT = 16 * 1024;

/**
 * Builds the Fastify instance; never listens. `main.ts` listens, tests use
 * `app.inject()`.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    ...SERVER_TIMEOUTS,
    ...deps.timeouts,
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT,
    trustProxy: trustProxyOption(deps.trustProxy),
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    logController: new RouteLogController(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  // Security headers on every response; the CSP allows only same-origin scripts and styles
  // (the pages have no inline script), plus what the Swagger UI at /docs needs. The helmet
  // middleware is built once here: @fastify/helmet rebuilt it on every request (parsing the
  // CSP each time), 13% of a /healthz request in docs/benchmarks.md.
  const secureHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // Behind plain HTTP on a LAN this would break every asset; TLS is the proxy's job.
        upgradeInsecureRequests: null,
      },
    },
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  app.addHook('onRequest', (request, reply, done) =>
    secureHeaders(request.raw, reply.raw, (error) => done(error instanceof Error ? error : undefined)),
  );

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
  registerSystemRoutes(app, deps.kb, roleOf);

  await app.register(async (agent) => {
    agent.addHook('onRequest', requireRole(roleOf, 'agent'));
    registerSearchRoutes(agent, { kb: deps.kb, scope: 'agent', prefix: '/v1', tag: '坐席', events: deps.events });
    registerAnswerRoute(agent, deps.kb, deps.events);
    registerFeedbackRoute(agent, deps.kb, deps.events);
  });
  await app.register(async (admin) => {
    admin.addHook('onRequest', requireRole(roleOf, 'admin'));
    registerAdminRoutes(admin, deps.kb, deps.events);
  });

  // Under its own prefix: @fastify/cors answers preflight with an OPTIONS '*' route, which
  // without one matched every path, so OPTIONS /v1/search got access-control-allow-origin.
  const publicScope = async (pub: FastifyInstance) => {
    // Customers are anonymous: limit each client address, and allow browsers on the
    // configured help-site origins only. Neither applies to the agent routes.
    await pub.register(rateLimit, {
      max: deps.publicRateLimit ?? 120,
      timeWindow: 60_000,
      errorResponseBuilder: (_request, context) =>
        new KbError('RATE_LIMITED', `请求太频繁，请 ${Math.ceil(context.ttl / 1000)} 秒后再试`),
    });
    if (deps.publicCorsOrigins && deps.publicCorsOrigins.length > 0) {
      await pub.register(cors, {
        origin: deps.publicCorsOrigins.includes('*') ? '*' : deps.publicCorsOrigins,
        methods: ['GET'],
      });
    }
    registerSearchRoutes(pub, {
      kb: deps.kb,
      scope: 'public',
      prefix: '/v1',
      tag: '公开自助',
      events: deps.events,
    });
  };
  await app.register(publicScope, { prefix: '/public' });
  await registerWebRoutes(app, { kb: deps.kb, helpContact: deps.helpContact });

  return app;
}

/**
 * Fastify takes addresses as they are; a hop count it no longer takes (it
 * cannot tell a proxy from a client that connects directly), so the count
 * becomes proxy-addr's own rule: the first `hops` addresses from the socket
 * inwards are proxies.
 */
function trustProxyOption(trust: AppDeps['trustProxy']): FastifyServerOptions['trustProxy'] {
  if (typeof trust !== 'number') return trust ?? false;
  return (_address, hop) => hop < trust;
}
