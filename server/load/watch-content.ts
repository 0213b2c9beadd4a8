import { stat } from 'node:fs/promises';
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import { isArticlePath, LEXICON_DIR, toContentPath } from './load-content.js';

/** Edits arriving within this window are applied as one batch. */
const DEBOUNCE_MS = 80;
/** The content folder's presence and identity are checked this often (one stat). */
const FOLDER_CHECK_MS = 1_000;

/** One batch of saved edits, as the pipeline takes it (pipeline.ts). */
export type ContentChange = {
  /** Article files (relative to the content directory) that were added, saved, renamed or deleted. */
  files: string[];
  /** Whether a lexicon file changed. */
  lexicon: boolean;
};

export type ContentWatcher = { ready: Promise<void>; close: () => Promise<void> };

/** What the watcher tells its owner besides the changes. */
export type WatchEvents = {
  /** An error the watcher met (a path it cannot read); watching goes on. */
  onError?: (error: Error) => void;
  /** The content folder is gone (deleted, renamed away, unmounted): nothing more is reported until it is back. */
  onMissing?: () => void;
  /**
   * The folder is back and watched again. What happened to it meanwhile is
   * not known file by file: the owner reloads it whole.
   */
  onReturn?: () => void;
};

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
 *
 * The content folder itself going away is not a batch of deletions: it is
 * reported once (`onMissing`, and the unlinks are dropped, so the service
 * keeps its last good state), the folder is looked for every
 * FOLDER_CHECK_MS, and once it is back (or another folder stands under its
 * name) a fresh watcher is armed and `onReturn` called. A watcher on a
 * deleted folder hears nothing ever again.
 */
export function watchContent(
  contentDir: string,
  onChange: (change: ContentChange) => void,
  events: WatchEvents = {},
): ContentWatcher {
  const root = path.resolve(contentDir);
  const pending = new Set<string>();
  let lexicon = false;
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  /** The folder being watched, by inode: another folder under the same name is a return, not the same one. */
  let watchedIno: number | undefined;
  let missing = false;
  let busy = false;
  let closed = false;

  const folderIno = () =>
    stat(root).then(
      (s) => (s.isDirectory() ? s.ino : undefined),
      () => undefined,
    );
  const flush = async () => {
    const change = { files: [...pending], lexicon };
    pending.clear();
    lexicon = false;
    if (closed || missing) return;
    if ((await folderIno()) !== undefined) onChange(change);
    else goMissing();
  };
  const note = (absPath: string) => {
    const file = toContentPath(root, absPath);
    if (file.startsWith(`${LEXICON_DIR}/`)) lexicon = true;
    else if (isArticlePath(file)) pending.add(file);
    else return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void flush(), DEBOUNCE_MS);
  };
  const arm = async (): Promise<void> => {
    watchedIno = await folderIno();
    const w = watch(root, {
      ignoreInitial: true,
      followSymlinks: false,
      atomic: true,
      awaitWriteFinish: { stabilityThreshold: 40, pollInterval: 10 },
      ignored: (p) => path.basename(p).startsWith('.') && p !== root,
    });
    watcher = w;
    w.on('add', note).on('change', note).on('unlink', note);
    w.on('error', (error) => events.onError?.(error instanceof Error ? error : new Error(String(error))));
    await new Promise<void>((resolve) => w.once('ready', () => resolve()));
  };
  const goMissing = () => {
    if (missing || closed) return;
    missing = true;
    if (timer) clearTimeout(timer);
    pending.clear();
    lexicon = false;
    void watcher?.close();
    watcher = undefined;
    events.onMissing?.();
  };
  /** A renamed-away folder sends no event at all: its presence and identity are checked on a timer too. */
  const check = async () => {
    if (busy || closed) return;
    busy = true;
    try {
      const ino = await folderIno();
      if (ino === undefined) return goMissing();
      if (!missing && ino === watchedIno) return;
      await watcher?.close();
      await arm();
      missing = false;
      if (!closed) events.onReturn?.();
    } finally {
      busy = false;
    }
  };
  let poll: NodeJS.Timeout | undefined;
  const ready = arm().then(() => {
    poll = setInterval(() => void check(), FOLDER_CHECK_MS);
    poll.unref();
  });
  return {
    ready,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      clearInterval(poll);
      await ready;
      await watcher?.close();
    },
  };
}
