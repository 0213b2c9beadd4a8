import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/** A temporary file as the data directory's writers name it: `<target>.<pid>.tmp`. */
const TEMPORARY = /^(.+)\.(\d+)\.tmp$/;

/**
 * Removes the temporary files (`<prefix>….<pid>.tmp`) that a process killed
 * mid-write left in `dataDir`: those of a process that is no longer running,
 * and this process's own (it has written nothing yet when this runs). A file
 * another running instance is writing is left alone. Nothing here is fatal:
 * a data directory that cannot be listed has nothing to clean.
 */
export async function removeStaleTemporaries(dataDir: string, prefix: string): Promise<string[]> {
  const names = await readdir(dataDir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMPORARY.exec(name);
    if (!match || !name.startsWith(prefix)) continue;
    const pid = Number(match[2]);
    if (pid !== process.pid && isRunning(pid)) continue;
    await rm(path.join(dataDir, name), { force: true }).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
