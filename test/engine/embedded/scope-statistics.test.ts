import { crc32 } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Analyzer, createAnalyzer } from '../../../server/analyze/analyzer.js';
import { toSectionDocs } from '../../../server/analyze/section-docs.js';
import { toIndexDocs } from '../../../server/engine/embedded/index-docs.js';
import { FIELD_COUNT, PostingsIndex } from '../../../server/engine/embedded/postings-index.js';
import { searchPostings } from '../../../server/engine/embedded/postings-search.js';
import type { SnapshotParts } from '../../../server/engine/embedded/postings-view.js';
import {
  decodeSnapshot,
  encodeSnapshot,
  readSnapshot,
  SNAPSHOT_FORMAT,
} from '../../../server/engine/embedded/snapshot/snapshot-format.js';
import { type EngineResult, type Scope, visibilitiesFor } from '../../../server/engine/search-engine.js';
import { loadContent } from '../../../server/load/load-content.js';
import type { Article } from '../../../server/parse/article.js';
import { parseAll } from '../../../server/parse/parse-all.js';
import { frozenQueries, SAMPLE_CONTENT, sampleLexicon } from '../../helpers/sample.js';

/**
 * Issue 14, item 3: BM25 statistics shared across scopes let a public caller
 * watch public scores move when internal articles using a word came or went.
 * A public query now counts public documents only.
 */

const QUERIES = frozenQueries();

let analyzer: Analyzer;
let articles: Article[];
/** Internal (agent-only) copies of the first twenty sample articles: they use every word those do. */
let internal: Article[];
const docsOf = (a: Article) => toIndexDocs(toSectionDocs(a, analyzer));
const bulk = (list: Article[]) => PostingsIndex.build(list.flatMap(docsOf));

beforeAll(async () => {
  analyzer = createAnalyzer(sampleLexicon());
  articles = parseAll(await loadContent(SAMPLE_CONTENT)).articles;
  internal = articles.slice(0, 20).map((a) => ({ ...a, id: `internal-${a.id}`, audience: 'internal' }));
});

function run(index: PostingsIndex, q: string, scope: Scope): EngineResult {
  return searchPostings(index, {
    terms: analyzer.analyzeQuery(q).terms,
    prefixLast: true,
    scope,
    filters: {},
    limit: 1000,
    offset: 0,
  });
}

/** Every query's full result, scores unrounded: what a public caller can observe. */
const results = (index: PostingsIndex, scope: Scope) => QUERIES.map((q) => run(index, q, scope));

/**
 * Hits by article with scores rounded, for indexes whose documents were added
 * in another order (float summation order, and the order of equal scores).
 */
const rounded = (list: EngineResult[]) =>
  list.map((r) => ({
    total: r.total,
    hits: Object.fromEntries(r.hits.map((h) => [h.articleId, { ...h, score: h.score.toPrecision(10) }])),
  }));

/** A scope's statistics keyed by term (term numbers differ between indexes), zero rows left out. */
function statsOf(index: PostingsIndex, scope: Scope) {
  const view = index.view();
  const { docs, df, lenSum } = view.stats[scope];
  const byTerm: Record<string, number[]> = {};
  for (const [term, t] of view.termIndex) {
    const row = Array.from({ length: FIELD_COUNT }, (_, f) => df[t * FIELD_COUNT + f] as number);
    if (row.some((n) => n !== 0)) byTerm[term] = row;
  }
  return { docs, lenSum: Array.from({ length: FIELD_COUNT }, (_, f) => lenSum[f]), df: byTerm };
}

describe('per-scope statistics', () => {
  it('adding and removing internal articles leaves every public score and order bit-identical; agent scores move', () => {
    const index = bulk(articles);
    const publicBefore = results(index, 'public');
    const agentBefore = results(index, 'agent');
    expect(publicBefore.filter((r) => r.hits.length > 0).length).toBeGreaterThan(QUERIES.length / 2);

    index.add(internal.flatMap(docsOf)); // delta documents
    expect(results(index, 'public')).toEqual(publicBefore);
    const agentWith = results(index, 'agent');
    const moved = agentWith.filter((r, i) => {
      const before = new Map(agentBefore[i]?.hits.map((h) => [h.articleId, h.score]));
      return r.hits.some((h) => before.has(h.articleId) && before.get(h.articleId) !== h.score);
    });
    expect(moved.length).toBeGreaterThan(QUERIES.length / 2);

    index.compact(); // now in the main segment
    expect(results(index, 'public')).toEqual(publicBefore);
    for (const a of internal.slice(0, 10)) index.removeArticle(a.id);
    expect(results(index, 'public')).toEqual(publicBefore);
    index.add(docsOf(internal[0] as Article));
    for (const a of internal) index.removeArticle(a.id); // main and delta documents
    expect(results(index, 'public')).toEqual(publicBefore);
    index.compact();
    expect(results(index, 'public')).toEqual(publicBefore);
    // With the internal articles gone, agents see what they saw before, too.
    expect(rounded(results(index, 'agent'))).toEqual(rounded(agentBefore));
  });

  it('ranks public queries exactly as an index holding public content only', () => {
    const full = bulk([...articles, ...internal]);
    const publicOnly = PostingsIndex.build(
      articles.flatMap((a) =>
        toIndexDocs(toSectionDocs(a, analyzer).filter((d) => visibilitiesFor('public').includes(d.visibility))),
      ),
    );
    const expected = results(publicOnly, 'public');
    expect(expected.some((r) => r.hits.length > 0)).toBe(true);
    expect(results(full, 'public')).toEqual(expected);
    expect(statsOf(full, 'public')).toEqual(statsOf(publicOnly, 'public'));
    expect(statsOf(full, 'public').docs).toBeLessThan(statsOf(full, 'agent').docs);
  });

  it('stays exact through adds, removals and compactions: equal to a fresh build of the same content', () => {
    const index = bulk(articles.slice(0, 60));
    index.add([...articles.slice(60), ...internal.slice(0, 10)].flatMap(docsOf));
    for (const a of [...articles.slice(10, 20), ...internal.slice(0, 5)]) index.removeArticle(a.id); // main + delta
    index.compact();
    index.add(internal.slice(10).flatMap(docsOf));
    for (const a of [...articles.slice(30, 35), ...internal.slice(15)]) index.removeArticle(a.id);
    // An article that turns internal, and one that turns public again.
    const turned = { ...(articles[40] as Article), audience: 'internal' as const };
    index.removeArticle(turned.id);
    index.add(docsOf(turned));
    const published = { ...(internal[6] as Article), audience: 'public' as const };
    index.removeArticle(published.id);
    index.add(docsOf(published));
    expect(index.deadDocuments).toBeGreaterThan(0);
    expect(index.deltaPostings).toBeGreaterThan(0);

    const content = [
      ...articles.filter((_, i) => (i < 10 || i >= 20) && (i < 30 || i >= 35) && i !== 40),
      turned,
      ...internal.slice(5, 15).map((a) => (a.id === published.id ? published : a)),
    ];
    const fresh = bulk(content);
    for (const state of ['edited', 'compacted'] as const) {
      if (state === 'compacted') index.compact();
      for (const scope of ['agent', 'public'] as const) {
        expect(statsOf(index, scope), `${state} ${scope}`).toEqual(statsOf(fresh, scope));
        expect(rounded(results(index, scope)), `${state} ${scope}`).toEqual(rounded(results(fresh, scope)));
      }
    }
  });
});

describe('per-scope statistics in the snapshot', () => {
  it('round-trips them: public and agent statistics and scores equal after a load, and edits keep them exact', () => {
    const index = bulk([...articles, ...internal.slice(0, 10)]);
    index.removeArticle(internal[0]?.id as string);
    index.removeArticle(articles[3]?.id as string);
    index.add(internal.slice(10).flatMap(docsOf));
    const bytes = encodeSnapshot(index.toSnapshot(), 'key-1');
    const loaded = PostingsIndex.fromSnapshot(decodeSnapshot(bytes, 'key-1') as SnapshotParts);
    for (const scope of ['agent', 'public'] as const) {
      expect(statsOf(loaded, scope)).toEqual(statsOf(index, scope));
      expect(results(loaded, scope)).toEqual(results(index, scope));
    }
    // Internal edits after the load still leave public scores alone.
    const publicBefore = results(loaded, 'public');
    for (const a of internal.slice(10)) loaded.removeArticle(a.id);
    loaded.add(docsOf(internal[0] as Article));
    expect(results(loaded, 'public')).toEqual(publicBefore);
  });

  it('treats a snapshot written before per-scope statistics as stale (rebuilt quietly), not as damaged', () => {
    const bytes = encodeSnapshot(bulk(articles.slice(0, 5)).toSnapshot(), 'key-1');
    expect(readSnapshot(bytes, 'key-1').ok).toBe(true);
    // Format 3, the last one without them: the same arrays minus the public statistics.
    expect(SNAPSHOT_FORMAT).toBeGreaterThan(3);
    const old = rewriteHeader(bytes, (header) => ({
      ...header,
      format: 3,
      arrays: header.arrays.filter((a) => !a.name.startsWith('public')),
    }));
    expect(readSnapshot(old, 'key-1')).toMatchObject({ ok: false, problem: 'stale' });
  });
});

type Header = { format: number; arrays: Array<{ name: string }> };

/** The snapshot with its JSON header edited, the arrays moved along and the checksum recomputed. */
function rewriteHeader(bytes: Buffer, edit: (header: Header) => Header): Buffer {
  const align = (n: number) => Math.ceil(n / 8) * 8;
  const length = bytes.readUInt32LE(4);
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + length)) as Header;
  const json = Buffer.from(JSON.stringify(edit(header)), 'utf8');
  const body = bytes.subarray(align(12 + length));
  const out = Buffer.alloc(align(12 + json.length) + body.length);
  out.write('KBPI', 0, 'latin1');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 12);
  body.copy(out, align(12 + json.length));
  out.writeUInt32LE(crc32(out.subarray(12)), 8);
  return out;
}
