import { readdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddedEngine } from '../../server/engine/embedded/embedded-engine.js';
import { createKnowledgeBase, type KbEvent, type KnowledgeBase } from '../../server/knowledge-base.js';
import { wordQuery } from '../helpers/engine-fixtures.js';
import { article, tempDir, writeContent } from '../helpers/sample.js';

/**
 * Fault injection: KB_DATA_DIR cannot take the snapshot. A data directory
 * that cannot be created or written (read-only, EROFS; here a path under a
 * regular file, ENOTDIR, since tests run as root and permissions do not stop
 * root) used to stop start-up whenever a rebuild was needed; a full disk
 * (ENOSPC; here the temporary file is a link to /dev/full) failed silently
 * and left its temporary file behind for good. Now the index is served from
 * memory, the log and health say so, and no temporary file stays.
 */
const doc = (title: string) =>
  article({ id: 'bb-a', title, product: '宽带', category: '故障排查' }, '## 答案\n重启光猫。');

let tmp: Awaited<ReturnType<typeof tempDir>>;
let content: string;
const opened: KnowledgeBase[] = [];
const events: KbEvent[] = [];

beforeEach(async () => {
  tmp = await tempDir();
  content = path.join(tmp.dir, 'content');
  events.length = 0;
  await writeContent(content, { 'a.md': doc('光猫红灯') });
});
afterEach(async () => {
  for (const kb of opened.splice(0)) await kb.close();
  await tmp.cleanup();
});

async function open(dataDir: string | undefined) {
  const warnings: string[] = [];
  const kb = createKnowledgeBase({
    contentDir: content,
    engine: createEmbeddedEngine({ dataDir, warn: (m) => warnings.push(m) }),
    dataDir,
    onEvent: (e) => events.push(e),
  });
  opened.push(kb);
  const result = await kb.reload();
  return { kb, result, warnings };
}

describe('a data directory that cannot take the snapshot', { timeout: 60_000 }, () => {
  it('cannot be created (read-only): start-up rebuilds and serves from memory, and says so', async () => {
    await writeFile(path.join(tmp.dir, 'a-file'), 'not a folder');
    const { kb, result, warnings } = await open(path.join(tmp.dir, 'a-file', 'data'));
    expect(result.rebuilt).toBe(true);
    expect(kb.articles('agent').map((a) => a.id)).toEqual(['bb-a']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('索引快照无法写入数据目录（ENOTDIR）');
    const health = await kb.engine.health();
    expect(health).toMatchObject({ ok: true, detail: expect.stringContaining('只在内存中') });

    // Edits go on; the failing commit is not an error and is not logged again.
    await writeFile(path.join(content, 'a.md'), doc('光猫红灯闪烁'));
    await kb.applyChanges({ files: ['a.md'], lexicon: false });
    await kb.flush();
    expect(kb.getArticle('bb-a', 'agent')?.title).toBe('光猫红灯闪烁');
    expect(warnings).toHaveLength(1);
  });

  it('is full while running: the failed write is logged, its temporary file removed, and searches go on', async () => {
    const data = path.join(tmp.dir, 'data');
    const { kb, warnings } = await open(data);
    await writeFile(path.join(content, 'a.md'), doc('光猫红灯闪烁'));
    // The snapshot key after this edit, learnt from a throwaway knowledge base over the same content.
    const key = (await open(undefined)).result.key as string;
    await symlink('/dev/full', path.join(data, `embedded-${key.slice(0, 32)}.bin.${process.pid}.tmp`));

    await kb.applyChanges({ files: ['a.md'], lexicon: false });
    await kb.flush();
    expect(warnings.join('\n')).toContain('索引快照无法写入数据目录（ENOSPC）');
    expect((await readdir(data)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(kb.getArticle('bb-a', 'agent')?.title).toBe('光猫红灯闪烁');
    expect((await kb.engine.search(wordQuery('闪烁'))).total).toBe(1);
    expect((await kb.engine.health()).detail).toContain('只在内存中');
  });

  it('is full for the journal of last good versions: said once, not on every edit, and again when it works', async () => {
    const data = path.join(tmp.dir, 'data');
    const { kb } = await open(data);
    const journal = path.join(data, 'parse-cache.journal');
    await rm(journal, { force: true });
    await symlink('/dev/full', journal);
    for (const title of ['光猫红灯闪烁', '光猫红灯常亮', '光猫不亮']) {
      await writeFile(path.join(content, 'a.md'), doc(title));
      await kb.applyChanges({ files: ['a.md'], lexicon: false });
      // Each edit is served all the same.
      expect(kb.getArticle('bb-a', 'agent')?.title).toBe(title);
    }
    const kinds = () => events.map((e) => e.type).filter((t) => t.startsWith('journal'));
    expect(kinds()).toEqual(['journal-failed']);
    expect(String((events.find((e) => e.type === 'journal-failed') as { error: unknown }).error)).toContain('ENOSPC');

    await rm(journal);
    await writeFile(path.join(content, 'a.md'), doc('光猫红灯'));
    await kb.applyChanges({ files: ['a.md'], lexicon: false });
    expect(kinds()).toEqual(['journal-failed', 'journal-restored']);
  });

  it('holds temporary files a killed process left: start-up removes them', async () => {
    const data = path.join(tmp.dir, 'data');
    await open(data);
    const dead = deadPid();
    const stale = [`embedded-0123456789abcdef.bin.${dead}.tmp`, `parse-cache.json.${dead}.tmp`];
    for (const name of stale) await writeFile(path.join(data, name), 'half a file');
    await writeFile(path.join(content, 'a.md'), doc('光猫红灯闪烁'));
    await open(data);
    expect((await readdir(data)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

/** A process id no process has right now. */
function deadPid(): number {
  for (let pid = 4_000_000; ; pid--) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
}
