import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.js';

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

// Each rejected value and what the message must tell the operator to set.
const cases: Array<{ env: Record<string, string>; says: string }> = [
  { env: { PORT: 'abc' }, says: 'PORT=abc：应为 0–65535 的整数，如 PORT=3000' },
  { env: { PORT: '70000' }, says: 'PORT=70000：应为 0–65535 的整数' },
  { env: { KB_ENGINE: 'elastic' }, says: 'KB_ENGINE=elastic：只能是 embedded（内置引擎）或 meilisearch' },
  { env: { MEILI_URL: '127.0.0.1:7700' }, says: 'MEILI_URL=127.0.0.1:7700：应为 Meilisearch 的完整地址' },
  { env: { KB_WATCH: 'maybe' }, says: 'KB_WATCH=maybe：只能是 true 或 false' },
  { env: { KB_PUBLIC_RATE_LIMIT: '0' }, says: 'KB_PUBLIC_RATE_LIMIT=0：应为 1–100000 的整数' },
  { env: { KB_EVENT_RETENTION_DAYS: '一年' }, says: 'KB_EVENT_RETENTION_DAYS=一年：应为 1–3650 的整数（天）' },
  { env: { LOG_LEVEL: 'verbose' }, says: 'LOG_LEVEL=verbose：只能是 fatal、error、warn、info、debug、trace 或 silent' },
  {
    env: { KB_PUBLIC_CORS_ORIGINS: 'help.example.com' },
    says: 'KB_PUBLIC_CORS_ORIGINS=help.example.com：应为逗号分隔的来源',
  },
  {
    env: { KB_HELP_CONTACT_URL: 'javascript:alert(1)' },
    says: 'KB_HELP_CONTACT_URL=javascript:alert(1)：应为 tel:、mailto: 或 https://',
  },
  { env: { HOST: 'http://0.0.0.0' }, says: 'HOST=http://0.0.0.0：应为 IP 地址或主机名' },
  { env: { HOST: '127.0.0.1:3000' }, says: 'HOST=127.0.0.1:3000：应为 IP 地址或主机名（不带 http:// 和端口）' },
  { env: { HOST: 'kb server' }, says: 'HOST=kb server：应为 IP 地址或主机名' },
  { env: { HOST: '1.2.3.4.5.' }, says: 'HOST=1.2.3.4.5.：应为 IP 地址或主机名' },
  // A key is never repeated back.
  { env: { KB_AGENT_KEYS: 'short-secret' }, says: 'KB_AGENT_KEYS：每个密钥至少 16 个字符' },
];

describe('loadConfig', () => {
  it.each(cases)('says in Chinese what to set: $says', ({ env, says }) => {
    const message = configError(env);
    expect(message).toContain(says);
    expect(message).not.toMatch(/Invalid|expected|received/i);
  });

  it('reports every bad variable at once, without repeating secrets', () => {
    const message = configError({ PORT: 'abc', KB_ENGINE: 'elastic', KB_ADMIN_KEYS: 'short-secret' });
    expect(message.split('\n').slice(1)).toHaveLength(3);
    expect(message).not.toContain('short-secret');
  });

  it('reads the help page contact route', () => {
    expect(loadConfig({}).helpContact).toBeUndefined();
    expect(
      loadConfig({ KB_HELP_CONTACT: '拨打客服热线 400-123-4567', KB_HELP_CONTACT_URL: 'tel:4001234567' }).helpContact,
    ).toEqual({
      text: '拨打客服热线 400-123-4567',
      url: 'tel:4001234567',
    });
  });
});
