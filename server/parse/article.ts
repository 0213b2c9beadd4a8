import type { FrontMatter } from './front-matter.js';

/**
 * The kinds a section can have (DESIGN.md "Content format"); section-kinds.ts
 * maps headings to them. Kept here, beside the Section type, so the engine
 * thread can import the list without the heading table, which pulls in the
 * Traditional / Simplified dictionaries (about 85 MB) through fold.
 */
export const SECTION_KINDS = [
  'summary',
  'symptom',
  'cause',
  'steps',
  'script',
  'escalation',
  'internal',
  'plain',
] as const;

export type SectionKind = (typeof SECTION_KINDS)[number];

/** One H2 section: the unit that is indexed, ranked and shown as an answer. */
export type Section = {
  /** Stable within the article: the kind for conventional headings (`steps`), else a slug. */
  anchor: string;
  heading: string;
  kind: SectionKind;
  /** 1-based line of the heading in the file (the first body line for the intro). */
  line: number;
  /** The whole section is internal (an 内部备注 section). */
  internal: boolean;
  /** Plain text for agents, blocks separated by newlines. */
  text: string;
  /** Plain text with `::: internal` blocks removed; empty when the section is internal. */
  publicText: string;
  /** Top-level list items (the steps of a steps section), for agents. */
  items: string[];
  publicItems: string[];
  /** Article ids this section links to with `kb:` links; `internal` when inside a `::: internal` block. */
  links: Array<{ id: string; line: number; internal: boolean }>;
  /** The section body as written (heading excluded), for rendering. */
  markdown: string;
  /** 1-based file line where `markdown` starts. */
  markdownLine: number;
};

export type Article = {
  id: string;
  title: string;
  product: string;
  category: string;
  audience: 'internal' | 'public';
  questions: string[];
  tags: string[];
  owner?: string;
  fault?: FrontMatter['fault'];
  updated?: string;
  reviewBy?: string;
  /** Path relative to the content directory, forward slashes. */
  file: string;
  /** Line of each front matter field, for diagnostics raised after parsing. */
  fieldLines: Record<string, number>;
  sections: Section[];
};

/**
 * Whether a section of a public article is shown to customers. Internal
 * sections are not, and neither are 话术 (script) sections: they are the words
 * an agent says on the phone, not self-service content. The single rule the
 * index, the search stage and the article view all use.
 */
export function isPublicSection(section: Section): boolean {
  return !section.internal && section.kind !== 'script' && section.publicText.trim().length > 0;
}

/** Sections a given scope may see (for the public, `::: internal` blocks are removed at render time). */
export function visibleSections(article: Article, scope: 'agent' | 'public'): Section[] {
  if (scope === 'agent') return article.sections;
  return article.audience === 'public' ? article.sections.filter(isPublicSection) : [];
}
