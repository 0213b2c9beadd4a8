/**
 * The section kinds, on their own: the engine thread needs the list but not
 * the heading table in section-kinds.ts, which pulls in the Traditional /
 * Simplified dictionaries (about 85 MB) through fold.
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
