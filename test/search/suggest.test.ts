import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddedEngine } from '../../server/engine/embedded/embedded-engine.js';
import { createKnowledgeBase, type KnowledgeBase } from '../../server/knowledge-base.js';
import { suggest } from '../../server/search/suggest.js';
import { article, tempDir, writeContent } from '../helpers/sample.js';

const doc = (id: string, title: string, audience = 'public') =>
  article({ id, title, product: '宽带', category: '常见问题', audience }, `## 一句话答案\n${title}的处理办法。`);

let tmp: Awaited<ReturnType<typeof tempDir>>;
let kb: KnowledgeBase;
const texts = async (q: string, scope: 'agent' | 'public' = 'agent') =>
  (await suggest(kb, q, scope, 10)).map((s) => s.text);
const save = async (file: string, text: string) => {
  await writeFile(path.join(tmp.dir, file), text);
  await kb.applyChanges({ files: [file], lexicon: false });
};

beforeEach(async () => {
  tmp = await tempDir();
  await writeContent(tmp.dir, { 'a.md': doc('art-a', '光猫红灯闪烁'), 'b.md': doc('art-b', '光猫无法注册') });
  kb = createKnowledgeBase({ contentDir: tmp.dir, engine: createEmbeddedEngine() });
  await kb.reload();
  await kb.suggestIndex.refresh();
});
afterEach(() => tmp.cleanup());

describe('suggest after edits', () => {
  it('follows every edit: new titles appear, old ones and deleted articles disappear', async () => {
    expect((await texts('光猫')).sort()).toEqual(['光猫无法注册', '光猫红灯闪烁']);
    await save('a.md', doc('art-a', '光猫LOS灯常亮'));
    expect((await texts('光猫')).sort()).toEqual(['光猫LOS灯常亮', '光猫无法注册']);
    expect(await texts('闪烁')).toEqual([]);

    await rm(path.join(tmp.dir, 'b.md'));
    await kb.applyChanges({ files: ['b.md'], lexicon: false });
    expect(await texts('光猫')).toEqual(['光猫LOS灯常亮']);
  });

  it('drops an article from the public suggestions the moment it becomes internal', async () => {
    expect(await texts('注册', 'public')).toEqual(['光猫无法注册']);
    await save('b.md', doc('art-b', '光猫无法注册', 'internal'));
    expect(await texts('注册', 'public')).toEqual([]);
    expect(await texts('注册', 'agent')).toEqual(['光猫无法注册']);
  });

  it('answers requests that arrive while the index is being built, with the complete index', async () => {
    const fresh = createKnowledgeBase({ contentDir: tmp.dir, engine: createEmbeddedEngine() });
    await fresh.reload();
    const [first, second] = await Promise.all([
      suggest(fresh, '光猫', 'agent', 10),
      suggest(fresh, '注册', 'agent', 10),
    ]);
    expect(first).toHaveLength(2);
    expect(second.map((s) => s.articleId)).toEqual(['art-b']);
  });
});
