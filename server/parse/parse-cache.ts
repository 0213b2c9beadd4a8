import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Article } from './article.js';
import type { ParseResult } from './parse-article.js';

/**
 * Parse results of the last full load, by file and content hash, so that a
 * restart parses only the files that changed: parsing 10,000 articles takes
 * about 3 s, reading this cache about 0.3 s (docs/benchmarks.md).
 *
 * A result is reused only for the same path, the same bytes and the same
 * parser: the fingerprint hashes this folder's source, the folding table the
 * headings go through, and the lock file (so a dependency upgrade, say of
 * markdown-it, starts a fresh cache). Anything unreadable is treated as an
 * empty cache: it can only cost time, never serve a wrong article.
 *
 * It also remembers each file's last good article, so a file that broke (while
 * the service ran, or while it was down) keeps serving that version after a
 * restart, reported as SERVING_PREVIOUS_VERSION, exactly as it does live.
 */

const CACHE_FILE = 'parse-cache.json';
const CHUNK_CHARS = 1 << 20;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const FINGERPRINT_SOURCES = [path.join(HERE, '../analyze/fold.ts'), path.join(HERE, '../../package-lock.json')];

type Entry = { hash: string; result: ParseResult };
type CacheFile = { fingerprint: string; entries: Record<string, Entry> };

export type ParseCache = {
  lookup(file: string, text: string): ParseResult | undefined;
  /**
   * Records a result. A broken result never replaces a good one: the good one
   * is what `lastGood` serves after a restart.
   */
  store(file: string, text: string, result: ParseResult): void;
  /** The file's last good article, whatever the file holds now, with the hash of the text it came from. */
  lastGood(file: string): { article: Article; hash: string } | undefined;
  /** Writes the cache when a lookup missed since it was read, keeping only `files`. */
  save(files: Iterable<string>): Promise<void>;
  readonly hits: number;
  readonly misses: number;
};

/** Opens the cache in `dataDir`; without one, a cache that remembers nothing. */
export async function openParseCache(dataDir: string | undefined): Promise<ParseCache> {
  const file = dataDir ? path.join(dataDir, CACHE_FILE) : undefined;
  const fingerprint = await parserFingerprint();
  let entries: Record<string, Entry> = {};
  if (file) {
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
      if (stored.fingerprint === fingerprint && stored.entries && typeof stored.entries === 'object') {
        entries = stored.entries;
      }
    } catch {
      // missing or damaged: start empty
    }
  }
  let hits = 0;
  let misses = 0;
  let dirty = false;
  return {
    lookup(name, text) {
      const entry = entries[name];
      if (entry && entry.hash === hashOf(text)) {
        hits++;
        return entry.result;
      }
      misses++;
      return undefined;
    },
    store(name, text, result) {
      if (!result.article && entries[name]?.result.article) return;
      entries[name] = { hash: hashOf(text), result };
      dirty = true;
    },
    lastGood(name) {
      const entry = entries[name];
      return entry?.result.article ? { article: entry.result.article, hash: entry.hash } : undefined;
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
      await writeCache(tmp, fingerprint, entries);
      await rename(tmp, file);
      dirty = false;
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

function hashOf(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

async function parserFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  const own = (await readdir(HERE)).filter((name) => /\.[cm]?[jt]s$/.test(name)).sort();
  for (const source of [...own.map((name) => path.join(HERE, name)), ...FINGERPRINT_SOURCES]) {
    hash.update(source).update(await readFile(source).catch(() => Buffer.alloc(0)));
  }
  return hash.digest('hex');
}
