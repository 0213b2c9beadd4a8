import type { Analyzer } from '../analyze/analyzer.js';
import { toSectionDocs } from '../analyze/section-docs.js';
import type { SearchEngine } from '../engine/search-engine.js';
import type { Lexicon } from '../load/load-lexicon.js';
import type { Article } from '../parse/article.js';
import { fold } from '../text/fold.js';

export type IndexChanges = {
  /** Articles (re)indexed because they are new or changed. */
  upserted: string[];
  removed: string[];
  /** Articles re-analysed because the lexicon changed how their text is segmented. */
  lexiconReindexed: string[];
};

/**
 * Brings the engine from the articles served `before` to those served
 * `after`, one article at a time (discard, then add): new and changed articles
 * (articles are immutable, so a changed one is a new object) are upserted,
 * gone ones removed. When the lexicon changed, the articles it affects are
 * re-analysed too: new stop words change every article; new or removed
 * dictionary and synonym words change the segmentation of the articles that
 * contain them. Synonym expansion itself is query-side.
 */
export async function updateIndex(
  engine: SearchEngine,
  before: Map<string, Article>,
  after: Map<string, Article>,
  analyzer: Analyzer,
  lexicon?: { before: Lexicon; after: Lexicon },
): Promise<IndexChanges> {
  const changes: IndexChanges = { upserted: [], removed: [], lexiconReindexed: [] };
  if (lexicon) engine.setLexicon(lexicon.after);
  for (const id of before.keys()) {
    if (after.has(id)) continue;
    await engine.removeArticle(id);
    changes.removed.push(id);
  }
  const affected = lexicon ? affectedBy(lexicon.before, lexicon.after, after.values()) : new Set<string>();
  for (const [id, article] of after) {
    const changed = before.get(id) !== article;
    if (!changed && !affected.has(id)) continue;
    await engine.upsertArticle(id, toSectionDocs(article, analyzer));
    if (changed) changes.upserted.push(id);
  }
  changes.lexiconReindexed = [...affected];
  return changes;
}

function affectedBy(before: Lexicon, after: Lexicon, articles: Iterable<Article>): Set<string> {
  const words = (lex: Lexicon) =>
    new Set([...lex.dictionary, ...lex.synonyms.flatMap((r) => [...r.from, ...r.to])].map(fold));
  const stopsChanged = before.stopwords.join('\n') !== after.stopwords.join('\n');
  const [a, b] = [words(before), words(after)];
  const changed = [...a].filter((w) => !b.has(w)).concat([...b].filter((w) => !a.has(w)));
  const affected = new Set<string>();
  for (const article of articles) {
    if (stopsChanged) {
      affected.add(article.id);
      continue;
    }
    const text = fold(
      [
        article.title,
        ...article.questions,
        ...article.tags,
        ...article.sections.map((s) => `${s.heading}\n${s.text}`),
      ].join('\n'),
    );
    if (changed.some((w) => text.includes(w))) affected.add(article.id);
  }
  return affected;
}
