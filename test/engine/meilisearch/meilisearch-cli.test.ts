import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Meilisearch } from 'meilisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { article, ROOT, tempDir, writeContent } from '../../helpers/sample.js';
import { meiliTarget, skipReason } from './meili-target.js';

const run = promisify(execFile);
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CLI = path.join(ROOT, 'server/cli/main.ts');
const target = meiliTarget('kb index / kb search against a real Meilisearch');

/** `kb index` and `kb search` use the configured engine: with MEILI_URL set, Meilisearch. */
describe.runIf(target)('kb CLI with MEILI_URL', { timeout: 120_000 }, () => {
  const index = `kb_cli_${randomBytes(4).toString('hex')}`;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let data: Awaited<ReturnType<typeof tempDir>>;
  const env = () => ({
    ...process.env,
    MEILI_URL: target?.url ?? '',
    MEILI_MASTER_KEY: target?.masterKey ?? '',
    MEILI_INDEX: index,
    KB_ENGINE: '',
  });
  const kb = (args: string[]) => run(TSX, [CLI, ...args, '-c', tmp.dir, '-d', data.dir], { cwd: ROOT, env: env() });

  beforeAll(async () => {
    tmp = await tempDir();
    data = await tempDir();
    await writeContent(tmp.dir, {
      'ac.md': article(
        { id: 'ac-leak', title: '空调漏水', product: '空调', category: '常见问题' },
        '## 答案\n清理排水管。',
      ),
    });
  });
  afterAll(async () => {
    await tmp.cleanup();
    await data.cleanup();
    if (!target) return;
    const client = new Meilisearch({ host: target.url, apiKey: target.masterKey });
    await client.deleteIndexIfExists(index).catch(() => undefined);
  });

  it('index builds the Meilisearch index; a second run finds it current; search answers from it', async () => {
    const first = await kb(['index']);
    expect(first.stdout).toMatch(/已重建索引：1 篇文章.*Meilisearch/);
    const client = new Meilisearch({ host: target?.url ?? '', apiKey: target?.masterKey });
    expect((await client.index(index).getStats()).numberOfDocuments).toBeGreaterThan(1);
    const second = await kb(['index']);
    expect(second.stdout).toMatch(/内容未变，Meilisearch 索引/);
    const search = await kb(['search', '排水管', '--format', 'json']);
    const outcome = JSON.parse(search.stdout) as { engine: string; hits: Array<{ id: string }> };
    expect(outcome.engine).toBe('meilisearch');
    expect(outcome.hits.map((h) => h.id)).toEqual(['ac-leak']);
  });
});

if (!target) {
  describe.skip(`kb CLI with MEILI_URL (skipped: ${skipReason()})`, () => {
    it('needs a Meilisearch', () => {});
  });
}
