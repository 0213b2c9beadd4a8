import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { KbError } from '../errors.js';
import type { EventLog } from '../events/event-log.js';
import { buildGapReport } from '../events/gap-report.js';
import type { KnowledgeBase } from '../knowledge-base.js';
import { lintArticles } from '../lint/lint-content.js';
import { errorResponseSchema, gapReportQuerySchema, gapReportSchema, reindexResponseSchema } from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  503: errorResponseSchema,
};

/** Admin routes: full rebuild and the trainers' knowledge-gap report. Registered behind the admin key check. */
export function registerAdminRoutes(app: FastifyInstance, kb: KnowledgeBase, events: EventLog | undefined): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/v1/admin/reindex', {
    schema: {
      tags: ['管理'],
      summary: '全部重建索引',
      description:
        '重新读取内容目录和词库，强制重建索引。坏文章继续提供上一个正确版本。errors 和 warnings 与 kb lint 的规则一致（含过期待复核、缺少段落等内容问题）。',
      response: { 200: reindexResponseSchema, ...errors },
    },
    handler: async () => {
      const started = performance.now();
      const result = await kb.reload({ force: true });
      // Loading reports only what stops an article loading; the content rules are what `kb lint` adds.
      const today = new Date().toISOString().slice(0, 10);
      const diagnostics = [...result.diagnostics, ...lintArticles(kb.articles('agent'), result.state.lexicon, today)];
      return {
        articles: result.accepted.length,
        rebuilt: result.rebuilt,
        errors: diagnostics.filter((d) => d.severity === 'error').length,
        warnings: diagnostics.filter((d) => d.severity === 'warning').length,
        tookMs: Math.round(performance.now() - started),
      };
    },
  });

  r.get('/v1/admin/reports/gaps', {
    schema: {
      tags: ['管理'],
      summary: '知识缺口报告',
      description:
        '没有结果或没有把握答案的查询（按归一化形式合并，含次数和最后出现时间）、被标记没帮助的文章及留言、答案常被标记没帮助的查询、热门查询和有把握答案的占比。',
      querystring: gapReportQuerySchema,
      response: { 200: gapReportSchema, ...errors },
    },
    handler: async (request) => {
      events?.flush();
      const report = events?.read((db) => buildGapReport(db, { days: request.query.days }));
      if (!events || !report) throw new KbError('NOT_READY', '事件库不可用（数据目录不可写？），暂时无法生成报告');
      return { ...report, droppedEvents: events.dropped };
    },
  });
}
