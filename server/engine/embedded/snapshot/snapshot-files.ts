import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleTemporaries } from '../../../stale-temporaries.js';

const SNAPSHOT_PREFIX = 'embedded-';

/** Where the embedded engine keeps its snapshot: one file per corpus key in the data directory. */
export type SnapshotFiles = {
  /** The snapshot bytes for `key`, undefined when there is none (or no data directory). */
  read(key: string): Promise<Buffer | undefined>;
  /**
   * Writes the snapshot for `key` (a temporary file, then a rename) and
   * removes every other one. A failed write (a read-only or full disk)
   * removes its temporary file and rejects with the cause.
   */
  write(key: string, bytes: Buffer | Uint8Array): Promise<void>;
  /** Size of the snapshot file for `key`, when it exists. */
  size(key: string): Promise<number | undefined>;
};

/**
 * Snapshot files in `dataDir`; without one, nothing is read or written.
 * Temporary files a crashed process left behind are removed on first use.
 */
export function createSnapshotFiles(dataDir: string | undefined): SnapshotFiles {
  const fileOf = (key: string) =>
    dataDir ? path.join(dataDir, `${SNAPSHOT_PREFIX}${key.slice(0, 32)}.bin`) : undefined;
  let cleaned: Promise<unknown> | undefined;
  const clean = () => {
    cleaned ??= dataDir ? removeStaleTemporaries(dataDir, SNAPSHOT_PREFIX) : Promise.resolve();
    return cleaned;
  };
  return {
    async read(key) {
      const file = fileOf(key);
      await clean();
      return file ? readFile(file).catch(() => undefined) : undefined;
    },
    async write(key, bytes) {
      const file = fileOf(key);
      if (!file || !dataDir) return;
      await clean();
      await mkdir(dataDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        await writeFile(tmp, bytes);
        await rename(tmp, file);
      } catch (error) {
        await rm(tmp, { force: true }).catch(() => undefined);
        throw error;
      }
      // Keep only the current snapshot (older keys and the JSON snapshots of earlier versions).
      for (const name of await readdir(dataDir)) {
        if (name.startsWith(SNAPSHOT_PREFIX) && path.join(dataDir, name) !== file && !name.endsWith('.tmp')) {
          await rm(path.join(dataDir, name), { force: true });
        }
      }
    },
    async size(key) {
      const file = fileOf(key);
      return file
        ? stat(file).then(
            (s) => s.size,
            () => undefined,
          )
        : undefined;
    },
  };
}
