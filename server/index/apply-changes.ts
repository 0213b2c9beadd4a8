import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Analyzer } from '../analyze/analyzer.js';
import { fold } from '../analyze/fold.js';
import { toSectionDocs } from '../analyze/section-docs.js';
import type { SearchEngine } from '../engine/search-engine.js';
import { isArticlePath } from '../load/load-content.js';
import type { Lexicon } from '../load/load-lexicon.js';
import type { Article } from '../parse/article.js';
import { duplicateId, keptPrevious, type ParsedFile } from '../parse/parse-all.js';
import { parseArticle } from '../parse/parse-article.js';
import type { ParseCache } from '../parse/parse-cache.js';

/** What the incremental stage reads and updates: the knowledge base's live state. */
export type LiveState = {
  contentDir: string;
  engine: SearchEngine;
  analyzer: Analyzer;
  files: Map<string, ParsedFile>;
  byId: Map<string, Article>;
  /** Learns each good edit, so a restart parses less and remembers the last good version. */
  cache?: ParseCache;
};

export type ChangeReport = { upserted: string[]; removed: string[]; broken: string[] };

/**
 * Applies saved, added, renamed or deleted article files to the live state and
 * the engine, one article at a time (discard, then add). A file that no longer
 * parses keeps its last good version serving; a deleted file is removed; a
 * file blocked by a duplicate id is retried once the id is free again.
 *
 * @param files paths relative to the content directory
 */
export async function applyArticleChanges(state: LiveState, files: string[]): Promise<ChangeReport> {
  const report: ChangeReport = { upserted: [], removed: [], broken: [] };
  const freed = new Set<string>();
  for (const file of new Set(files)) await applyOne(state, file, report, freed);
  if (freed.size > 0) {
    // A file that lost a duplicate-id clash may load now.
    const waiting = [...state.files.values()].filter(
      (f) => !f.article && f.diagnostics.some((d) => d.code === 'DUPLICATE_ID'),
    );
    for (const f of waiting) await applyOne(state, f.file, report, new Set());
  }
  return report;
}

async function applyOne(state: LiveState, file: string, report: ChangeReport, freed: Set<string>): Promise<void> {
  const previous = state.files.get(file);
  const text = isArticlePath(file)
    ? await readFile(path.join(state.contentDir, file), 'utf8').catch(() => undefined)
    : undefined;

  if (text === undefined) {
    if (previous?.article) await drop(state, previous.article, report, freed);
    state.files.delete(file);
    return;
  }

  const parsed = parseArticle(file, text);
  state.cache?.store(file, text, parsed);
  const diagnostics = [...parsed.diagnostics];
  let article = parsed.article;
  let source: string | undefined = text;
  if (!article) {
    report.broken.push(file);
    article = previous?.article;
    source = previous?.text;
    if (article) diagnostics.push(keptPrevious(file, article));
  }
  const owner = article ? state.byId.get(article.id) : undefined;
  if (article && owner && owner.file !== file) {
    diagnostics.push(duplicateId(file, article, owner.file));
    report.broken.push(file);
    // The new id is taken: keep serving this file's previous version, if it had one.
    article = previous?.article;
    source = previous?.text;
  }
  if (previous?.article && previous.article.id !== article?.id) await drop(state, previous.article, report, freed);
  if (article && article !== previous?.article) {
    await state.engine.upsertArticle(article.id, toSectionDocs(article, state.analyzer));
    state.byId.set(article.id, article);
    report.upserted.push(article.id);
  }
  state.files.set(file, { file, article, text: article ? source : undefined, diagnostics });
}

async function drop(state: LiveState, article: Article, report: ChangeReport, freed: Set<string>): Promise<void> {
  await state.engine.removeArticle(article.id);
  state.byId.delete(article.id);
  report.removed.push(article.id);
  freed.add(article.id);
}

/**
 * Re-indexes what a lexicon change affects. New stop words change every
 * article; new or removed dictionary and synonym words change the segmentation
 * of the articles that contain them. Synonym expansion itself is query-side.
 */
export async function applyLexiconChange(
  state: LiveState,
  before: Lexicon,
  after: Lexicon,
  analyzer: Analyzer,
): Promise<string[]> {
  const words = (lex: Lexicon) =>
    new Set([...lex.dictionary, ...lex.synonyms.flatMap((r) => [...r.from, ...r.to])].map(fold));
  const stopsChanged = before.stopwords.join('\n') !== after.stopwords.join('\n');
  const [a, b] = [words(before), words(after)];
  const changed = [...a].filter((w) => !b.has(w)).concat([...b].filter((w) => !a.has(w)));
  state.analyzer = analyzer;
  const affected = [...state.byId.values()].filter((article) => {
    if (stopsChanged) return true;
    const text = fold(
      [
        article.title,
        ...article.questions,
        ...article.tags,
        ...article.sections.map((s) => `${s.heading}\n${s.text}`),
      ].join('\n'),
    );
    return changed.some((w) => text.includes(w));
  });
  for (const article of affected) await state.engine.upsertArticle(article.id, toSectionDocs(article, analyzer));
  return affected.map((x) => x.id);
}
