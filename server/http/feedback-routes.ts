import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { KbError } from '../errors.js';
import type { EventLog } from '../events/event-log.js';
import type { KnowledgeBase } from '../knowledge-base.js';
import { errorResponseSchema, feedbackBodySchema, feedbackResponseSchema } from './schemas.js';

/** `POST /v1/feedback`: an agent says whether an answer helped. */
export function registerFeedbackRoute(app: FastifyInstance, kb: KnowledgeBase, events: EventLog | undefined): void {
  app.withTypeProvider<ZodTypeProvider>().post('/v1/feedback', {
    schema: {
      tags: ['坐席'],
      summary: '答案反馈',
      description: '对（查询，文章）标记有帮助 / 没帮助，可附一句说明；进入培训人员的知识缺口报告。',
      body: feedbackBodySchema,
      response: {
        202: feedbackResponseSchema,
        400: errorResponseSchema,
        401: errorResponseSchema,
        404: errorResponseSchema,
      },
    },
    handler: async (request, reply) => {
      const { query, articleId, helpful, comment } = request.body;
      if (!kb.getArticle(articleId, 'agent')) throw new KbError('ARTICLE_NOT_FOUND', `没有找到文章 ${articleId}`);
      const normalized = kb.analyzer.analyzeQuery(query).normalized;
      events?.recordFeedback({ query, normalized, articleId, helpful, comment: comment || undefined });
      return reply.code(202).send({ accepted: true as const });
    },
  });
}
