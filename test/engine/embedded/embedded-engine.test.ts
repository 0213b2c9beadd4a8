import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedEngine } from '../../../server/engine/embedded/embedded-engine.js';
import { sectionDoc, wordQuery } from '../../helpers/engine-fixtures.js';
import { tempDir } from '../../helpers/sample.js';
import { describeEngineContract } from '../engine-contract.js';

describeEngineContract('embedded', async () => createEmbeddedEngine());

describe('embedded engine snapshot', async () => {
  const tmp = await tempDir();
  afterAll(tmp.cleanup);
  const doc = sectionDoc();

  it('persists the index and a restart with the same key loads it without producing documents', async () => {
    const first = createEmbeddedEngine({ dataDir: tmp.dir });
    expect((await first.sync('key-1', () => [doc])).rebuilt).toBe(true);
    expect((await first.stats()).sizeBytes).toBeGreaterThan(0);

    const restarted = createEmbeddedEngine({ dataDir: tmp.dir });
    const result = await restarted.sync('key-1', () => {
      throw new Error('must not re-analyze unchanged content');
    });
    expect(result.rebuilt).toBe(false);
    expect((await restarted.search(wordQuery())).hits.map((h) => h.articleId)).toEqual(['a']);
  });

  it('persists a full replacement too, so a restart with its key loads it', async () => {
    const dir = await tempDir();
    try {
      await createEmbeddedEngine({ dataDir: dir.dir }).replaceAll('key-r', [doc, sectionDoc('b', '蓝灯')]);
      const restarted = createEmbeddedEngine({ dataDir: dir.dir });
      const result = await restarted.sync('key-r', () => {
        throw new Error('must not re-analyze unchanged content');
      });
      expect(result.rebuilt).toBe(false);
      expect((await restarted.search(wordQuery('蓝灯'))).hits.map((h) => h.articleId)).toEqual(['b']);
    } finally {
      await dir.cleanup();
    }
  });

  it('rebuilds on a new key and keeps only the current snapshot', async () => {
    const engine = createEmbeddedEngine({ dataDir: tmp.dir });
    expect((await engine.sync('key-2', () => [doc])).rebuilt).toBe(true);
    const snapshots = (await readdir(tmp.dir)).filter((f) => f.startsWith('embedded-'));
    expect(snapshots).toHaveLength(1);
  });

  it('treats a corrupt snapshot as missing and rebuilds', async () => {
    const [name] = (await readdir(tmp.dir)).filter((f) => f.startsWith('embedded-'));
    await writeFile(path.join(tmp.dir, name as string), '{ not json');
    const engine = createEmbeddedEngine({ dataDir: tmp.dir });
    expect((await engine.sync('key-2', () => [doc])).rebuilt).toBe(true);
  });
});
