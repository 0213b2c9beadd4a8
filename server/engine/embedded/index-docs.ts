import type { SectionDoc, Visibility } from '../../analyze/section-docs.js';
import { SECTION_KINDS, type SectionKind } from '../../parse/article.js';
import { visibilitiesFor } from '../search-engine.js';

/**
 * How the embedded engine lays the corpus out. The port hands over one
 * document per section, each carrying the article's title, questions and
 * grams; indexing those once per section would repeat them in every section's
 * postings. Here each article becomes one ARTICLE document (title, questions,
 * grams) plus one document per SECTION (heading, body), and an article's score
 * is its article document's score plus its best section's.
 */

export const FIELDS = ['title', 'questions', 'grams', 'heading', 'body'] as const;
export type Field = (typeof FIELDS)[number];

/**
 * Field boosts: a title match outranks a similar-question match, which outranks
 * heading and body. Gram and pinyin terms only exist in `grams` and carry their own low weights.
 */
export const FIELD_BOOST: Record<Field, number> = { title: 4, questions: 3, grams: 1, heading: 2, body: 1 };

/**
 * A small prior on the section kind: for equal matches, the one-line answer and
 * the steps are the most useful section to show an agent first.
 */
export const KIND_PRIOR: Partial<Record<SectionKind, number>> = {
  summary: 1.15,
  steps: 1.1,
  symptom: 1.05,
  plain: 0.95,
  internal: 0.9,
};

/** Document kinds as small integers: 0 is the article document, then the section kinds. */
export const DOC_KINDS = ['article', ...SECTION_KINDS] as const;
export type DocKind = (typeof DOC_KINDS)[number];

/** Visibilities as small integers (bit positions in a scope's mask). */
export const VISIBILITY_CODES: Record<Visibility, number> = { all: 0, agent: 1, public: 2 };

export type IndexDoc = {
  id: string;
  articleId: string;
  kind: DocKind;
  /** Section anchor; for the article document, the section to show when only the title matched. */
  anchor: string;
  /** Article document only: the section to show on the public scope. */
  publicAnchor?: string;
  product: string;
  category: string;
  visibility: Visibility;
  terms: Partial<Record<Field, string[]>>;
};

/** Splits port documents into article and section documents (see the file comment). */
export function toIndexDocs(docs: SectionDoc[]): IndexDoc[] {
  const byArticle = new Map<string, SectionDoc[]>();
  for (const doc of docs) {
    const list = byArticle.get(doc.articleId);
    if (list) list.push(doc);
    else byArticle.set(doc.articleId, [doc]);
  }
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

/** Conventional anchors are the section kind (`summary`, `steps`); anything else is a plain section. */
export function kindOfAnchor(anchor: string): SectionKind {
  const kinds: SectionKind[] = ['summary', 'symptom', 'cause', 'steps', 'script', 'escalation', 'internal'];
  return kinds.find((k) => k === anchor) ?? 'plain';
}
