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

/**
 * Behind proxies: the addresses they connect from (`10.0.0.0/8,127.0.0.1`), or
 * how many stand in front (`1`: only when nothing can reach the service but
 * through them). The client is then read from the right end of
 * X-Forwarded-For, skipping only those proxies; the left end is whatever the
 * client wrote there, so `true` ("believe the header") is refused. `false`
 * (the default) ignores the header.
 */
const trustProxy = z
  .string()
  .optional()
  .transform((v, ctx): false | number | string[] => {
    const value = (v ?? '').trim().toLowerCase();
    if (['', 'false', '0', 'no'].includes(value)) return false;
    if (/^\d+$/.test(value)) return Number(value);
    const list = value.split(',').map((item) => item.trim());
    const bad = list.filter((item) => !isProxyAddress(item));
    if (bad.length === 0) return list;
    ctx.addIssue({
      code: 'custom',
      message:
        value === 'true' || value === 'yes'
          ? '不能是 true：那样会相信客户自己写在 X-Forwarded-For 里的地址，换个地址就能绕过限流。' +
            '请写代理的地址或网段（如 KB_TRUST_PROXY=10.0.0.0/8），或前面代理的层数（如 KB_TRUST_PROXY=1，只在服务只能经代理访问时用）'
          : `${bad.join('、')} 不是地址：应为代理的地址或网段，逗号分隔（如 10.0.0.0/8,127.0.0.1），或前面代理的层数（如 1）`,
    });
    return z.NEVER;
  });

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** `[::1]` as in a URL is the IPv6 address `::1` to listen on; anything else in brackets is a mistake. */
const host = z
  .string()
  .trim()
  .min(1)
  .default('127.0.0.1')
  .transform((value, ctx) => {
    const inner = /^\[(.*)\]$/.exec(value)?.[1];
    if (inner === undefined) {
      // An address or a host name (RFC 1123 labels): a URL, a port or a space is a mistake, said here, not by getaddrinfo.
      if (isIP(value) !== 0 || HOST_NAME.test(value)) return value;
      ctx.addIssue({
        code: 'custom',
        message: '应为 IP 地址或主机名（不带 http:// 和端口），如 HOST=127.0.0.1 或 HOST=0.0.0.0；端口用 PORT 设置',
      });
      return z.NEVER;
    }
    if (isIP(inner) === 6) return inner;
    ctx.addIssue({ code: 'custom', message: '方括号里应是 IPv6 地址，如 HOST=::1（或 HOST=[::1]）' });
    return z.NEVER;
  });

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: host,
  KB_CONTENT_DIR: z.string().min(1).default('./content'),
  KB_DATA_DIR: z.string().min(1).default('./data'),
  KB_ENGINE: z.enum(['embedded', 'meilisearch']).optional(),
  MEILI_URL: z.url().optional(),
  MEILI_MASTER_KEY: z.string().optional(),
  MEILI_INDEX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/)
    .default('kb_sections'),
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
  KB_TRUST_PROXY: trustProxy,
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
  KB_HELP_CONTACT: z.string().trim().min(1).max(200).optional(),
  KB_HELP_CONTACT_URL: z
    .string()
    .trim()
    .regex(/^(?:tel:\+?[\d-]+|mailto:\S+@\S+|https?:\/\/\S+)$/)
    .optional(),
});

type Variable = keyof typeof envSchema.shape;

/** Variables whose values are never repeated in an error message. */
const SECRET: ReadonlySet<Variable> = new Set(['MEILI_MASTER_KEY', 'KB_AGENT_KEYS', 'KB_ADMIN_KEYS']);
const FLAG = '只能是 true 或 false（也接受 1/0、yes/no）';

/**
 * What to set, for each variable, shown when its value is rejected (zod's own
 * messages are English and say nothing about the variable). A check with a
 * message of its own (a refine) keeps that message.
 */
const HINTS: Record<Variable, string> = {
  PORT: '应为 0–65535 的整数，如 PORT=3000',
  HOST: '应为监听地址，如 HOST=127.0.0.1（只有本机）或 HOST=0.0.0.0（所有网卡，需要配置密钥）',
  KB_CONTENT_DIR: '应为文章目录的路径，如 KB_CONTENT_DIR=./content',
  KB_DATA_DIR: '应为数据目录的路径，如 KB_DATA_DIR=./data',
  KB_ENGINE: '只能是 embedded（内置引擎）或 meilisearch',
  MEILI_URL: '应为 Meilisearch 的完整地址，如 MEILI_URL=http://127.0.0.1:7700',
  MEILI_MASTER_KEY: '应为 Meilisearch 的主密钥',
  MEILI_INDEX: '应为 Meilisearch 索引名（字母、数字、_ 和 -，最长 200），如 MEILI_INDEX=kb_sections',
  KB_AGENT_KEYS: '应为逗号分隔的密钥，每个至少 16 个字符，如 KB_AGENT_KEYS=$(openssl rand -hex 16)',
  KB_ADMIN_KEYS: '应为逗号分隔的密钥，每个至少 16 个字符，如 KB_ADMIN_KEYS=$(openssl rand -hex 16)',
  KB_WATCH: FLAG,
  KB_ENGINE_THREAD: FLAG,
  KB_PUBLIC_RATE_LIMIT: '应为 1–100000 的整数（每个客户地址每分钟的请求数），如 KB_PUBLIC_RATE_LIMIT=120',
  KB_PUBLIC_CORS_ORIGINS: '应为逗号分隔的来源，如 https://help.example.com（不带路径），或 *',
  KB_TRUST_PROXY: '应为代理的地址或网段（逗号分隔，如 KB_TRUST_PROXY=10.0.0.0/8），或前面代理的层数（如 1），或 false',
  KB_EVENT_RETENTION_DAYS: '应为 1–3650 的整数（天），如 KB_EVENT_RETENTION_DAYS=90',
  KB_MASK_PATTERNS: '应为正则表达式的 JSON 数组，如 ["会员号\\d{8}"]',
  LOG_LEVEL: '只能是 fatal、error、warn、info、debug、trace 或 silent',
  KB_HELP_CONTACT:
    '应为 1–200 个字，告诉客户怎么找到人工，如 KB_HELP_CONTACT="拨打客服热线 400-123-4567（每天 8:00–22:00）"',
  KB_HELP_CONTACT_URL: '应为 tel:、mailto: 或 https:// 开头的链接，如 KB_HELP_CONTACT_URL=tel:4001234567',
};

export type Config = {
  port: number;
  host: string;
  contentDir: string;
  dataDir: string;
  engine: 'embedded' | 'meilisearch';
  meiliUrl?: string;
  meiliMasterKey?: string;
  /** The Meilisearch index searches read (rebuilds go to a fresh index swapped into this name). */
  meiliIndex: string;
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
  /** Behind proxies: their addresses or number, to take the client address from X-Forwarded-For (rate limits, logs). */
  trustProxy: false | number | string[];
  /** Days the search and feedback log keeps events. */
  eventRetentionDays: number;
  /** Extra regular expressions masked in logged queries (phone and ID numbers are always masked). */
  maskPatterns: string[];
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** How a customer reaches a person, shown on the help page; unset, the page says only 请联系人工客服. */
  helpContact?: { text: string; url?: string };
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
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]) as Variable;
      const shown = SECRET.has(name) ? name : `${name}=${cleaned[name]}`;
      return `${shown}：${issue.code === 'custom' ? issue.message : HINTS[name]}`;
    });
    throw new KbError('INVALID_CONFIG', `环境变量有误：\n  ${[...new Set(lines)].join('\n  ')}`);
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
    meiliIndex: e.MEILI_INDEX,
    agentKeys: e.KB_AGENT_KEYS,
    adminKeys: e.KB_ADMIN_KEYS,
    localMode,
    watch: e.KB_WATCH ?? true,
    engineThread: e.KB_ENGINE_THREAD ?? true,
    publicRateLimit: e.KB_PUBLIC_RATE_LIMIT,
    publicCorsOrigins: e.KB_PUBLIC_CORS_ORIGINS,
    trustProxy: e.KB_TRUST_PROXY,
    eventRetentionDays: e.KB_EVENT_RETENTION_DAYS,
    maskPatterns: e.KB_MASK_PATTERNS,
    logLevel: e.LOG_LEVEL,
    helpContact:
      e.KB_HELP_CONTACT || e.KB_HELP_CONTACT_URL
        ? { text: e.KB_HELP_CONTACT ?? '联系人工客服', url: e.KB_HELP_CONTACT_URL }
        : undefined,
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
  return host === '::1' || /^::ffff:127\./i.test(host);
}

/** An address, a network (`10.0.0.0/8`) or one of proxy-addr's names for the private ranges. */
function isProxyAddress(value: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(value)) return true;
  const [address = '', bits, ...rest] = value.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}
