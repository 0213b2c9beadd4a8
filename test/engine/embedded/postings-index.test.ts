import { beforeAll, describe, expect, it } from 'vitest';
import { type Analyzer, createAnalyzer } from '../../../server/analyze/analyzer.js';
import { toSectionDocs } from '../../../server/analyze/section-docs.js';
import { type IndexDoc, toIndexDocs } from '../../../server/engine/embedded/index-docs.js';
import { FIELD_COUNT, PostingsIndex } from '../../../server/engine/embedded/postings-index.js';
import { searchPostings } from '../../../server/engine/embedded/postings-search.js';
import type { SnapshotParts } from '../../../server/engine/embedded/postings-view.js';
import { decodeSnapshot, encodeSnapshot } from '../../../server/engine/embedded/snapshot/snapshot-format.js';
import { withinOneEdit } from '../../../server/engine/embedded/term-expansion.js';
import type { EngineQuery, EngineResult, Scope } from '../../../server/engine/search-engine.js';
import { loadContent } from '../../../server/load/load-content.js';
import type { Article } from '../../../server/parse/article.js';
import { parseAll } from '../../../server/parse/parse-all.js';
import { frozenQueries, SAMPLE_CONTENT, sampleLexicon } from '../../helpers/sample.js';

const QUERIES = frozenQueries();

let analyzer: Analyzer;
let articles: Article[];
const docsOf = (a: Article) => toIndexDocs(toSectionDocs(a, analyzer));

beforeAll(async () => {
  analyzer = createAnalyzer(sampleLexicon());
  articles = parseAll(await loadContent(SAMPLE_CONTENT)).articles;
});

function run(index: PostingsIndex, q: string, scope: Scope, over: Partial<EngineQuery> = {}): EngineResult {
  return searchPostings(index, {
    terms: analyzer.analyzeQuery(q).terms,
    prefixLast: true,
    scope,
    filters: {},
    limit: 1000,
    offset: 0,
    ...over,
  });
}

/** Every hit with its score (rounded against float summation order), section and matched terms. */
function fingerprint(result: EngineResult) {
  return {
    total: result.total,
    hits: Object.fromEntries(
      result.hits.map((h) => [
        h.articleId,
        { score: h.score.toPrecision(10), anchor: h.section.anchor, terms: [...h.matchedTerms].sort() },
      ]),
    ),
  };
}

function bodyDoc(articleId: string, body: string[]): IndexDoc {
  return {
    id: `${articleId}#summary`,
    articleId,
    kind: 'summary',
    anchor: 'summary',
    product: '宽带',
    category: '故障排查',
    visibility: 'all',
    terms: { body },
  };
}

function bulk(list: Article[]): PostingsIndex {
  return PostingsIndex.build(list.flatMap(docsOf));
}

describe('postings index', () => {
  it('ranks the same after edits, removals and re-adds as an index built at once', () => {
    const reference = bulk(articles);
    const edited = new PostingsIndex();
    for (const a of [...articles].reverse()) edited.add(docsOf(a));
    edited.compact();
    // Edits: replace ten articles with other text, remove five, then put every one back as it was.
    const changed = articles.slice(0, 10);
    for (const a of changed) {
      edited.removeArticle(a.id);
      edited.add(docsOf({ ...a, title: `${a.title} 临时改动`, questions: [] }));
    }
    for (const a of articles.slice(20, 25)) edited.removeArticle(a.id);
    for (const a of [...changed, ...articles.slice(20, 25)]) {
      edited.removeArticle(a.id);
      edited.add(docsOf(a));
    }
    expect(edited.deadDocuments).toBeGreaterThan(0);
    expect(edited.deltaPostings).toBeGreaterThan(0);
    for (const scope of ['agent', 'public'] as const) {
      for (const q of QUERIES) {
        expect(fingerprint(run(edited, q, scope)), `${scope}: ${q}`).toEqual(fingerprint(run(reference, q, scope)));
      }
    }
    edited.compact();
    expect(edited.deadDocuments).toBe(0);
    expect(edited.view().docSlots).toBe(reference.view().docSlots);
    for (const q of QUERIES)
      expect(fingerprint(run(edited, q, 'agent')), q).toEqual(fingerprint(run(reference, q, 'agent')));
  });

  it('keeps statistics exact: removing every article leaves no document, frequency or length behind', () => {
    const index = bulk(articles);
    for (const a of articles.slice(0, 30)) index.removeArticle(a.id);
    index.add(articles.slice(0, 30).flatMap(docsOf)); // delta documents, then removed below too
    for (const a of articles) index.removeArticle(a.id);
    const view = index.view();
    expect(view.liveDocs).toBe(0);
    expect(index.liveArticles).toBe(0);
    for (const { docs, df, lenSum } of [view.stats.agent, view.stats.public]) {
      expect(docs).toBe(0);
      expect(Array.from(df).every((n) => n === 0)).toBe(true);
      for (let f = 0; f < FIELD_COUNT; f++) expect(lenSum[f]).toBe(0);
    }
    expect(run(index, '光猫红灯', 'agent')).toMatchObject({ total: 0, hits: [] });
  });

  it('keeps the best offset + limit articles in score order, and counts every match', () => {
    const index = bulk(articles);
    const all = run(index, '宽带 故障 上门', 'agent');
    expect(all.total).toBeGreaterThan(20);
    expect(all.hits).toHaveLength(all.total);
    const scores = all.hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const page = run(index, '宽带 故障 上门', 'agent', { limit: 5, offset: 10 });
    expect(page.total).toBe(all.total);
    expect(page.hits.map((h) => h.articleId)).toEqual(all.hits.slice(10, 15).map((h) => h.articleId));
  });
});

describe('postings snapshot', () => {
  it('round-trips an edited index: same results, and further edits still work', () => {
    const index = bulk(articles);
    index.removeArticle(articles[0]?.id as string);
    index.add(docsOf({ ...(articles[1] as Article), id: 'copy-of-second', title: '复制的文章 蓝鲸' }));
    const bytes = encodeSnapshot(index.toSnapshot(), 'key-1');
    const loaded = PostingsIndex.fromSnapshot(decodeSnapshot(bytes, 'key-1') as SnapshotParts);
    for (const q of [...QUERIES.slice(0, 40), '蓝鲸']) {
      expect(fingerprint(run(loaded, q, 'public')), q).toEqual(fingerprint(run(index, q, 'public')));
    }
    loaded.removeArticle('copy-of-second');
    expect(run(loaded, '蓝鲸', 'agent').total).toBe(0);
    loaded.add(docsOf(articles[0] as Article));
    expect(run(loaded, articles[0]?.title as string, 'agent').hits[0]?.articleId).toBe(articles[0]?.id);
  });

  it('forgets the words of a deleted article: the snapshot shrinks back and the words no longer expand', () => {
    const index = bulk(articles);
    const before = encodeSnapshot(index.toSnapshot(), 'k');
    const termsBefore = index.toSnapshot().terms.length;
    // Words of its own in random order (the case that was quadratic), each unlike any word of the sample content.
    const words = Array.from({ length: 20_000 }, (_, i) => `zq${((i * 7919) % 20_000).toString(36)}x`);
    const huge = (id: string): IndexDoc[] => [
      { ...bodyDoc(id, ['巨型']), id: `${id}#@article`, kind: 'article', terms: { title: ['巨型'] } },
      bodyDoc(id, words),
    ];
    index.add(huge('huge'));
    expect(run(index, 'zq1', 'agent').hits[0]?.articleId).toBe('huge'); // a prefix of its words
    const withIt = encodeSnapshot(index.toSnapshot(), 'k');
    expect(withIt.length).toBeGreaterThan(before.length + 100_000);
    index.removeArticle('huge');
    const after = encodeSnapshot(index.toSnapshot(), 'k');
    // Only the article's slot (an id, its product and category) stays behind.
    expect(after.length).toBeLessThan(before.length + 64);
    expect(index.toSnapshot().terms.length).toBe(termsBefore);
    expect(run(index, 'zq1', 'agent').total).toBe(0);
    const loaded = PostingsIndex.fromSnapshot(decodeSnapshot(after, 'k') as SnapshotParts);
    const reference = bulk(articles);
    for (const q of QUERIES.slice(0, 30)) {
      expect(fingerprint(run(loaded, q, 'agent')), q).toEqual(fingerprint(run(reference, q, 'agent')));
      expect(fingerprint(run(index, q, 'agent')), q).toEqual(fingerprint(run(reference, q, 'agent')));
    }
    // The renumbered index still takes edits: the article comes back, then goes again.
    loaded.add(huge('huge'));
    expect(run(loaded, 'zq1', 'agent').hits[0]?.articleId).toBe('huge');
    loaded.removeArticle('huge');
    loaded.compact();
    expect(run(loaded, 'zq1', 'agent').total).toBe(0);
  });

  it('refuses a snapshot for another key, another format, or a damaged file', () => {
    const bytes = encodeSnapshot(bulk(articles.slice(0, 5)).toSnapshot(), 'key-1');
    expect(decodeSnapshot(bytes, 'key-2')).toBeUndefined();
    expect(decodeSnapshot(Buffer.from('{ not a snapshot'), 'key-1')).toBeUndefined();
    expect(decodeSnapshot(bytes.subarray(0, bytes.length - 100), 'key-1')).toBeUndefined();
  });
});

describe('term expansion', () => {
  const doc = (id: string, body: string[]): IndexDoc => ({
    id: `${id}#summary`,
    articleId: id,
    kind: 'summary',
    anchor: 'summary',
    product: '宽带',
    category: '故障排查',
    visibility: 'all',
    terms: { body },
  });
  const index = new PostingsIndex();
  index.add([doc('router', ['router', '重启']), doc('route', ['routes']), doc('other', ['光猫'])]);
  const query = (term: string, prefixLast: boolean) =>
    searchPostings(index, {
      terms: [{ term, weight: 1, origin: 'query', source: term }],
      prefixLast,
      scope: 'agent',
      filters: {},
      limit: 10,
      offset: 0,
    }).hits.map((h) => h.articleId);

  it('expands the last typed word as a prefix only when asked, exact matches first', () => {
    expect(query('rout', false)).toEqual([]);
    expect(query('rout', true).sort()).toEqual(['route', 'router']);
    expect(query('router', true)[0]).toBe('router');
  });

  it('forgives one edit in Latin words of four letters or more, never in Chinese', () => {
    expect(query('ruoter', false)).toEqual([]); // a transposition is two edits
    expect(query('rauter', false)).toEqual(['router']);
    expect(query('光帽', false)).toEqual([]);
  });

  it.each([
    ['router', 'rauter', true],
    ['router', 'routers', true],
    ['router', 'outer', true],
    ['router', 'ruoter', false],
    ['router', 'router', true],
    ['abc', 'abcde', false],
  ])('withinOneEdit(%s, %s) = %s', (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
  });
});
