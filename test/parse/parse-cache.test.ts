import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddedEngine } from '../../server/engine/embedded/embedded-engine.js';
import { createKnowledgeBase } from '../../server/knowledge-base.js';
import { parseArticle } from '../../server/parse/parse-article.js';
import { hashSource, openParseCache } from '../../server/parse/parse-cache.js';
import { searchKnowledgeBase } from '../../server/search/search.js';
import { article, tempDir, writeContent } from '../helpers/sample.js';

const good = (id: string, title: string) =>
  article({ id, title, product: '宽带', category: '故障排查' }, `## 一句话答案\n${title}的处理办法。`);
const BROKEN = '---\nid: broken\ntitle: 空调漏水\n---\n## 答案\n漏水\n';

let data: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  data = await tempDir();
});
afterEach(() => data.cleanup());

describe('parse cache', () => {
  it('returns the stored result only for the same file and the same bytes, after a restart', async () => {
    const text = good('bb-red', '光猫红灯');
    const cache = await openParseCache(data.dir);
    const hash = hashSource(text);
    expect(cache.lookup('a.md', hash)).toBeUndefined();
    cache.store('a.md', hash, parseArticle('a.md', text));
    await cache.save(['a.md']);

    const reopened = await openParseCache(data.dir);
    expect(reopened.lookup('a.md', hash)).toEqual(parseArticle('a.md', text));
    expect(reopened.lookup('a.md', hashSource(`${text}\n多一行`))).toBeUndefined();
    expect(reopened.lookup('b.md', hash)).toBeUndefined();
    expect([reopened.hits, reopened.misses]).toEqual([1, 2]);
  });

  it('forgets files that are gone, and starts empty from a damaged or foreign file', async () => {
    const cache = await openParseCache(data.dir);
    for (const name of ['a.md', 'b.md']) {
      cache.store(name, hashSource(good(name[0] as string, '标题')), parseArticle(name, ''));
    }
    await cache.save(['b.md']);
    const stored = JSON.parse(await readFile(path.join(data.dir, 'parse-cache.json'), 'utf8'));
    expect(Object.keys(stored.entries)).toEqual(['b.md']);

    await writeFile(path.join(data.dir, 'parse-cache.json'), JSON.stringify({ ...stored, fingerprint: 'other' }));
    expect((await openParseCache(data.dir)).lookup('b.md', hashSource(good('b', '标题')))).toBeUndefined();
    await writeFile(path.join(data.dir, 'parse-cache.json'), '{ damaged');
    expect((await openParseCache(data.dir)).lookup('b.md', hashSource(good('b', '标题')))).toBeUndefined();
  });

  it('lets a restart skip parsing unchanged files, yet serves every edit and still reports broken ones', async () => {
    const content = await tempDir();
    try {
      await writeContent(content.dir, {
        'one.md': good('one', '光猫红灯'),
        'two.md': good('two', '路由器重启'),
        'broken.md': BROKEN,
      });
      const open = () =>
        createKnowledgeBase({
          contentDir: content.dir,
          engine: createEmbeddedEngine({ dataDir: data.dir }),
          dataDir: data.dir,
        });
      expect((await open().reload()).parseCacheHits).toBe(0);
      expect(await readdir(data.dir)).toContain('parse-cache.json');

      await writeContent(content.dir, { 'two.md': good('two', '机顶盒黑屏') }, false);
      const kb = open();
      const restarted = await kb.reload();
      expect(restarted.parseCacheHits).toBe(2); // one.md and broken.md; two.md changed
      expect(restarted.diagnostics.map((d) => [d.file, d.line, d.field])).toContainEqual(['broken.md', 4, 'product']);
      const hits = await searchKnowledgeBase(kb, { q: '机顶盒', scope: 'agent', limit: 5, offset: 0 });
      expect(hits.hits.map((h) => h.id)).toEqual(['two']);
      expect((await searchKnowledgeBase(kb, { q: '路由器', scope: 'agent', limit: 5, offset: 0 })).total).toBe(0);
    } finally {
      await content.cleanup();
    }
  });

  it("keeps serving a broken article's last good version across a restart, and says so", async () => {
    const content = await tempDir();
    try {
      await writeContent(content.dir, { 'one.md': good('one', '光猫红灯'), 'two.md': good('two', '路由器重启') });
      const open = () =>
        createKnowledgeBase({
          contentDir: content.dir,
          engine: createEmbeddedEngine({ dataDir: data.dir }),
          dataDir: data.dir,
        });
      const live = open();
      await live.reload();
      // Edited while running: the edit is good, then breaks; the service keeps the good edit.
      await writeContent(content.dir, { 'two.md': good('two', '机顶盒黑屏') }, false);
      await live.applyChanges({ files: ['two.md'], lexicon: false });
      await writeContent(content.dir, { 'two.md': '---\nid: two\ntitle: [坏掉\n---\n' }, false);
      await live.applyChanges({ files: ['two.md'], lexicon: false });
      await live.flush();

      const restarted = open();
      const result = await restarted.reload();
      expect(restarted.getArticle('two', 'agent')?.title).toBe('机顶盒黑屏');
      const hits = await searchKnowledgeBase(restarted, { q: '机顶盒', scope: 'agent', limit: 5, offset: 0 });
      expect(hits.hits.map((h) => h.id)).toEqual(['two']);
      const problems = result.diagnostics.filter((d) => d.file === 'two.md').map((d) => d.code);
      expect(problems).toEqual(['INVALID_FRONT_MATTER', 'SERVING_PREVIOUS_VERSION']);

      // Fixed: the new text wins, and a deleted file is forgotten.
      await writeContent(content.dir, { 'two.md': good('two', '遥控器失灵') }, false);
      await rm(path.join(content.dir, 'one.md'));
      const fixed = open();
      await fixed.reload();
      expect(fixed.getArticle('two', 'agent')?.title).toBe('遥控器失灵');
      expect(fixed.getArticle('one', 'agent')).toBeUndefined();
    } finally {
      await content.cleanup();
    }
  });
});
