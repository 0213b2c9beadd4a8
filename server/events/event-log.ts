import type Database from 'better-sqlite3';
import { type EventDb, isCorruption, moveAside, openEventDb } from './event-db.js';
import type { Masker } from './mask.js';

export { EVENTS_FILE } from './event-db.js';

export type SearchEvent = {
  /**
   * Who typed it (address + scope), only to collapse search-as-you-type: never stored.
   * Successive queries from one client within TYPING_WINDOW_MS that extend or trim
   * each other (光, 光猫, 光猫亮红灯) are one search, logged as the last one.
   */
  client: string;
  /** The query as typed (masked before it is stored). */
  query: string;
  /** Folded, segmented form: what gap reports group by (masked too). */
  normalized: string;
  scope: 'agent' | 'public';
  route: 'search' | 'answer' | 'suggest';
  resultCount: number;
  topIds: string[];
  /** Whether the top hit would be a confident answer. */
  confident: boolean;
  latencyMs: number;
  engine: string;
  degraded: boolean;
};

export type FeedbackEvent = {
  query: string;
  normalized: string;
  articleId: string;
  helpful: boolean;
  comment?: string;
};

export type EventLog = {
  recordSearch(event: SearchEvent): void;
  recordFeedback(event: FeedbackEvent): void;
  /** Writes whatever is queued now (tests, shutdown). */
  flush(): void;
  /** The database for reports; undefined when the log could not be opened. */
  readonly db: Database.Database | undefined;
  /**
   * Runs a read (a report) on the database. When SQLite finds the file damaged,
   * it is moved aside, a new log is started and the read runs again there.
   * Undefined when there is no database.
   */
  read<T>(query: (db: Database.Database) => T): T | undefined;
  /** Events that could not be written (full or unwritable disk): counted, never thrown. */
  readonly dropped: number;
  close(): void;
};

type Item = { kind: 'search'; e: SearchEvent; at: number } | { kind: 'feedback'; e: FeedbackEvent; at: number };

const FLUSH_EVERY_MS = 250;
const TYPING_WINDOW_MS = 3_000;
const FLUSH_AT = 500;
const DAY_MS = 86_400_000;

/**
 * The search and feedback log in SQLite under the data directory. Requests
 * only push onto an in-memory queue; a timer writes queued events in one
 * transaction, so a slow or failing disk never slows or breaks a search. When
 * the database cannot be opened or written, events are dropped, counted and
 * warned about, and search goes on. A damaged file is moved aside and a new
 * log started (event-db.ts), at start-up or whenever SQLite notices it.
 */
export function openEventLog(options: {
  dataDir: string;
  retentionDays: number;
  mask: Masker;
  warn: (message: string, error?: unknown) => void;
  now?: () => number;
}): EventLog {
  const now = options.now ?? Date.now;
  let dropped = 0;
  const queue: Item[] = [];
  /** The latest search of each client still being typed. */
  const typing = new Map<string, { kind: 'search'; e: SearchEvent; at: number }>();
  let store = openEventDb(options.dataDir, options.warn);

  /** After SQLite reports the file damaged: move it aside and go on in a new one. */
  const recover = (error: unknown): boolean => {
    if (!store || !isCorruption(error)) return false;
    const file = store.db.name;
    store.db.close();
    store = moveAside(file, options.warn) ? openEventDb(options.dataDir, options.warn) : undefined;
    return store !== undefined;
  };
  const writeAll = (items: Item[], into: EventDb) =>
    into.db.transaction(() => {
      for (const item of items) insert(into, item, options.mask);
    })();

  let warnedAt = 0;
  const flush = (all = false) => {
    for (const [client, item] of typing) {
      if (all || now() - item.at >= TYPING_WINDOW_MS) {
        queue.push(item);
        typing.delete(client);
      }
    }
    if (queue.length === 0) return;
    const items = queue.splice(0, queue.length);
    if (!store) {
      dropped += items.length;
      return;
    }
    try {
      try {
        writeAll(items, store);
      } catch (error) {
        if (!recover(error) || !store) throw error;
        writeAll(items, store);
      }
    } catch (error) {
      dropped += items.length;
      if (now() - warnedAt > 60_000) {
        warnedAt = now();
        options.warn(`事件写入失败，已丢弃 ${dropped} 条（磁盘满或不可写？搜索不受影响）`, error);
      }
    }
  };
  const prune = () => {
    try {
      const cutoff = now() - options.retentionDays * DAY_MS;
      store?.db.prepare('DELETE FROM searches WHERE at < ?').run(cutoff);
      store?.db.prepare('DELETE FROM feedback WHERE at < ?').run(cutoff);
    } catch (error) {
      if (!recover(error)) options.warn('清理过期事件失败', error);
    }
  };
  prune();
  const flushTimer = setInterval(() => flush(), FLUSH_EVERY_MS);
  flushTimer.unref();
  const pruneTimer = setInterval(prune, DAY_MS);
  pruneTimer.unref();

  const push = (item: Item) => {
    queue.push(item);
    if (queue.length >= FLUSH_AT) setImmediate(() => flush());
  };
  return {
    recordSearch(e) {
      const item = { kind: 'search' as const, e, at: now() };
      const previous = typing.get(e.client);
      const sameTyping =
        previous &&
        item.at - previous.at < TYPING_WINDOW_MS &&
        (e.query.startsWith(previous.e.query) || previous.e.query.startsWith(e.query));
      if (previous && !sameTyping) push(previous);
      typing.set(e.client, item);
    },
    recordFeedback: (e) => push({ kind: 'feedback', e, at: now() }),
    flush: () => flush(true),
    get db() {
      return store?.db;
    },
    read(query) {
      if (!store) return undefined;
      try {
        return query(store.db);
      } catch (error) {
        if (!recover(error) || !store) throw error;
        return query(store.db);
      }
    },
    get dropped() {
      return dropped;
    },
    close() {
      clearInterval(flushTimer);
      clearInterval(pruneTimer);
      flush(true);
      store?.db.close();
      store = undefined;
    },
  };
}

function insert(store: EventDb, item: Item, mask: Masker): void {
  if (item.kind === 'search') {
    const e = item.e;
    store.insertSearch.run({
      ...e,
      at: item.at,
      query: mask(e.query),
      normalized: mask(e.normalized),
      topIds: JSON.stringify(e.topIds),
      confident: e.confident ? 1 : 0,
      degraded: e.degraded ? 1 : 0,
    });
  } else {
    const e = item.e;
    store.insertFeedback.run({
      at: item.at,
      query: mask(e.query),
      normalized: mask(e.normalized),
      articleId: e.articleId,
      helpful: e.helpful ? 1 : 0,
      comment: e.comment === undefined ? null : mask(e.comment),
    });
  }
}
