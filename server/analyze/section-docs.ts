import { type Article, isPublicSection, type Section, type SectionKind } from '../parse/article.js';
import type { Analyzer } from './analyzer.js';

/**
 * Which scopes may match a document. A public article's section whose public
 * text differs from its agent text (it has `::: internal` blocks) is indexed
 * twice: once `agent` (full text) and once `public` (redacted text).
 */
export type Visibility = 'all' | 'agent' | 'public';

/** One indexed section, fully analyzed: engines never segment text themselves. */
export type SectionDoc = {
  /** `articleId#anchor`, with `~public` appended for the redacted public variant. */
  id: string;
  articleId: string;
  anchor: string;
  kind: SectionKind;
  product: string;
  category: string;
  visibility: Visibility;
  /**
   * Analyzed terms per field, in field-boost order (title > questions > heading > body);
   * `grams` holds character grams of the title, questions and tags, matched at a low weight.
   */
  fields: { title: string[]; questions: string[]; heading: string[]; body: string[]; grams: string[] };
};

/**
 * Turns one article into the documents an engine indexes: one per section,
 * carrying the article's title, similar questions and tags so that a section
 * can be found by what the whole article is about.
 *
 * Scope is decided here, once: sections of internal articles, internal
 * sections and scripts are `agent` only (see `isPublicSection`); a public section with `::: internal` blocks is
 * indexed twice, the full text for agents and the redacted text for the public.
 */
export function toSectionDocs(article: Article, analyzer: Analyzer): SectionDoc[] {
  const title = analyzer.indexTerms(article.title);
  const questions = analyzer.indexTerms([...article.questions, ...article.tags].join('\n'));
  const articleGrams = analyzer.gramTerms([article.title, ...article.questions, ...article.tags].join('\n'));
  const docs: SectionDoc[] = [];
  const push = (section: Section, visibility: Visibility, text: string, suffix = '') => {
    docs.push({
      id: `${article.id}#${section.anchor}${suffix}`,
      articleId: article.id,
      anchor: section.anchor,
      kind: section.kind,
      product: article.product,
      category: article.category,
      visibility,
      fields: {
        title,
        questions,
        heading: analyzer.indexTerms(section.heading),
        body: analyzer.indexTerms(text),
        grams: articleGrams,
      },
    });
  };
  for (const section of article.sections) {
    if (article.audience === 'internal' || !isPublicSection(section)) {
      push(section, 'agent', section.text);
    } else if (section.publicText === section.text) {
      push(section, 'all', section.text);
    } else {
      push(section, 'agent', section.text);
      push(section, 'public', section.publicText, '~public');
    }
  }
  return docs;
}
