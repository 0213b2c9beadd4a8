import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import { isArticlePath, LEXICON_DIR, toContentPath } from './load-content.js';

/** Edits arriving within this window are applied as one batch. */
const DEBOUNCE_MS = 80;

/** One batch of saved edits, as the pipeline takes it (pipeline.ts). */
export type ContentChange = {
  /** Article files (relative to the content directory) that were added, saved, renamed or deleted. */
  files: string[];
  /** Whether a lexicon file changed. */
  lexicon: boolean;
};

export type ContentWatcher = { ready: Promise<void>; close: () => Promise<void> };

/**
 * Watches the content directory and reports article and lexicon changes in
 * debounced batches. Editors that save through a temporary file and a rename
 * show up as an add or change of the real file (chokidar's atomic option). A
 * deleted or renamed folder arrives as an `unlink` of every file that was in it.
 *
 * Symbolic links are never followed, as at start-up (load-content.ts): a
 * link to `.` once sent the watcher round a loop until ELOOP, and that error,
 * with no listener, ended the process (and again on every restart). Errors
 * the watcher still meets go to `onError`; watching goes on.
 */
export function watchContent(
  contentDir: string,
  onChange: (change: ContentChange) => void,
  onError: (error: Error) => void = () => {},
): ContentWatcher {
  const root = path.resolve(contentDir);
  const pending = new Set<string>();
  let lexicon = false;
  let timer: NodeJS.Timeout | undefined;

  const watcher: FSWatcher = watch(root, {
    ignoreInitial: true,
    followSymlinks: false,
    atomic: true,
    awaitWriteFinish: { stabilityThreshold: 40, pollInterval: 10 },
    ignored: (p) => path.basename(p).startsWith('.') && p !== root,
  });
  const note = (absPath: string) => {
    const file = toContentPath(root, absPath);
    if (file.startsWith(`${LEXICON_DIR}/`)) lexicon = true;
    else if (isArticlePath(file)) pending.add(file);
    else return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const change = { files: [...pending], lexicon };
      pending.clear();
      lexicon = false;
      onChange(change);
    }, DEBOUNCE_MS);
  };
  watcher.on('add', note).on('change', note).on('unlink', note);
  watcher.on('error', (error) => onError(error instanceof Error ? error : new Error(String(error))));

  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    close: async () => {
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}
