import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddedEngine } from '../../server/engine/embedded/embedded-engine.js';
import { createKnowledgeBase, type KnowledgeBase } from '../../server/knowledge-base.js';
import { article, tempDir, writeContent } from '../helpers/sample.js';

/**
 * Fault injection: the process dies (kill -9, power cut) right after a
 * trainer saved a good edit and then a broken one. The parse cache, which
 * remembers each file's last good version, used to be written five seconds
 * after the last edit, so the restart served the version before the good
 * edit. Now each edit's last good versions are journalled before they are
 * served.
 *
 * The first knowledge base is abandoned, never closed or flushed: that is the
 * crash. The parse cache file must still be the one the first load wrote
 * (checked below), or the test would be about a clean shutdown instead.
 */
const v = (title: string) =>
  article({ id: 'bb-a', title, product: '宽带', category: '故障排查' }, '## 答案\n重启光猫。');
const BROKEN = '---\nid: bb-a\ntitle: [未闭合\n---\n\n## 答案\n坏了。\n';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let content: string;
let data: string;
const opened: KnowledgeBase[] = [];

beforeEach(async () => {
  tmp = await tempDir();
  content = path.join(tmp.dir, 'content');
  data = path.join(tmp.dir, 'data');
  await writeContent(content, { 'a.md': v('光猫红灯：第一版') });
});
afterEach(async () => {
  for (const kb of opened.splice(1)) await kb.close();
  opened.length = 0;
  await tmp.cleanup();
});

const open = async () => {
  const kb = createKnowledgeBase({
    contentDir: content,
    engine: createEmbeddedEngine({ dataDir: data }),
    dataDir: data,
  });
  opened.push(kb);
  await kb.reload();
  return kb;
};

describe('a crash after a good edit and a broken one', () => {
  it('the restart serves the good edit, not the version before it', async () => {
    const first = await open();
    const cacheFile = path.join(data, 'parse-cache.json');
    const written = (await stat(cacheFile)).mtimeMs;

    await writeFile(path.join(content, 'a.md'), v('光猫红灯：第二版'));
    await first.applyChanges({ files: ['a.md'], lexicon: false });
    expect(first.getArticle('bb-a', 'agent')?.title).toBe('光猫红灯：第二版');
    await writeFile(path.join(content, 'a.md'), BROKEN);
    const report = await first.applyChanges({ files: ['a.md'], lexicon: false });
    expect(report.broken).toEqual(['a.md']);
    expect(first.getArticle('bb-a', 'agent')?.title).toBe('光猫红灯：第二版');
    // The crash: no close, no flush, and the delayed rewrite has not run.
    expect((await stat(cacheFile)).mtimeMs).toBe(written);

    const restarted = await open();
    expect(restarted.getArticle('bb-a', 'agent')?.title).toBe('光猫红灯：第二版');
    expect(restarted.diagnostics.map((d) => d.file)).toContain('a.md');

    // A clean shutdown of the restarted service writes the cache whole and starts the journal afresh.
    await restarted.close();
    opened.pop();
    const third = await open();
    expect(third.getArticle('bb-a', 'agent')?.title).toBe('光猫红灯：第二版');
  });
});
