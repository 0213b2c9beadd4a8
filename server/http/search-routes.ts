import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { viewArticle } from '../answer/article-view.js';
import { composeAnswer } from '../answer/compose-answer.js';
import { judgeConfidence } from '../answer/confidence.js';
import { showAnswer, showArticleView, simplifyHits } from '../answer/convert-script.js';
import type { Scope } from '../engine/search-engine.js';
import { KbError } from '../errors.js';
import type { EventLog } from '../events/event-log.js';
import type { KnowledgeBase } from '../knowledge-base.js';
import { type SearchOutcome, searchKnowledgeBase } from '../search/search.js';
import { suggest } from '../search/suggest.js';
import {
  agentArticleSchema,
  answerQuerySchema,
  answerResponseSchema,
  articleParamsSchema,
  articleQuerySchema,
  errorResponseSchema,
  publicArticleSchema,
  searchQuerySchema,
  searchResponseSchema,
  suggestQuerySchema,
  suggestResponseSchema,
} from './schemas.js';

type RouteOptions = { kb: KnowledgeBase; scope: Scope; prefix: string; tag: string; events?: EventLog };

/** Puts one search on the event log (off the request path: the log only queues it). */
function logSearch(
  events: EventLog | undefined,
  request: FastifyRequest,
  scope: Scope,
  route: 'search' | 'answer',
  outcome: SearchOutcome,
  /** Already judged by the answer route; judged here for the search route. */
  confident?: boolean,
): void {
  if (!events) return;
  events.recordSearch({
    client: `${request.ip} ${scope}`,
    query: outcome.query.text,
    normalized: outcome.query.normalized,
    scope,
    route,
    resultCount: outcome.total,
    topIds: outcome.hits.slice(0, 3).map((h) => h.id),
    confident: confident ?? judgeConfidence(outcome).confident,
    latencyMs: outcome.tookMs,
    engine: outcome.engine,
    degraded: outcome.degraded,
  });
}

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

/**
 * Search, suggest and article routes for one scope. The public scope gets the
 * same handlers with `scope: 'public'`, which every stage below enforces.
 */
export function registerSearchRoutes(app: FastifyInstance, options: RouteOptions): void {
  const { kb, scope, prefix, tag } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const who =
    scope === 'public' ? '公开范围：只含 audience: public 的文章，内部段落与内部块已移除' : '坐席范围：全部文章';

  r.get(`${prefix}/search`, {
    schema: {
      tags: [tag],
      summary: '搜索',
      description: `按文章分组的搜索结果，每篇给出最匹配的段落和高亮摘要。${who}`,
      querystring: searchQuerySchema,
      response: { 200: searchResponseSchema, ...errors },
    },
    handler: async (request) => {
      const outcome = await searchKnowledgeBase(kb, { ...request.query, scope });
      logSearch(options.events, request, scope, 'search', outcome);
      const hits =
        request.query.convert === 'simplified'
          ? simplifyHits(outcome.hits, (id) => kb.getArticle(id, scope))
          : outcome.hits;
      return { ...outcome, hits, query: { normalized: outcome.query.normalized } };
    },
  });

  r.get(`${prefix}/suggest`, {
    schema: {
      tags: [tag],
      summary: '输入联想',
      description: `从标题和相似问中联想。${who}`,
      querystring: suggestQuerySchema,
      response: { 200: suggestResponseSchema, ...errors },
    },
    handler: async (request) => {
      const started = performance.now();
      const suggestions = await suggest(kb, request.query.q, scope, request.query.limit);
      return { tookMs: Math.round((performance.now() - started) * 100) / 100, suggestions };
    },
  });

  r.get(`${prefix}/articles/:id`, {
    schema: {
      tags: [tag],
      summary: '文章详情',
      description: `元数据、段落和渲染后的 HTML。${who}；范围外的文章与不存在的文章一样返回 404`,
      params: articleParamsSchema,
      querystring: articleQuerySchema,
      response: { 200: scope === 'public' ? publicArticleSchema : agentArticleSchema, ...errors },
    },
    handler: async (request) => {
      const article = kb.getArticle(request.params.id, scope);
      if (!article) throw new KbError('ARTICLE_NOT_FOUND', `没有找到文章 ${request.params.id}`);
      const view = showArticleView(viewArticle(kb, article, scope), article, request.query.convert === 'simplified');
      return view as z.infer<typeof agentArticleSchema>;
    },
  });
}

/** `/v1/answer`: agent scope only, the card an agent reads aloud from. */
export function registerAnswerRoute(app: FastifyInstance, kb: KnowledgeBase, events?: EventLog): void {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/answer', {
    schema: {
      tags: ['坐席'],
      summary: '最佳答案卡片',
      description:
        '最佳答案（一句话答案、步骤、话术、原因、升级与时限）、2-3 个备选和 confident 标志。confident 为 false 时不要把它当答案读给客户，机器人应转人工。',
      querystring: answerQuerySchema,
      response: { 200: answerResponseSchema, ...errors },
    },
    handler: async (request) => {
      const outcome = await searchKnowledgeBase(kb, {
        ...request.query,
        scope: 'agent',
        limit: 4,
        offset: 0,
        prefix: false,
      });
      const articleOf = (id: string) => kb.getArticle(id, 'agent');
      const answer = composeAnswer(outcome, articleOf);
      logSearch(events, request, 'agent', 'answer', outcome, answer.confident);
      const shown = showAnswer(answer, articleOf, request.query.convert === 'simplified');
      return { engine: outcome.engine, degraded: outcome.degraded, tookMs: outcome.tookMs, ...shown };
    },
  });
}
