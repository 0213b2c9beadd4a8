import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import type { SectionKind } from '../parse/section-kinds.js';
import type { EngineHit, EngineQuery, EngineResult, SectionDoc, Visibility } from './search-engine.js';
import { visibilitiesFor } from './search-engine.js';

/**
 * How the embedded engine lays the corpus out in MiniSearch. The port hands
 * over one document per section, each carrying the article's title, questions
 * and grams; indexing those once per section would repeat them in every
 * section's postings. Here each article becomes one ARTICLE document (title,
 * questions, grams) plus one document per SECTION (heading, body), and an
 * article's score is its article document's score plus its best section's.
 */

const FIELDS = ['title', 'questions', 'grams', 'heading', 'body'] as const;
const STORED = ['articleId', 'kind', 'anchor', 'publicAnchor', 'product', 'category', 'visibility'] as const;
/**
 * Field boosts: a title match outranks a similar-question match, which outranks
 * heading and body. Gram and pinyin terms only exist in `grams` and carry their own low weights.
 */
const BOOST = { title: 4, questions: 3, grams: 1, heading: 2, body: 1 };
const TERM_SEPARATOR = ' ';
/**
 * A small prior on the section kind: for equal matches, the one-line answer and
 * the steps are the most useful section to show an agent first.
 */
const KIND_PRIOR: Partial<Record<SectionKind, number>> = {
  summary: 1.15,
  steps: 1.1,
  symptom: 1.05,
  plain: 0.95,
  internal: 0.9,
};

export type IndexDoc = {
  id: string;
  articleId: string;
  kind: SectionKind | 'article';
  /** Section anchor; for the article document, the section to show when only the title matched. */
  anchor: string;
  /** Article document only: the section to show on the public scope. */
  publicAnchor?: string;
  product: string;
  category: string;
  visibility: Visibility;
  terms: Partial<Record<(typeof FIELDS)[number], string[]>>;
};

type Stored = Pick<IndexDoc, (typeof STORED)[number]>;

export function indexOptions(): Options<IndexDoc> {
  return {
    fields: [...FIELDS],
    storeFields: [...STORED],
    idField: 'id',
    extractField: (doc, field) => {
      const terms = doc.terms[field as (typeof FIELDS)[number]];
      if (terms) return terms.join(TERM_SEPARATOR);
      return (doc as unknown as Record<string, string>)[field] ?? '';
    },
    tokenize: (text) => text.split(TERM_SEPARATOR),
    processTerm: (term) => term || null,
    autoVacuum: { minDirtCount: 50, minDirtFactor: 0.1, batchSize: 1000, batchWait: 10 },
  };
}

export function newIndex(): MiniSearch<IndexDoc> {
  return new MiniSearch<IndexDoc>(indexOptions());
}

/** Splits port documents into article and section documents (see the file comment). */
export function toIndexDocs(docs: SectionDoc[]): IndexDoc[] {
  const byArticle = new Map<string, SectionDoc[]>();
  for (const doc of docs) byArticle.set(doc.articleId, [...(byArticle.get(doc.articleId) ?? []), doc]);
  const out: IndexDoc[] = [];
  for (const [articleId, sections] of byArticle) {
    const first = sections[0] as SectionDoc;
    const visible = (scope: 'agent' | 'public') =>
      sections.filter((s) => visibilitiesFor(scope).includes(s.visibility));
    const pick = (list: SectionDoc[]) => (list.find((s) => s.kind === 'summary') ?? list[0])?.anchor;
    const publicAnchor = pick(visible('public'));
    out.push({
      id: `${articleId}#@article`,
      articleId,
      kind: 'article',
      anchor: pick(visible('agent')) ?? first.anchor,
      publicAnchor,
      product: first.product,
      category: first.category,
      // Title and questions are public exactly when some part of the article is.
      visibility: publicAnchor ? 'all' : 'agent',
      terms: { title: first.fields.title, questions: first.fields.questions, grams: first.fields.grams },
    });
    for (const s of sections) {
      out.push({
        id: s.id,
        articleId,
        kind: s.kind,
        anchor: s.anchor,
        product: s.product,
        category: s.category,
        visibility: s.visibility,
        terms: { heading: s.fields.heading, body: s.fields.body },
      });
    }
  }
  return out;
}

/** Runs a query: scope and filters inside the search, then grouping by article. */
export function searchIndex(index: MiniSearch<IndexDoc>, query: EngineQuery): EngineResult {
  if (query.terms.length === 0) return { engine: 'embedded', degraded: false, total: 0, hits: [] };
  const weights = new Map(query.terms.map((t) => [t.term, t.weight]));
  const supporting = new Set(query.terms.filter((t) => t.supporting).map((t) => t.term));
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
    filter: (r) => {
      const s = r as SearchResult & Stored;
      return allowed.has(s.visibility) && (!product || s.product === product) && (!category || s.category === category);
    },
  }) as Array<SearchResult & Stored>;

  type Group = {
    articleId: string;
    articleScore: number;
    defaultAnchor?: string;
    best?: { score: number; anchor: string; kind: SectionKind };
    terms: Set<string>;
  };
  const groups = new Map<string, Group>();
  for (const r of results) {
    let group = groups.get(r.articleId);
    if (!group) {
      group = { articleId: r.articleId, articleScore: 0, terms: new Set() };
      groups.set(r.articleId, group);
    }
    for (const t of r.queryTerms) group.terms.add(t);
    if (r.kind === 'article') {
      group.articleScore = r.score;
      group.defaultAnchor = query.scope === 'public' ? r.publicAnchor : r.anchor;
      continue;
    }
    // The kind prior applies once per section here, not in MiniSearch's per-term boostDocument.
    const score = r.score * (KIND_PRIOR[r.kind as SectionKind] ?? 1);
    if (!group.best || score > group.best.score) group.best = { score, anchor: r.anchor, kind: r.kind as SectionKind };
  }

  const hits: EngineHit[] = [];
  for (const g of groups.values()) {
    if (![...g.terms].some((t) => !supporting.has(t))) continue; // only chance characters in common
    const section =
      g.best ?? (g.defaultAnchor ? { anchor: g.defaultAnchor, kind: kindOfAnchor(g.defaultAnchor) } : undefined);
    if (!section) continue;
    hits.push({
      articleId: g.articleId,
      score: g.articleScore + (g.best?.score ?? 0),
      section: { anchor: section.anchor, kind: section.kind },
      matchedTerms: [...g.terms],
    });
  }
  hits.sort((a, b) => b.score - a.score);
  return {
    engine: 'embedded',
    degraded: false,
    total: hits.length,
    hits: hits.slice(query.offset, query.offset + query.limit),
  };
}

/** Conventional anchors are the section kind (`summary`, `steps`); anything else is a plain section. */
function kindOfAnchor(anchor: string): SectionKind {
  const kinds: SectionKind[] = ['summary', 'symptom', 'cause', 'steps', 'script', 'escalation', 'internal'];
  return kinds.find((k) => k === anchor) ?? 'plain';
}
