import { isIP } from 'node:net';
import { z } from 'zod';
import { KbError } from './errors.js';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A comma-separated variable as a list of non-empty, trimmed items. */
const commaList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

const keyList = commaList.refine((keys) => keys.every((k) => k.length >= 16), {
  message: '每个密钥至少 16 个字符',
});

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  KB_CONTENT_DIR: z.string().min(1).default('./content'),
  KB_DATA_DIR: z.string().min(1).default('./data'),
  KB_ENGINE: z.enum(['embedded', 'meilisearch']).optional(),
  MEILI_URL: z.url().optional(),
  MEILI_MASTER_KEY: z.string().optional(),
  KB_AGENT_KEYS: keyList,
  KB_ADMIN_KEYS: keyList,
  KB_WATCH: booleanFlag.optional(),
  KB_ENGINE_THREAD: booleanFlag.optional(),
  KB_PUBLIC_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(120),
  KB_PUBLIC_CORS_ORIGINS: commaList.refine(
    (origins) => origins.every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o)),
    {
      message: '应为逗号分隔的来源，如 https://help.example.com（不带路径），或 *',
    },
  ),
  KB_TRUST_PROXY: booleanFlag.optional(),
  KB_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  KB_MASK_PATTERNS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return [];
      try {
        const list: unknown = JSON.parse(v);
        if (!Array.isArray(list) || !list.every((p) => typeof p === 'string')) throw new Error('not a list');
        for (const source of list) new RegExp(source);
        return list as string[];
      } catch {
        ctx.addIssue({ code: 'custom', message: '应为正则表达式的 JSON 数组，如 ["会员号\\d{8}"]' });
        return z.NEVER;
      }
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  port: number;
  host: string;
  contentDir: string;
  dataDir: string;
  engine: 'embedded' | 'meilisearch';
  meiliUrl?: string;
  meiliMasterKey?: string;
  agentKeys: string[];
  adminKeys: string[];
  /** No keys configured: agent and admin scopes are open, loopback only. */
  localMode: boolean;
  /** Apply content and lexicon edits as they are saved (default true). */
  watch: boolean;
  /** Run the embedded engine's queries on their own thread (default true; see threaded-engine.ts). */
  engineThread: boolean;
  /** Public scope requests per minute per client address. */
  publicRateLimit: number;
  /** Origins allowed to call the public scope from a browser (CORS). Agent routes never send CORS headers. */
  publicCorsOrigins: string[];
  /** Behind a load balancer: take the client address from X-Forwarded-For (rate limits, logs). */
  trustProxy: boolean;
  /** Days the search and feedback log keeps events. */
  eventRetentionDays: number;
  /** Extra regular expressions masked in logged queries (phone and ID numbers are always masked). */
  maskPatterns: string[];
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
};

/**
 * The only reader of process.env. Every bad variable is reported at once, in
 * one error, so an operator fixes the environment in a single pass.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset" for optional variables (docker-compose passes them through).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new KbError('INVALID_CONFIG', `环境变量有误：\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const engine = e.KB_ENGINE ?? (e.MEILI_URL ? 'meilisearch' : 'embedded');
  if (engine === 'meilisearch' && !e.MEILI_URL) {
    throw new KbError('INVALID_CONFIG', '环境变量有误：KB_ENGINE=meilisearch 需要同时设置 MEILI_URL');
  }
  const localMode = e.KB_AGENT_KEYS.length === 0 && e.KB_ADMIN_KEYS.length === 0;
  return {
    port: e.PORT,
    host: e.HOST,
    contentDir: e.KB_CONTENT_DIR,
    dataDir: e.KB_DATA_DIR,
    engine,
    meiliUrl: e.MEILI_URL,
    meiliMasterKey: e.MEILI_MASTER_KEY,
    agentKeys: e.KB_AGENT_KEYS,
    adminKeys: e.KB_ADMIN_KEYS,
    localMode,
    watch: e.KB_WATCH ?? true,
    engineThread: e.KB_ENGINE_THREAD ?? true,
    publicRateLimit: e.KB_PUBLIC_RATE_LIMIT,
    publicCorsOrigins: e.KB_PUBLIC_CORS_ORIGINS,
    trustProxy: e.KB_TRUST_PROXY ?? false,
    eventRetentionDays: e.KB_EVENT_RETENTION_DAYS,
    maskPatterns: e.KB_MASK_PATTERNS,
    logLevel: e.LOG_LEVEL,
  };
}

/**
 * Refuses to serve without keys on a non-loopback address: local mode opens
 * the agent and admin scopes, so it must never be reachable from the network.
 */
export function assertSafeExposure(config: Pick<Config, 'host' | 'localMode'>): void {
  if (config.localMode && !isLoopback(config.host)) {
    throw new KbError(
      'INVALID_CONFIG',
      `HOST=${config.host} 不是本机回环地址，但没有配置任何密钥：这会把知识库（含内部内容）开放给网络上的所有人。` +
        '请设置 KB_AGENT_KEYS 和 KB_ADMIN_KEYS（逗号分隔，每个至少 16 个字符），或把 HOST 改为 127.0.0.1。',
    );
  }
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}
