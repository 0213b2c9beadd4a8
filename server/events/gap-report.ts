import type Database from 'better-sqlite3';

export type GapReport = {
  window: { days: number; since: string };
  totals: { searches: number; confidentShare: number; zeroResultShare: number; feedback: number; unhelpful: number };
  /** Queries with no result or no confident answer, grouped by normalized form. */
  gaps: Array<{
    normalized: string;
    example: string;
    count: number;
    zeroResults: number;
    lastSeen: string;
    scopes: string[];
  }>;
  /** Articles marked unhelpful, with the comments left. */
  unhelpfulArticles: Array<{ articleId: string; unhelpful: number; helpful: number; comments: string[] }>;
  /** Queries whose answer was often marked unhelpful. */
  unhelpfulQueries: Array<{ normalized: string; articleId: string; unhelpful: number; helpful: number }>;
  topQueries: Array<{ normalized: string; example: string; count: number; confidentShare: number }>;
};

const DAY_MS = 86_400_000;

/**
 * What agents and customers asked for and did not find, and which answers
 * did not help, over the last `days` days. Read-only SQL over the event log.
 */
export function buildGapReport(
  db: Database.Database,
  options: { days: number; now?: number; limit?: number },
): GapReport {
  const now = options.now ?? Date.now();
  const since = now - options.days * DAY_MS;
  const limit = options.limit ?? 50;
  const iso = (ms: number) => new Date(ms).toISOString();

  const totals = db
    .prepare(
      `SELECT COUNT(*) AS searches, COALESCE(AVG(confident), 0) AS confidentShare,
              COALESCE(AVG(result_count = 0), 0) AS zeroResultShare
       FROM searches WHERE at >= ? AND route != 'suggest'`,
    )
    .get(since) as { searches: number; confidentShare: number; zeroResultShare: number };
  const fb = db
    .prepare('SELECT COUNT(*) AS feedback, COALESCE(SUM(helpful = 0), 0) AS unhelpful FROM feedback WHERE at >= ?')
    .get(since) as { feedback: number; unhelpful: number };

  const gaps = db
    .prepare(
      `SELECT normalized, MAX(query) AS example, COUNT(*) AS count, SUM(result_count = 0) AS zeroResults,
              MAX(at) AS lastSeen, GROUP_CONCAT(DISTINCT scope) AS scopes
       FROM searches
       WHERE at >= ? AND route != 'suggest' AND (result_count = 0 OR confident = 0) AND normalized != ''
       GROUP BY normalized ORDER BY count DESC, lastSeen DESC LIMIT ?`,
    )
    .all(since, limit) as Array<{
    normalized: string;
    example: string;
    count: number;
    zeroResults: number;
    lastSeen: number;
    scopes: string;
  }>;

  const articles = db
    .prepare(
      `SELECT article_id AS articleId, SUM(helpful = 0) AS unhelpful, SUM(helpful = 1) AS helpful
       FROM feedback WHERE at >= ? GROUP BY article_id HAVING unhelpful > 0
       ORDER BY unhelpful DESC, helpful ASC LIMIT ?`,
    )
    .all(since, limit) as Array<{ articleId: string; unhelpful: number; helpful: number }>;
  const comments = db.prepare(
    `SELECT comment FROM feedback WHERE at >= ? AND article_id = ? AND helpful = 0 AND comment IS NOT NULL AND comment != ''
     ORDER BY at DESC LIMIT 5`,
  );

  const unhelpfulQueries = db
    .prepare(
      `SELECT normalized, article_id AS articleId, SUM(helpful = 0) AS unhelpful, SUM(helpful = 1) AS helpful
       FROM feedback WHERE at >= ? AND normalized != ''
       GROUP BY normalized, article_id HAVING unhelpful >= 1 AND unhelpful >= helpful
       ORDER BY unhelpful DESC LIMIT ?`,
    )
    .all(since, limit) as GapReport['unhelpfulQueries'];

  const topQueries = db
    .prepare(
      `SELECT normalized, MAX(query) AS example, COUNT(*) AS count, AVG(confident) AS confidentShare
       FROM searches WHERE at >= ? AND route != 'suggest' AND normalized != ''
       GROUP BY normalized ORDER BY count DESC LIMIT ?`,
    )
    .all(since, 20) as GapReport['topQueries'];

  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    window: { days: options.days, since: iso(since) },
    totals: {
      searches: totals.searches,
      confidentShare: round(totals.confidentShare),
      zeroResultShare: round(totals.zeroResultShare),
      feedback: fb.feedback,
      unhelpful: fb.unhelpful,
    },
    gaps: gaps.map((g) => ({ ...g, lastSeen: iso(g.lastSeen), scopes: g.scopes.split(',') })),
    unhelpfulArticles: articles.map((a) => ({
      ...a,
      comments: (comments.all(since, a.articleId) as Array<{ comment: string }>).map((c) => c.comment),
    })),
    unhelpfulQueries,
    topQueries: topQueries.map((q) => ({ ...q, confidentShare: round(q.confidentShare) })),
  };
}
