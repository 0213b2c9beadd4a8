import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContentChange } from '../../server/load/watch-content.js';
import { watchContent } from '../../server/load/watch-content.js';
import { tempDir, writeContent } from '../helpers/sample.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let changes: ContentChange[];
let watcher: ReturnType<typeof watchContent>;

const next = () =>
  new Promise<ContentChange>((resolve, reject) => {
    const started = changes.length;
    const timer = setInterval(() => {
      if (changes.length > started) {
        clearInterval(timer);
        resolve(changes[started] as ContentChange);
      }
    }, 10);
    setTimeout(() => {
      clearInterval(timer);
      reject(new Error('no change reported within 5 s'));
    }, 5000);
  });

beforeEach(async () => {
  tmp = await tempDir();
  await writeContent(tmp.dir, { 'a/one.md': 'x' });
  changes = [];
  watcher = watchContent(tmp.dir, (c) => changes.push(c));
  await watcher.ready;
});
afterEach(async () => {
  await watcher.close();
  await tmp.cleanup();
});

describe('watchContent', () => {
  it('reports added, saved and deleted articles', async () => {
    let pending = next();
    await writeFile(path.join(tmp.dir, 'a/two.md'), 'new');
    expect(await pending).toEqual({ files: ['a/two.md'], lexicon: false });

    pending = next();
    await writeFile(path.join(tmp.dir, 'a/one.md'), 'edited');
    expect((await pending).files).toEqual(['a/one.md']);

    pending = next();
    await rm(path.join(tmp.dir, 'a/two.md'));
    expect((await pending).files).toEqual(['a/two.md']);
  });

  it('sees a save through a temporary file and a rename as a change of the real file', async () => {
    const pending = next();
    await writeFile(path.join(tmp.dir, 'a/.one.md.tmp'), 'atomic save');
    await rename(path.join(tmp.dir, 'a/.one.md.tmp'), path.join(tmp.dir, 'a/one.md'));
    expect((await pending).files).toContain('a/one.md');
  });

  it('reports lexicon edits separately', async () => {
    const pending = next();
    await writeFile(path.join(tmp.dir, 'lexicon/dictionary.txt'), '新词\n');
    expect(await pending).toEqual({ files: [], lexicon: true });
  });
});
