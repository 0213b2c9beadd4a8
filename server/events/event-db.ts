import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

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

/** The open database of the event log, with its insert statements. */
export type EventDb = {
  db: Database.Database;
  insertSearch: Database.Statement;
  insertFeedback: Database.Statement;
};

type Warn = (message: string, error?: unknown) => void;

/**
 * Opens (or creates) `events.sqlite` in `dataDir`. A file SQLite reports as
 * damaged ("file is not a database", "database disk image is malformed") is
 * moved aside with its WAL, warned about, and a new empty log is started: the
 * log is a record of searches, and losing it must not stop recording (or the
 * gap report) for good. Undefined when even a new file cannot be opened (a
 * read-only or full disk): the caller then drops events and says so.
 */
export function openEventDb(dataDir: string, warn: Warn): EventDb | undefined {
  const file = path.join(dataDir, EVENTS_FILE);
  try {
    mkdirSync(dataDir, { recursive: true });
    return openFile(file);
  } catch (error) {
    if (isCorruption(error)) {
      const moved = moveAside(file, warn);
      if (moved) {
        try {
          return openFile(file);
        } catch (again) {
          warn('新建事件库失败，搜索日志和反馈将不会保存（搜索不受影响）', again);
          return undefined;
        }
      }
    }
    warn('事件库无法打开，搜索日志和反馈将不会保存（搜索不受影响）', error);
    return undefined;
  }
}

/**
 * Moves a damaged event database and its WAL and shared-memory files aside
 * (`events.sqlite.corrupt-<time>`, kept for whoever wants to look) so a new
 * one can start. Returns the new name, or undefined when the move failed.
 */
export function moveAside(file: string, warn: Warn): string | undefined {
  const target = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
    }
  } catch (error) {
    warn(`事件库已损坏，且无法移到 ${target}：搜索日志和反馈将不会保存（搜索不受影响）`, error);
    return undefined;
  }
  warn(`事件库已损坏，已移到 ${target}，并新建了一个空的事件库（之前的搜索记录不在新库里）`);
  return target;
}

/** Whether SQLite says the file itself is damaged (as opposed to a full disk or a lock). */
export function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'));
}

function openFile(file: string): EventDb {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 2000');
    db.exec(SCHEMA);
    return {
      db,
      insertSearch: db.prepare(
        `INSERT INTO searches (at, query, normalized, scope, route, result_count, top_ids, confident, latency_ms, engine, degraded)
         VALUES (@at, @query, @normalized, @scope, @route, @resultCount, @topIds, @confident, @latencyMs, @engine, @degraded)`,
      ),
      insertFeedback: db.prepare(
        `INSERT INTO feedback (at, query, normalized, article_id, helpful, comment)
         VALUES (@at, @query, @normalized, @articleId, @helpful, @comment)`,
      ),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
