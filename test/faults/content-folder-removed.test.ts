import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { createEmbeddedEngine } from '../../server/engine/embedded/embedded-engine.js';
import { createKnowledgeBase, type KbEvent, type KnowledgeBase } from '../../server/knowledge-base.js';
import { LOCAL } from '../helpers/app.js';
import { article, tempDir, writeContent } from '../helpers/sample.js';

/**
 * Fault injection: the content folder goes away while the service runs
 * (deleted, renamed, an unmounted share). It used to empty the service for
 * good: /readyz ready with 0 articles, nothing found, a reindex answering
 * 500, and the watcher dead after the folder came back. Now the last good
 * state keeps serving, /readyz says why, a reindex answers a clear 503, and
 * the service reloads by itself when the folder is back.
 */
const ARTICLES = {
  'broadband/a.md': article(
    { id: 'bb-a', title: '光猫红灯', product: '宽带', category: '故障排查' },
    '## 答案\n重启光猫。',
  ),
  'broadband/b.md': article(
    { id: 'bb-b', title: '路由器蓝灯', product: '宽带', category: '故障排查' },
    '## 答案\n正常。',
  ),
};

let tmp: Awaited<ReturnType<typeof tempDir>>;
let content: string;
let kb: KnowledgeBase | undefined;
let app: FastifyInstance | undefined;
const events: KbEvent[] = [];

beforeEach(async () => {
  tmp = await tempDir();
  content = path.join(tmp.dir, 'content');
  events.length = 0;
  await writeContent(content, ARTICLES);
  kb = createKnowledgeBase({ contentDir: content, engine: createEmbeddedEngine(), onEvent: (e) => events.push(e) });
  await kb.reload();
  await kb.start({ watch: true });
  app = await buildApp({ kb, access: LOCAL });
});
afterEach(async () => {
  await app?.close();
  await kb?.close();
  await tmp.cleanup();
});

const search = async (q: string) => {
  const res = await (app as FastifyInstance).inject({ method: 'GET', url: `/v1/search?q=${encodeURIComponent(q)}` });
  return res.json().hits.map((h: { id: string }) => h.id) as string[];
};
const ready = async () => (await (app as FastifyInstance).inject({ method: 'GET', url: '/readyz' })).json();

describe.each([
  {
    how: 'deleted (rm -rf), then written again',
    remove: () => rm(content, { recursive: true }),
    restore: () => writeContent(content, ARTICLES),
  },
  {
    how: 'renamed away, then renamed back',
    remove: () => rename(content, `${content}.bak`),
    restore: () => rename(`${content}.bak`, content),
  },
])('the content folder $how', ({ remove, restore }) => {
  it('keeps serving the last good state, says so, answers reindex with a clear error, and recovers by itself', {
    timeout: 60_000,
  }, async () => {
    expect(await search('光猫')).toEqual(['bb-a']);
    await remove();
    await waitFor(async () => (await ready()).notices.length > 0);
    const status = await ready();
    expect(status).toMatchObject({ ready: true, articles: 2 });
    expect(status.notices[0]).toContain('内容目录不存在');
    expect(await search('光猫')).toEqual(['bb-a']);
    expect((kb as KnowledgeBase).articles('agent')).toHaveLength(2);

    const reindex = await (app as FastifyInstance).inject({ method: 'POST', url: '/v1/admin/reindex' });
    expect(reindex.statusCode, reindex.body).toBe(503);
    expect(reindex.json().error).toMatchObject({ code: 'CONTENT_UNAVAILABLE' });
    expect(reindex.json().error.message).toContain('内容目录');
    expect(await search('光猫')).toEqual(['bb-a']);

    await restore();
    await waitFor(async () => (await ready()).notices.length === 0);
    expect(events.some((e) => e.type === 'content-returned')).toBe(true);
    // The watcher is armed again: an edit after the return is searchable.
    await writeFile(
      path.join(content, 'broadband/c.md'),
      article({ id: 'bb-c', title: '机顶盒黑屏', product: '宽带', category: '故障排查' }, '## 答案\n换线。'),
    );
    await waitFor(async () => (await search('机顶盒')).includes('bb-c'));
    expect((await ready()).articles).toBe(3);
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not met in time');
}
