import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeStaleTemporaries } from '../stale-temporaries.js';
import type { Article } from './article.js';
import type { ParseResult } from './parse-article.js';
import type { ServedVersion } from './resolve-articles.js';

/**
 * Parse results of the last load, by file and content hash, so that a
 * restart parses only the files that changed: parsing 10,000 articles takes
 * about 3 s, reading this cache about 0.3 s (docs/benchmarks.md).
 *
 * A result is reused only for the same path, the same bytes and the same
 * parser: the fingerprint hashes this folder's source, the folding table the
 * headings go through, and the lock file (so a dependency upgrade, say of
 * markdown-it, starts a fresh cache). Anything unreadable is treated as an
 * empty cache: it can only cost time, never serve a wrong article.
 *
 * It also remembers which version each file served (resolve-articles.ts), so
 * after a restart a file that broke keeps serving its last good version, and
 * a file that held an id keeps it, exactly as while the service ran.
 *
 * The whole file is rewritten only now and then (a full load, and five
 * seconds after the last edit); each saved edit is appended to a journal
 * first, before it is served (`journal`), so a crash in between loses
 * nothing: edit, break, kill -9, restart serves the good edit (issue 14,
 * item 9). Opening replays the journal over the file; a torn last line is
 * ignored; `save` starts the journal afresh.
 */

const CACHE_FILE = 'parse-cache.json';
const JOURNAL_FILE = 'parse-cache.journal';
const CHUNK_CHARS = 1 << 20;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const FINGERPRINT_SOURCES = [path.join(HERE, '../text/fold.ts'), path.join(HERE, '../../package-lock.json')];

/** A file's parse result, and the version it served when that is not this result's article. */
type Entry = { hash: string; result: ParseResult; servedHash?: string; servedArticle?: Article };
type CacheFile = { fingerprint: string; entries: Record<string, Entry> };

export type ParseCache = {
  /** The parse result of `file` when its text hashes to `hash`. */
  lookup(file: string, hash: string): ParseResult | undefined;
  /** Records what `file` parses to now. */
  store(file: string, hash: string, result: ParseResult): void;
  /** The version `file` served when the cache last learnt it (see `serve`). */
  served(file: string): ServedVersion | undefined;
  /** Records the version `file` serves now, or that it serves nothing. */
  serve(file: string, version: ServedVersion | undefined): void;
  /** Writes the cache when it learnt something since it was read, keeping only `files`. */
  save(files: Iterable<string>): Promise<void>;
  /**
   * Appends what the cache knows now about `files`, and that `gone` are gone,
   * to the journal, and waits until it is written: call it before serving an edit.
   */
  journal(files: Iterable<string>, gone?: Iterable<string>): Promise<void>;
  readonly hits: number;
  readonly misses: number;
};

/** The hash a file's text is known by, here and in the corpus key. */
export function hashSource(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/** Opens the cache in `dataDir`; without one, a cache that remembers nothing across restarts. */
export async function openParseCache(dataDir: string | undefined): Promise<ParseCache> {
  const file = dataDir ? path.join(dataDir, CACHE_FILE) : undefined;
  const fingerprint = await parserFingerprint();
  let entries: Record<string, Entry> = {};
  let replayed: number | undefined;
  if (file && dataDir) {
    await removeStaleTemporaries(dataDir, CACHE_FILE);
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
      if (stored.fingerprint === fingerprint && stored.entries && typeof stored.entries === 'object') {
        entries = stored.entries;
      }
    } catch {
      // missing or damaged: start empty
    }
    replayed = await replayJournal(path.join(path.dirname(file), JOURNAL_FILE), fingerprint, entries);
  }
  let hits = 0;
  let misses = 0;
  // Replayed edits are not in the file yet: the next save writes them, and until then the journal keeps them.
  let dirty = (replayed ?? 0) > 0;
  const journalFile = dataDir ? path.join(dataDir, JOURNAL_FILE) : undefined;
  /** Whether the journal on disk is this cache's (begun with its fingerprint line). */
  let journalled = replayed !== undefined;
  const servedOf = (entry: Entry | undefined): ServedVersion | undefined => {
    if (!entry?.servedHash) return undefined;
    const article = entry.servedHash === entry.hash ? entry.result.article : entry.servedArticle;
    return article ? { article, hash: entry.servedHash } : undefined;
  };
  const setServed = (entry: Entry, version: ServedVersion | undefined) => {
    entry.servedHash = version?.hash;
    entry.servedArticle = version && version.hash !== entry.hash ? version.article : undefined;
  };
  return {
    lookup(name, hash) {
      const entry = entries[name];
      if (entry && entry.hash === hash) {
        hits++;
        return entry.result;
      }
      misses++;
      return undefined;
    },
    store(name, hash, result) {
      const before = entries[name];
      if (before?.hash === hash) return;
      const entry: Entry = { hash, result };
      setServed(entry, servedOf(before));
      entries[name] = entry;
      dirty = true;
    },
    served: (name) => servedOf(entries[name]),
    serve(name, version) {
      const entry = entries[name];
      if (!entry || entry.servedHash === version?.hash) return;
      setServed(entry, version);
      dirty = true;
    },
    async save(files) {
      const keep = new Set(files);
      for (const name of Object.keys(entries)) {
        if (!keep.has(name)) {
          delete entries[name];
          dirty = true;
        }
      }
      if (!file || !dataDir || !dirty) return;
      await mkdir(dataDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        await writeCache(tmp, fingerprint, entries);
        await rename(tmp, file);
      } catch (error) {
        // A full or read-only disk: no half-written file stays behind.
        await rm(tmp, { force: true }).catch(() => undefined);
        throw error;
      }
      // Everything the journal held is in the file now (replaying it again would change nothing).
      await rm(journalFile as string, { force: true });
      journalled = false;
      dirty = false;
    },
    async journal(files, gone = []) {
      for (const name of gone) delete entries[name];
      if (!journalFile || !dataDir) return;
      // Each write starts on a new line: a line an earlier crash cut short stays a line of its own, and is skipped.
      let text = journalled ? '\n' : `${JSON.stringify({ fingerprint })}\n`;
      for (const name of [...files, ...gone]) {
        text += `${JSON.stringify({ file: name, entry: entries[name] ?? null })}\n`;
      }
      await mkdir(dataDir, { recursive: true });
      const handle = await open(journalFile, journalled ? 'a' : 'w');
      try {
        await handle.write(text);
        await handle.datasync();
      } finally {
        await handle.close();
      }
      journalled = true;
    },
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
  };
}

/**
 * Writes the cache as one JSON object, entry by entry in chunks of about a
 * megabyte: never the whole 40 MB string at once (memory), and the event loop
 * gets a turn between chunks.
 */
async function writeCache(target: string, fingerprint: string, entries: Record<string, Entry>): Promise<void> {
  const handle = await open(target, 'w');
  try {
    let chunk = `{"fingerprint":${JSON.stringify(fingerprint)},"entries":{`;
    let first = true;
    for (const [name, entry] of Object.entries(entries)) {
      chunk += `${first ? '' : ','}${JSON.stringify(name)}:${JSON.stringify(entry)}`;
      first = false;
      if (chunk.length > CHUNK_CHARS) {
        await handle.write(chunk);
        chunk = '';
      }
    }
    await handle.write(`${chunk}}}`);
  } finally {
    await handle.close();
  }
}

/**
 * Applies the journal's lines to `entries` (the last line for a file wins)
 * and says how many it applied; undefined when there is no journal of this
 * parser. A line a crash cut short is skipped: that edit was never served.
 */
async function replayJournal(
  journal: string,
  fingerprint: string,
  entries: Record<string, Entry>,
): Promise<number | undefined> {
  const text = await readFile(journal, 'utf8').catch(() => '');
  const lines = text.split('\n');
  try {
    if ((JSON.parse(lines[0] ?? '') as { fingerprint?: string }).fingerprint !== fingerprint) return undefined;
  } catch {
    return undefined;
  }
  let applied = 0;
  for (const line of lines.slice(1)) {
    if (!line) continue;
    let record: { file: string; entry: Entry | null };
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    if (record.entry) entries[record.file] = record.entry;
    else delete entries[record.file];
    applied++;
  }
  return applied;
}

async function parserFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  const own = (await readdir(HERE)).filter((name) => /\.[cm]?[jt]s$/.test(name)).sort();
  for (const source of [...own.map((name) => path.join(HERE, name)), ...FINGERPRINT_SOURCES]) {
    hash.update(source).update(await readFile(source).catch(() => Buffer.alloc(0)));
  }
  return hash.digest('hex');
}
