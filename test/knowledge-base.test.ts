import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddedEngine } from '../server/engine/embedded/embedded-engine.js';
import { createKnowledgeBase, type KbEvent, type KnowledgeBase } from '../server/knowledge-base.js';
import { searchKnowledgeBase } from '../server/search/search.js';
import { suggest } from '../server/search/suggest.js';
import { article, tempDir, writeContent } from './helpers/sample.js';

const doc = (id: string, title: string, body = `${title}的处理办法。`) =>
  article({ id, title, product: '宽带', category: '常见问题' }, `## 一句话答案\n${body}`);

let tmp: Awaited<ReturnType<typeof tempDir>>;
let kb: KnowledgeBase;
const ids = async (q: string) =>
  (await searchKnowledgeBase(kb, { q, scope: 'agent', limit: 10, offset: 0, prefix: false })).hits.map((h) => h.id);
const save = (file: string, text: string) => writeFile(path.join(tmp.dir, file), text);

beforeEach(async () => {
  tmp = await tempDir();
  await writeContent(tmp.dir, { 'a.md': doc('art-a', '光猫红灯'), 'b.md': doc('art-b', '路由器重启') });
  kb = createKnowledgeBase({
    contentDir: tmp.dir,
    engine: createEmbeddedEngine({ dataDir: path.join(tmp.dir, '.data') }),
  });
  await kb.reload();
});
afterEach(() => tmp.cleanup());

describe('saved edits', () => {
  it('adds, edits and deletes articles', async () => {
    await save('c.md', doc('art-c', '机顶盒无信号'));
    await kb.applyChanges({ files: ['c.md'], lexicon: false });
    expect(await ids('机顶盒')).toEqual(['art-c']);

    await save('c.md', doc('art-c', '遥控器失灵'));
    await kb.applyChanges({ files: ['c.md'], lexicon: false });
    expect((await ids('遥控器'))[0]).toBe('art-c');
    expect(await ids('机顶盒')).toEqual([]);

    await rm(path.join(tmp.dir, 'c.md'));
    await kb.applyChanges({ files: ['c.md'], lexicon: false });
    expect(await ids('遥控器')).not.toContain('art-c');
    expect(kb.getArticle('art-c', 'agent')).toBeUndefined();
  });

  it('keeps the last good version serving when an edit breaks the article, and reports file, line and field', async () => {
    await save('a.md', '---\nid: art-a\ntitle: [坏了\nproduct: 宽带\n---\n## 答案\n新内容\n');
    const report = await kb.applyChanges({ files: ['a.md'], lexicon: false });
    expect(report.broken).toEqual(['a.md']);
    expect(await ids('光猫')).toEqual(['art-a']);
    const problems = kb.diagnostics.filter((d) => d.file === 'a.md');
    expect(problems.map((d) => [d.code, d.line])).toEqual([
      ['INVALID_FRONT_MATTER', 4],
      ['SERVING_PREVIOUS_VERSION', 1],
    ]);

    await save('a.md', doc('art-a', '光猫红灯', '已修好的新内容：检查尾纤'));
    await kb.applyChanges({ files: ['a.md'], lexicon: false });
    expect(await ids('尾纤')).toEqual(['art-a']);
    expect(kb.diagnostics.filter((d) => d.file === 'a.md')).toEqual([]);
  });

  it('a missing required field also keeps the previous version', async () => {
    await save('b.md', '---\nid: art-b\ntitle: 路由器重启\ncategory: 常见问题\n---\n## 答案\n改了\n');
    await kb.applyChanges({ files: ['b.md'], lexicon: false });
    expect(await ids('路由器')).toEqual(['art-b']);
    expect(kb.diagnostics.find((d) => d.file === 'b.md')).toMatchObject({ field: 'product', line: 5 });
  });

  it('handles a rename (delete + add with the same id) and a save through a temporary file', async () => {
    await rename(path.join(tmp.dir, 'a.md'), path.join(tmp.dir, 'renamed.md'));
    await kb.applyChanges({ files: ['a.md', 'renamed.md'], lexicon: false });
    expect(await ids('光猫')).toEqual(['art-a']);
    expect(kb.getArticle('art-a', 'agent')?.file).toBe('renamed.md');

    await save('.renamed.md.swp', doc('art-a', '光猫绿灯'));
    await rename(path.join(tmp.dir, '.renamed.md.swp'), path.join(tmp.dir, 'renamed.md'));
    await kb.applyChanges({ files: ['renamed.md'], lexicon: false });
    expect(kb.getArticle('art-a', 'agent')?.title).toBe('光猫绿灯');
  });

  it('keeps a duplicate id with the article that holds it, and hands it over once that one is gone', async () => {
    // The newcomer sorts before the holder: path order must not decide while running.
    await save('0-draft.md', doc('art-a', '重复文章 双胞胎'));
    await kb.applyChanges({ files: ['0-draft.md'], lexicon: false });
    expect(kb.diagnostics.find((d) => d.file === '0-draft.md')).toMatchObject({
      code: 'DUPLICATE_ID',
      line: 2,
      field: 'id',
    });
    expect(await ids('双胞胎')).toEqual([]);
    expect(kb.getArticle('art-a', 'agent')?.file).toBe('a.md');

    await rm(path.join(tmp.dir, 'a.md'));
    await kb.applyChanges({ files: ['a.md'], lexicon: false });
    expect(await ids('双胞胎')).toEqual(['art-a']);
    expect(kb.diagnostics.filter((d) => d.file === '0-draft.md')).toEqual([]);
  });

  it('applies the same duplicate-id rule after a restart: the holder keeps the id', async () => {
    const data = path.join(tmp.dir, '.kb-data');
    const open = () =>
      createKnowledgeBase({ contentDir: tmp.dir, engine: createEmbeddedEngine({ dataDir: data }), dataDir: data });
    const live = open();
    await live.reload();
    await save('0-draft.md', doc('art-a', '重复文章 双胞胎'));
    await live.applyChanges({ files: ['0-draft.md'], lexicon: false });
    await live.close();

    const restarted = open();
    const result = await restarted.reload();
    expect(restarted.getArticle('art-a', 'agent')?.file).toBe('a.md');
    expect(result.diagnostics.find((d) => d.file === '0-draft.md')).toMatchObject({
      code: 'DUPLICATE_ID',
      line: 2,
      field: 'id',
    });
  });

  it('re-analyses articles affected by a new dictionary word', async () => {
    await save('d.md', doc('art-d', '橙心套餐办理'));
    await kb.applyChanges({ files: ['d.md'], lexicon: false });
    const before = kb.analyzer.tokenize('橙心套餐').map((t) => t.term);
    expect(before).not.toContain('橙心套餐');

    await writeFile(path.join(tmp.dir, 'lexicon/dictionary.txt'), '橙心套餐\n', { flag: 'a' });
    const report = await kb.applyChanges({ files: [], lexicon: true });
    expect(report.lexiconReindexed).toEqual(['art-d']);
    expect(kb.analyzer.tokenize('橙心套餐').map((t) => t.term)).toEqual(['橙心套餐']);
    expect(await ids('橙心套餐')).toEqual(['art-d']);
  });

  it('persists the updated index, so a restart does not re-index', async () => {
    await save('c.md', doc('art-c', '机顶盒无信号'));
    await kb.applyChanges({ files: ['c.md'], lexicon: false });
    await kb.flush();
    const restarted = createKnowledgeBase({
      contentDir: tmp.dir,
      engine: createEmbeddedEngine({ dataDir: path.join(tmp.dir, '.data') }),
    });
    expect((await restarted.reload()).rebuilt).toBe(false);
  });
});

describe('the watch loop', () => {
  let watched: KnowledgeBase;
  let events: KbEvent[];
  /** Resolves with the next `changed` event whose files include `file` (or any, for a lexicon edit). */
  const applied = (file?: string) =>
    new Promise<Extract<KbEvent, { type: 'changed' }>>((resolve, reject) => {
      const from = events.length;
      const timer = setInterval(() => {
        const hit = events
          .slice(from)
          .find(
            (e): e is Extract<KbEvent, { type: 'changed' }> =>
              e.type === 'changed' && (!file || e.change.files.includes(file)),
          );
        if (hit) {
          clearInterval(timer);
          clearTimeout(limit);
          resolve(hit);
        }
      }, 10);
      const limit = setTimeout(() => {
        clearInterval(timer);
        reject(new Error(`no change applied for ${file ?? 'the lexicon'} within 10 s`));
      }, 10_000);
    });
  const found = async (q: string) =>
    (await searchKnowledgeBase(watched, { q, scope: 'agent', limit: 10, offset: 0, prefix: false })).hits.map(
      (h) => h.id,
    );

  beforeEach(async () => {
    events = [];
    watched = createKnowledgeBase({
      contentDir: tmp.dir,
      engine: createEmbeddedEngine(),
      onEvent: (e) => events.push(e),
    });
    await watched.reload();
    await watched.start({ watch: true });
  });
  afterEach(() => watched.close());

  it('applies a saved article, and keeps its last good version through a broken save', async () => {
    let next = applied('c.md');
    await save('c.md', doc('art-c', '机顶盒无信号'));
    expect((await next).report.upserted).toEqual(['art-c']);
    expect(await found('机顶盒')).toEqual(['art-c']);

    next = applied('c.md');
    await save('c.md', '---\nid: art-c\ntitle: [坏了\n---\n');
    const broken = await next;
    expect(broken.report.broken).toEqual(['c.md']);
    expect(broken.diagnostics.map((d) => d.code)).toEqual(['INVALID_FRONT_MATTER', 'SERVING_PREVIOUS_VERSION']);
    expect(await found('机顶盒')).toEqual(['art-c']);
  });

  it('takes every article under a deleted folder out', async () => {
    let next = applied('sub/deep/d.md');
    await mkdir(path.join(tmp.dir, 'sub/deep'), { recursive: true });
    await save('sub/deep/d.md', doc('art-d', '遥控器失灵'));
    await next;
    expect(await found('遥控器')).toEqual(['art-d']);

    next = applied('sub/deep/d.md');
    await rm(path.join(tmp.dir, 'sub'), { recursive: true });
    expect((await next).report.removed).toEqual(['art-d']);
    expect(await found('遥控器')).toEqual([]);
  });

  it('re-analyses with a saved lexicon, and keeps type-ahead current', async () => {
    expect((await suggest(watched, '光猫', 'agent', 5)).map((s) => s.text)).toEqual(['光猫红灯']);
    let next = applied();
    await writeFile(path.join(tmp.dir, 'lexicon/dictionary.txt'), '光猫红灯\n', { flag: 'a' });
    expect((await next).report.lexiconReindexed).toEqual(['art-a']);
    expect(watched.analyzer.tokenize('光猫红灯').map((t) => t.term)).toEqual(['光猫红灯']);

    next = applied('a.md');
    await save('a.md', doc('art-a', '光猫绿灯常亮'));
    await next;
    expect((await suggest(watched, '光猫', 'agent', 5)).map((s) => s.text)).toEqual(['光猫绿灯常亮']);
  });

  it('stops watching on close', async () => {
    await watched.close();
    await save('late.md', doc('art-late', '关闭后保存'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(events.filter((e) => e.type === 'changed')).toEqual([]);
    expect(await found('关闭后保存')).toEqual([]);
  });
});
