import { staleByOwner } from '../lint/stale-report.js';
import { loadContent } from '../load/load-content.js';
import { parseAll } from '../parse/parse-all.js';

/** Prints the articles past review, grouped by owner. Exit code 0: being stale is a to-do, not a failure. */
export async function runStaleCommand(options: { contentDir: string; format: 'text' | 'json' }): Promise<number> {
  const { articles } = parseAll(await loadContent(options.contentDir));
  const groups = staleByOwner(articles);
  if (options.format === 'json') {
    console.log(JSON.stringify(groups, null, 2));
    return 0;
  }
  if (groups.length === 0) {
    console.log('没有过期待复核的文章。');
    return 0;
  }
  for (const group of groups) {
    console.log(`\n${group.owner}（${group.articles.length} 篇）`);
    for (const a of group.articles) {
      console.log(`  ${a.file}  ${a.title}  复核日期 ${a.reviewBy}，已过 ${a.daysOverdue} 天`);
    }
  }
  return 0;
}
