import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedEngine } from '../server/engine/embedded/embedded-engine.js';
import { createKnowledgeBase } from '../server/knowledge-base.js';
import { searchKnowledgeBase } from '../server/search/search.js';
import { article, tempDir, writeContent } from './helpers/sample.js';

const good = (id: string, title: string) =>
  article({ id, title, product: '宽带', category: '故障排查' }, `## 一句话答案\n${title}的处理办法。`);

describe('pipeline: a broken article never stops the rest', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir();
    await writeContent(tmp.dir, {
      'a/good-one.md': good('good-one', '光猫红灯'),
      'a/good-two.md': good('good-two', '路由器重启'),
      'b/bad-yaml.md': '---\nid: bad-yaml\ntitle: [坏掉的\n---\n## 答案\n空调\n',
      'b/missing-field.md': '---\nid: missing-field\ntitle: 空调漏水\n---\n## 答案\n漏水\n',
      'c/dup.md': good('good-one', '重复的文章'),
      '_drafts/draft.md': 'not an article',
      'README.md': '# 说明',
    });
  });
  afterAll(() => tmp.cleanup());

  it('serves the good articles and reports each broken one with file, line and field', async () => {
    const kb = createKnowledgeBase({ contentDir: tmp.dir, engine: createEmbeddedEngine() });
    const result = await kb.reload();
    expect(result.accepted.map((a) => a.article.id).sort()).toEqual(['good-one', 'good-two']);
    const problems = result.diagnostics.map((d) => [d.file, d.line, d.field, d.code]);
    expect(problems).toEqual(
      expect.arrayContaining([
        ['b/bad-yaml.md', 3, undefined, 'INVALID_FRONT_MATTER'],
        ['b/missing-field.md', 4, 'product', 'INVALID_FRONT_MATTER'],
        ['c/dup.md', 2, 'id', 'DUPLICATE_ID'],
      ]),
    );
    const outcome = await searchKnowledgeBase(kb, { q: '路由器', scope: 'agent', limit: 5, offset: 0 });
    expect(outcome.hits[0]?.id).toBe('good-two');
    // The first file keeps a duplicated id; the later one is not loaded.
    expect(kb.getArticle('good-one', 'agent')?.file).toBe('a/good-one.md');
  });

  it('a restart with unchanged content loads the snapshot instead of re-indexing', async () => {
    const data = await tempDir();
    try {
      const first = await createKnowledgeBase({
        contentDir: tmp.dir,
        engine: createEmbeddedEngine({ dataDir: data.dir }),
      }).reload();
      expect(first.rebuilt).toBe(true);
      const second = await createKnowledgeBase({
        contentDir: tmp.dir,
        engine: createEmbeddedEngine({ dataDir: data.dir }),
      }).reload();
      expect(second.rebuilt).toBe(false);
      expect(second.key).toBe(first.key);

      await writeContent(tmp.dir, { 'a/good-three.md': good('good-three', '机顶盒') }, false);
      const third = await createKnowledgeBase({
        contentDir: tmp.dir,
        engine: createEmbeddedEngine({ dataDir: data.dir }),
      }).reload();
      expect(third.rebuilt).toBe(true);
    } finally {
      await data.cleanup();
    }
  });
});
