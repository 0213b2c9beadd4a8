import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Masker } from './mask.js';

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
  /** Events that could not be written (full or unwritable disk): counted, never thrown. */
  readonly dropped: number;
  close(): void;
};

const FLUSH_EVERY_MS = 250;
const TYPING_WINDOW_MS = 3_000;
const FLUSH_AT = 500;
const DAY_MS = 86_400_000;

export const EVENTS_FILE = 'events.sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS searches (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  query TEXT NOT NULL,
  normalized TEXT NOT NULL,
  scope TEXT NOT NULL,
  route TEXT NOT NULL,
  result_count INTEGER NOT NULL,
  top_ids TEXT NOT NULL,
  confident INTEGER NOT NULL,
  latency_ms REAL NOT NULL,
  engine TEXT NOT NULL,
  degraded INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS searches_at ON searches(at);
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  query TEXT NOT NULL,
  normalized TEXT NOT NULL,
  article_id TEXT NOT NULL,
  helpful INTEGER NOT NULL,
  comment TEXT
);
CREATE INDEX IF NOT EXISTS feedback_at ON feedback(at);
`;

/**
 * The search and feedback log in SQLite under the data directory. Requests
 * only push onto an in-memory queue; a timer writes queued events in one
 * transaction, so a slow or failing disk never slows or breaks a search. When
 * the database cannot be opened or written, events are dropped, counted and
 * warned about, and search goes on.
 */
export function openEventLog(options: {
  dataDir: string;
  retentionDays: number;
  mask: Masker;
  warn: (message: string, error?: unknown) => void;
  now?: () => number;
}): EventLog {
  const now = options.now ?? Date.now;
  let db: Database.Database | undefined;
  let dropped = 0;
  const queue: Array<
    { kind: 'search'; e: SearchEvent; at: number } | { kind: 'feedback'; e: FeedbackEvent; at: number }
  > = [];
  /** The latest search of each client still being typed. */
  const typing = new Map<string, { kind: 'search'; e: SearchEvent; at: number }>();
  try {
    mkdirSync(options.dataDir, { recursive: true });
    db = new Database(path.join(options.dataDir, EVENTS_FILE));
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 2000');
    db.exec(SCHEMA);
  } catch (error) {
    db = undefined;
    options.warn('事件库无法打开，搜索日志和反馈将不会保存（搜索不受影响）', error);
  }

  const insertSearch = db?.prepare(
    `INSERT INTO searches (at, query, normalized, scope, route, result_count, top_ids, confident, latency_ms, engine, degraded)
     VALUES (@at, @query, @normalized, @scope, @route, @resultCount, @topIds, @confident, @latencyMs, @engine, @degraded)`,
  );
  const insertFeedback = db?.prepare(
    `INSERT INTO feedback (at, query, normalized, article_id, helpful, comment)
     VALUES (@at, @query, @normalized, @articleId, @helpful, @comment)`,
  );
  const writeAll = db?.transaction((items: typeof queue) => {
    for (const item of items) {
      if (item.kind === 'search') {
        const e = item.e;
        insertSearch?.run({
          ...e,
          at: item.at,
          query: options.mask(e.query),
          normalized: options.mask(e.normalized),
          topIds: JSON.stringify(e.topIds),
          confident: e.confident ? 1 : 0,
          degraded: e.degraded ? 1 : 0,
        });
      } else {
        const e = item.e;
        insertFeedback?.run({
          at: item.at,
          query: options.mask(e.query),
          normalized: options.mask(e.normalized),
          articleId: e.articleId,
          helpful: e.helpful ? 1 : 0,
          comment: e.comment === undefined ? null : options.mask(e.comment),
        });
      }
    }
  });

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
    if (!writeAll) {
      dropped += items.length;
      return;
    }
    try {
      writeAll(items);
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
      db?.prepare('DELETE FROM searches WHERE at < ?').run(cutoff);
      db?.prepare('DELETE FROM feedback WHERE at < ?').run(cutoff);
    } catch (error) {
      options.warn('清理过期事件失败', error);
    }
  };
  prune();
  const flushTimer = setInterval(() => flush(), FLUSH_EVERY_MS);
  flushTimer.unref();
  const pruneTimer = setInterval(prune, DAY_MS);
  pruneTimer.unref();

  const push = (item: (typeof queue)[number]) => {
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
      return db;
    },
    get dropped() {
      return dropped;
    },
    close() {
      clearInterval(flushTimer);
      clearInterval(pruneTimer);
      flush(true);
      db?.close();
      db = undefined;
    },
  };
}
