import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import MiniSearch, { type SearchResult } from 'minisearch';
import type { EngineHit, EngineQuery, EngineResult, SearchEngine, SectionDoc } from './search-engine.js';
import { visibilitiesFor } from './search-engine.js';

const SNAPSHOT_VERSION = 1;
const SNAPSHOT_PREFIX = 'embedded-';
const FIELDS = ['title', 'questions', 'heading', 'body', 'grams'] as const;
const STORED = ['articleId', 'anchor', 'kind', 'product', 'category', 'visibility'] as const;
/**
 * Field boosts: a title match outranks a similar-question match, which outranks
 * heading and body. Gram terms only exist in `grams` and carry their own low weights.
 */
const BOOST = { title: 4, questions: 3, heading: 2, body: 1, grams: 1 };
const TERM_SEPARATOR = ' ';
/**
 * A small prior on the section kind: when the title and questions match equally
 * (they are on every section), the one-line answer and the steps are the most
 * useful section to show an agent first.
 */
const KIND_PRIOR: Record<string, number> = { summary: 1.15, steps: 1.1, symptom: 1.05, plain: 0.95, internal: 0.9 };

type Stored = Pick<SectionDoc, (typeof STORED)[number]>;

type Snapshot = {
  version: number;
  key: string;
  articleDocs: Record<string, string[]>;
  index: unknown;
};

/**
 * The embedded engine: MiniSearch in-process. Documents arrive pre-analyzed
 * (terms joined by spaces), so MiniSearch's own tokenizer, which would turn a
 * Chinese sentence into one term, is replaced by a split on the separator.
 */
export function createEmbeddedEngine(options: { dataDir?: string } = {}): SearchEngine {
  let index = newIndex();
  let key: string | undefined;
  let articleDocs = new Map<string, string[]>();

  const snapshotPath = (k: string) =>
    options.dataDir ? path.join(options.dataDir, `${SNAPSHOT_PREFIX}${k.slice(0, 32)}.json`) : undefined;

  async function loadSnapshot(k: string): Promise<boolean> {
    const file = snapshotPath(k);
    if (!file) return false;
    let json: string;
    try {
      json = await readFile(file, 'utf8');
    } catch {
      return false;
    }
    try {
      const snapshot = JSON.parse(json) as Snapshot;
      if (snapshot.version !== SNAPSHOT_VERSION || snapshot.key !== k) return false;
      index = MiniSearch.loadJS(snapshot.index as Parameters<typeof MiniSearch.loadJS>[0], indexOptions());
      articleDocs = new Map(Object.entries(snapshot.articleDocs));
      key = k;
      return true;
    } catch {
      return false; // a corrupt snapshot is rebuilt, never fatal
    }
  }

  async function saveSnapshot(k: string): Promise<void> {
    const file = snapshotPath(k);
    if (!file || !options.dataDir) return;
    await mkdir(options.dataDir, { recursive: true });
    const snapshot: Snapshot = {
      version: SNAPSHOT_VERSION,
      key: k,
      articleDocs: Object.fromEntries(articleDocs),
      index: index.toJSON(),
    };
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(snapshot));
    await rename(tmp, file);
    // Keep only the current snapshot.
    for (const name of await readdir(options.dataDir)) {
      if (name.startsWith(SNAPSHOT_PREFIX) && path.join(options.dataDir, name) !== file && !name.endsWith('.tmp')) {
        await rm(path.join(options.dataDir, name), { force: true });
      }
    }
  }

  const engine: SearchEngine = {
    name: 'embedded',

    async sync(k, produce) {
      if (key === k) return { rebuilt: false };
      if (await loadSnapshot(k)) return { rebuilt: false };
      await engine.replaceAll(k, await produce());
      await saveSnapshot(k);
      return { rebuilt: true };
    },

    async replaceAll(k, docs) {
      // Build aside, then swap the reference: a concurrent search sees old or new, never half.
      const next = newIndex();
      const nextDocs = new Map<string, string[]>();
      next.addAll(docs);
      for (const doc of docs) nextDocs.set(doc.articleId, [...(nextDocs.get(doc.articleId) ?? []), doc.id]);
      index = next;
      articleDocs = nextDocs;
      key = k;
    },

    async commit(k) {
      key = k;
      await saveSnapshot(k);
    },

    async upsertArticle(articleId, docs) {
      await engine.removeArticle(articleId);
      index.addAll(docs);
      articleDocs.set(
        articleId,
        docs.map((d) => d.id),
      );
    },

    async removeArticle(articleId) {
      for (const id of articleDocs.get(articleId) ?? []) index.discard(id);
      articleDocs.delete(articleId);
    },

    async search(query) {
      return searchIndex(index, query);
    },

    async stats() {
      const file = key ? snapshotPath(key) : undefined;
      const sizeBytes = file
        ? await stat(file).then(
            (s) => s.size,
            () => undefined,
          )
        : undefined;
      return { documents: index.documentCount, articles: articleDocs.size, key, sizeBytes };
    },

    async health() {
      return key === undefined ? { ok: false, detail: '索引尚未加载' } : { ok: true };
    },

    async close() {},
  };
  return engine;
}

function indexOptions() {
  return {
    fields: [...FIELDS],
    storeFields: [...STORED],
    idField: 'id',
    extractField: (doc: unknown, field: string) => {
      const d = doc as SectionDoc & Record<string, unknown>;
      const terms = (d.fields as Record<string, string[] | undefined>)[field];
      return terms ? terms.join(TERM_SEPARATOR) : (d[field] as string);
    },
    tokenize: (text: string) => text.split(TERM_SEPARATOR),
    processTerm: (term: string) => term || null,
    autoVacuum: { minDirtCount: 50, minDirtFactor: 0.1, batchSize: 1000, batchWait: 10 },
  };
}

function newIndex(): MiniSearch<SectionDoc> {
  return new MiniSearch<SectionDoc>(indexOptions());
}

function searchIndex(index: MiniSearch<SectionDoc>, query: EngineQuery): EngineResult {
  if (query.terms.length === 0) return { engine: 'embedded', degraded: false, total: 0, hits: [] };
  const weights = new Map(query.terms.map((t) => [t.term, t.weight]));
  const typed = query.terms.filter((t) => t.origin === 'query');
  const lastTyped = query.prefixLast ? typed.at(-1)?.term : undefined;
  const allowed = new Set<string>(visibilitiesFor(query.scope));
  const { product, category } = query.filters;

  const results = index.search(query.terms.map((t) => t.term).join(TERM_SEPARATOR), {
    boost: BOOST,
    boostTerm: (term) => weights.get(term) ?? 1,
    prefix: (term) => term === lastTyped,
    // Edit-distance tolerance only makes sense for Latin words (wifi, router models).
    fuzzy: (term) => (/^[a-z][a-z0-9]{3,}$/.test(term) ? 1 : false),
    weights: { prefix: 0.5, fuzzy: 0.4 },
    boostDocument: (_id, _term, stored) => KIND_PRIOR[String(stored?.kind)] ?? 1,
    filter: (r) => {
      const s = r as SearchResult & Stored;
      return allowed.has(s.visibility) && (!product || s.product === product) && (!category || s.category === category);
    },
  });

  const byArticle = new Map<string, EngineHit & { terms: Set<string> }>();
  for (const r of results as Array<SearchResult & Stored>) {
    const hit = byArticle.get(r.articleId);
    if (hit) {
      for (const t of r.queryTerms) hit.terms.add(t);
      continue;
    }
    // Results arrive best first, so the first section seen is the article's best.
    byArticle.set(r.articleId, {
      articleId: r.articleId,
      score: r.score,
      section: { anchor: r.anchor, kind: r.kind },
      matchedTerms: [],
      terms: new Set(r.queryTerms),
    });
  }
  const grouped = [...byArticle.values()];
  return {
    engine: 'embedded',
    degraded: false,
    total: grouped.length,
    hits: grouped.slice(query.offset, query.offset + query.limit).map(({ terms, ...hit }) => ({
      ...hit,
      matchedTerms: [...terms],
    })),
  };
}
