import { z } from 'zod';
import { SECTION_KINDS } from '../parse/article.js';

const MAX_QUERY = 500;

const queryText = z
  .string({ error: (issue) => (issue.input === undefined ? '缺少参数 q（搜索内容）' : 'q 只能出现一次，且应为文本') })
  .trim()
  .min(1, '搜索内容不能为空，请输入要查的问题或关键词')
  .max(MAX_QUERY, `搜索内容不能超过 ${MAX_QUERY} 个字符，请只保留关键的几句话`)
  .describe('搜索内容：客户原话、关键词、错误码都可以；简体繁体均可');

/**
 * A whole number in the query string, written in decimal digits only: Number()
 * would also read `0x10` as 16, `1e1` as 10 and ` 5` as 5, none of which a
 * client means as a page size.
 */
const count = (name: string, min: number, max: number, fallback: number) =>
  z
    .string({ error: `${name} 只能出现一次，且应为整数` })
    .regex(/^\d{1,9}$/, `${name} 只能是 0-9 组成的整数，如 ${name}=${fallback}`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} 最小为 ${min}`).max(max, `${name} 最大为 ${max}`))
    .default(fallback);

const filterValue = (what: string) =>
  z
    .string()
    .trim()
    .max(50, `${what}最长 50 个字符`)
    .optional()
    .transform((v) => v || undefined);

const convert = z
  .enum(['simplified'], { error: 'convert 只能是 simplified（或者不传）' })
  .optional()
  .describe('simplified：繁体写的文章以简体显示（按词组转换，如 軟體 → 软件）；不传则按原文');

export const searchQuerySchema = z.object({
  q: queryText,
  convert,
  product: filterValue('product ').describe('只看某个产品，如 宽带；不存在的产品返回空结果'),
  category: filterValue('category ').describe('只看某个分类，如 故障排查'),
  limit: count('limit', 1, 50, 10).describe('每页条数，1-50，默认 10'),
  offset: count('offset', 0, 1000, 0).describe('跳过的条数，用于翻页，0-1000'),
});

export const answerQuerySchema = z.object({
  q: queryText,
  convert,
  product: searchQuerySchema.shape.product,
  category: searchQuerySchema.shape.category,
});

export const suggestQuerySchema = z.object({
  q: z
    .string({ error: '缺少参数 q' })
    .trim()
    .min(1, '输入内容不能为空')
    .max(100, '联想输入不能超过 100 个字符')
    .describe('已经输入的文字'),
  limit: count('limit', 1, 20, 8).describe('最多返回几条，1-20，默认 8'),
});

export const articleParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9-]{1,80}$/, '文章 id 只能包含小写字母、数字和连字符')
    .describe('文章 id，如 bb-los-red'),
});

export const articleQuerySchema = z.object({ convert });

const sectionKind = z.enum(SECTION_KINDS);

const scriptFlags = {
  traditional: z.boolean().describe('文章原文是繁体'),
  converted: z.boolean().describe('这里已转为简体显示（请求带 convert=simplified 且原文是繁体）'),
};

const sectionRef = z.object({
  kind: sectionKind.describe('段落类型：summary 一句话答案、steps 处理步骤、script 话术、escalation 升级与时效…'),
  heading: z.string(),
  anchor: z.string().describe('段落锚点，文章内唯一'),
  snippet: z.string().describe('摘要，已做 HTML 转义，命中词用 <mark> 标出'),
});

export const searchHitSchema = z.object({
  id: z.string().describe('文章 id'),
  title: z.string(),
  product: z.string(),
  category: z.string(),
  score: z.number(),
  stale: z.boolean().describe('已过复核日期，内容可能过时'),
  section: sectionRef,
});

const searchMeta = {
  engine: z.enum(['embedded', 'meilisearch']),
  degraded: z.boolean().describe('为 true 时配置的搜索引擎不可用，结果来自内置备用索引'),
  tookMs: z.number(),
};

export const searchResponseSchema = z.object({
  ...searchMeta,
  total: z.number().int().describe('命中的文章数；totalIsEstimate 为 true 时是估计值'),
  totalIsEstimate: z
    .boolean()
    .describe(
      'total 是否为估计值：Meilisearch 某个子查询取满窗口时为 true（total 不会多报）；内置引擎跳过了够不着前几名的文章时为 true（这些文章只计数不打分，total 不会少报）。hits 本身总是精确的排序',
    ),
  query: z.object({ normalized: z.string().describe('分词、繁简转换后的查询词') }),
  noGoodMatch: z
    .boolean()
    .describe(
      '为 true 时没有一篇文章覆盖查询里有意义的词（只是零散的单字相同）：应显示“没有找到”。坐席范围仍列出这些松散匹配供参考；公开范围不返回它们',
    ),
  hits: z.array(searchHitSchema),
});

export const answerResponseSchema = z.object({
  ...searchMeta,
  confident: z.boolean().describe('是否有把握：false 时机器人应转人工'),
  confidence: z
    .number()
    .describe(
      '把握程度 0-1：越高越可能是正确文章；confident 即 confidence ≥ 0.6 且覆盖率 ≥ 0.67（见 README“答案怎么选”）',
    ),
  coverage: z.number().describe('最佳文章覆盖了多少比例的查询词，0-1'),
  noGoodMatch: z.boolean().describe('为 true 时没有可靠答案：answer 为 null，alternatives 只是可能相关的文章'),
  answer: z
    .object({
      articleId: z.string(),
      title: z.string(),
      product: z.string(),
      category: z.string(),
      fault: z.enum(['software', 'hardware', 'network', 'mixed']).optional().describe('故障类型：软件/硬件/线路/混合'),
      stale: z.boolean(),
      updated: z.string().optional(),
      section: sectionRef,
      summary: z.string().describe('一句话答案'),
      symptom: z.string().optional(),
      cause: z.string().optional(),
      steps: z.array(z.string()).describe('处理步骤，按顺序'),
      script: z.string().optional().describe('可以直接对客户说的话术'),
      escalation: z
        .object({ text: z.string(), items: z.array(z.string()) })
        .optional()
        .describe('升级路径与时限'),
      links: z
        .array(z.object({ text: z.string(), articleId: z.string(), anchor: z.string().optional() }))
        .describe('一句话答案、步骤、升级段落里指向其他文章的 kb: 链接：text 是文字里的链接文字'),
      ...scriptFlags,
    })
    .nullable(),
  alternatives: z.array(searchHitSchema),
});

export const suggestResponseSchema = z.object({
  tookMs: z.number(),
  suggestions: z.array(
    z.object({
      text: z.string(),
      highlighted: z.string().describe('已转义的 HTML，输入的词用 <mark> 标出'),
      kind: z.enum(['title', 'question']),
      articleId: z.string(),
      title: z.string(),
    }),
  ),
});

const articleSection = z.object({
  anchor: z.string(),
  heading: z.string(),
  kind: sectionKind,
  internal: z.boolean().describe('整段仅内部可见'),
  text: z.string(),
  items: z.array(z.string()),
  html: z.string().describe('渲染后的 HTML（原始 HTML 已禁用）'),
});

const articleBase = {
  id: z.string(),
  title: z.string(),
  product: z.string(),
  category: z.string(),
  questions: z.array(z.string()),
  tags: z.array(z.string()),
  fault: z.enum(['software', 'hardware', 'network', 'mixed']).optional(),
  updated: z.string().optional(),
  stale: z.boolean(),
  sections: z.array(articleSection),
  ...scriptFlags,
};

export const agentArticleSchema = z.object({
  ...articleBase,
  audience: z.enum(['internal', 'public']),
  owner: z.string().optional(),
  reviewBy: z.string().optional(),
  file: z.string().describe('内容目录中的文件路径'),
});

export const publicArticleSchema = z.object(articleBase);

export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string().describe('稳定的错误码，如 INVALID_QUERY、ARTICLE_NOT_FOUND'),
    message: z.string().describe('给人看的说明：该怎么改'),
    requestId: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

export const healthResponseSchema = z.object({ status: z.literal('ok') });

export const readyResponseSchema = z.object({
  ready: z.boolean(),
  engine: z.enum(['embedded', 'meilisearch']),
  degraded: z.boolean(),
  articles: z.number().int(),
  documents: z.number().int(),
  loadedAt: z.string().nullable(),
  problems: z
    .object({
      errors: z.number().int(),
      warnings: z.number().int(),
      items: z
        .array(
          z.object({
            severity: z.enum(['error', 'warning']),
            code: z.string(),
            file: z.string(),
            line: z.number().int(),
            field: z.string().optional(),
            message: z.string(),
            hint: z.string().optional(),
          }),
        )
        .optional(),
    })
    .describe('内容问题数；详情需要管理员密钥，或用 npm run kb -- lint'),
  notices: z.array(z.string()).describe('服务状态提示，如内容目录暂时不可读、索引只在内存中'),
  detail: z.string().optional(),
});

export const feedbackBodySchema = z.strictObject({
  query: z
    .string({ error: '缺少 query（当时搜索的内容）' })
    .trim()
    .min(1, 'query 不能为空')
    .max(500, 'query 最长 500 个字符'),
  articleId: articleParamsSchema.shape.id,
  helpful: z.boolean({ error: 'helpful 应为 true 或 false' }),
  comment: z.string().trim().max(500, 'comment 最长 500 个字符').optional().describe('可选：哪里不对、缺了什么'),
});

export const feedbackResponseSchema = z.object({ accepted: z.literal(true) });

export const gapReportQuerySchema = z.object({
  days: count('days', 1, 365, 7).describe('统计最近几天，1-365，默认 7'),
});

export const gapReportSchema = z.object({
  window: z.object({ days: z.number(), since: z.string() }),
  totals: z.object({
    searches: z.number(),
    confidentShare: z.number().describe('有把握答案的占比'),
    zeroResultShare: z.number(),
    feedback: z.number(),
    unhelpful: z.number(),
  }),
  gaps: z.array(
    z.object({
      normalized: z.string(),
      example: z.string(),
      count: z.number(),
      zeroResults: z.number(),
      lastSeen: z.string(),
      scopes: z.array(z.string()),
    }),
  ),
  unhelpfulArticles: z.array(
    z.object({ articleId: z.string(), unhelpful: z.number(), helpful: z.number(), comments: z.array(z.string()) }),
  ),
  unhelpfulQueries: z.array(
    z.object({ normalized: z.string(), articleId: z.string(), unhelpful: z.number(), helpful: z.number() }),
  ),
  topQueries: z.array(
    z.object({ normalized: z.string(), example: z.string(), count: z.number(), confidentShare: z.number() }),
  ),
  droppedEvents: z.number().describe('因磁盘问题未能写入的事件数'),
});

export const reindexResponseSchema = z.object({
  articles: z.number(),
  rebuilt: z.boolean(),
  errors: z.number(),
  warnings: z.number(),
  tookMs: z.number(),
});
