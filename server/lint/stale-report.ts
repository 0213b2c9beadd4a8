import type { Article } from '../parse/article.js';
import { fold } from '../text/fold.js';

export type StaleGroup = {
  owner: string;
  articles: Array<{ id: string; title: string; file: string; reviewBy: string; daysOverdue: number }>;
};

/**
 * Articles past their review date, grouped by owner (Traditional and
 * Simplified spellings of a team name are one owner), most overdue first.
 */
export function staleByOwner(articles: Article[], today = new Date().toISOString().slice(0, 10)): StaleGroup[] {
  const groups = new Map<string, StaleGroup>();
  for (const article of articles) {
    if (!article.reviewBy || article.reviewBy >= today) continue;
    const owner = article.owner ?? '（未填写负责人）';
    const key = fold(owner);
    const group = groups.get(key) ?? { owner, articles: [] };
    group.articles.push({
      id: article.id,
      title: article.title,
      file: article.file,
      reviewBy: article.reviewBy,
      daysOverdue: Math.round((Date.parse(today) - Date.parse(article.reviewBy)) / 86_400_000),
    });
    groups.set(key, group);
  }
  for (const group of groups.values()) group.articles.sort((a, b) => b.daysOverdue - a.daysOverdue);
  return [...groups.values()].sort((a, b) => b.articles.length - a.articles.length || a.owner.localeCompare(b.owner));
}
