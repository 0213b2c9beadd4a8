import type { EngineHit } from '../engine/search-engine.js';
import type { Article, Section } from '../parse/article.js';
import type { SearchHit, SearchOutcome } from '../search/search.js';
import { type ArticleLink, articleLinks } from './article-links.js';

/**
 * The confidence rule, written down (README "How answers are chosen"):
 * an answer is confident when
 *   1. at least MIN_COVERAGE of the words the user typed (after stop words;
 *      a synonym counts for the word it came from) occur in the top article, and
 *   2. the top article is clearly ahead: its score is at least MIN_LEAD times the
 *      runner-up's, or it covers more of the typed words than the runner-up.
 * Otherwise `confident` is false and a bot should hand over to a person.
 */
export const MIN_COVERAGE = 0.67;
export const MIN_LEAD = 1.1;

export type AnswerCard = {
  articleId: string;
  title: string;
  product: string;
  category: string;
  fault?: Article['fault'];
  stale: boolean;
  updated?: string;
  /** The section that matched best. */
  section: SearchHit['section'];
  summary: string;
  symptom?: string;
  cause?: string;
  steps: string[];
  script?: string;
  escalation?: { text: string; items: string[] };
  /** `kb:` links in the summary, steps and escalation, so pages can link their text. */
  links: ArticleLink[];
};

export type Answer = {
  confident: boolean;
  /** Share of typed words found in the top article, 0..1. */
  coverage: number;
  answer: AnswerCard | null;
  alternatives: SearchHit[];
};

/**
 * Builds the answer card from the best hit: one-line answer, steps, script,
 * cause and escalation, all read from the article's conventional sections
 * (agent scope), plus up to three alternatives and the `confident` flag.
 */
export function composeAnswer(outcome: SearchOutcome, articleOf: (id: string) => Article | undefined): Answer {
  const [top, ...rest] = outcome.hits;
  const article = top && articleOf(top.id);
  if (!top || !article) return { confident: false, coverage: 0, answer: null, alternatives: [] };
  const { confident, coverage } = judgeConfidence(outcome);
  const section = (kind: Section['kind']) => article.sections.find((s) => s.kind === kind);
  const best = article.sections.find((s) => s.anchor === top.section.anchor);
  const summary = section('summary')?.text ?? firstSentence(best?.text ?? article.title);
  const steps = section('steps');
  const escalation = section('escalation');
  return {
    confident,
    coverage,
    answer: {
      articleId: article.id,
      title: article.title,
      product: article.product,
      category: article.category,
      fault: article.fault,
      stale: top.stale,
      updated: article.updated,
      section: top.section,
      summary,
      symptom: section('symptom')?.text,
      cause: section('cause')?.text,
      steps: steps ? (steps.items.length > 0 ? steps.items : steps.text.split('\n')) : [],
      // The words to say, without the section's `::: internal` notes: agents copy this to customers.
      script: section('script')?.publicText || undefined,
      escalation: escalation && { text: escalation.text, items: escalation.items },
      links: articleLinks([section('summary'), steps, escalation]).filter((link) => articleOf(link.articleId)),
    },
    alternatives: rest.slice(0, 3),
  };
}

/** The confidence rule (see MIN_COVERAGE) applied to a search outcome's top hit. */
export function judgeConfidence(outcome: SearchOutcome): { confident: boolean; coverage: number } {
  const [top, runnerUp] = outcome.raw;
  if (!top) return { confident: false, coverage: 0 };
  const coverage = coverageOf(outcome, top);
  const ahead = !runnerUp || top.score >= MIN_LEAD * runnerUp.score || coverage > coverageOf(outcome, runnerUp);
  return { confident: coverage >= MIN_COVERAGE && ahead, coverage: Math.round(coverage * 100) / 100 };
}

/**
 * Share of the typed words found in an article, each word weighted by its
 * length (a single character says less than a word: half weight). A word counts
 * fully when it or one of its synonyms matched. Otherwise it gets partial
 * credit from fuzzy evidence, whichever is larger: up to 0.75 for the pinyin
 * pairs inside it that matched (a homophone typo), up to 0.5 for its characters
 * that matched (a fragment).
 */
function coverageOf(outcome: SearchOutcome, hit: EngineHit | undefined): number {
  const typed = outcome.query.terms.filter((t) => t.origin === 'query' && !t.minor);
  if (!hit || typed.length === 0) return 0;
  const matched = new Set(hit.matchedTerms);
  let covered = 0;
  let total = 0;
  for (const word of typed) {
    const weight = word.term.length > 1 ? 1 : 0.5;
    total += weight;
    const related = outcome.query.terms.filter((t) => t.source === word.term);
    if (related.some((t) => (t.origin === 'query' || t.origin === 'synonym') && matched.has(t.term))) {
      covered += weight;
      continue;
    }
    const sounds = outcome.query.terms.filter((t) => t.origin === 'pinyin' && t.covers?.includes(word.term));
    const expectedSounds = Math.max(1, word.term.length - 1);
    const soundCredit =
      (0.75 * Math.min(expectedSounds, sounds.filter((t) => matched.has(t.term)).length)) / expectedSounds;
    const chars = related.filter((t) => t.origin === 'gram' && t.term.length === 2);
    const charCredit = chars.length > 0 ? (0.5 * chars.filter((t) => matched.has(t.term)).length) / chars.length : 0;
    covered += weight * Math.max(soundCredit, charCredit);
  }
  return covered / total;
}

function firstSentence(text: string): string {
  const match = /^[^。！？!?\n]*[。！？!?]?/.exec(text.trim());
  return (match?.[0] ?? text).trim();
}
