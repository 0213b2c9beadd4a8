import type { Article, Section } from '../parse/article.js';
import type { SearchHit, SearchOutcome } from '../search/search.js';
import { type ArticleLink, articleLinks } from './article-links.js';
import { type Confidence, judgeConfidence } from './confidence.js';

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

export type Answer = Confidence & {
  /** Nothing covers the query well enough: no card, only loosely related `alternatives`. */
  noGoodMatch: boolean;
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
  const judged = judgeConfidence(outcome);
  if (!top || !article) return { ...judged, noGoodMatch: true, answer: null, alternatives: [] };
  if (outcome.noGoodMatch)
    return { ...judged, noGoodMatch: true, answer: null, alternatives: outcome.hits.slice(0, 3) };
  const section = (kind: Section['kind']) => article.sections.find((s) => s.kind === kind);
  const best = article.sections.find((s) => s.anchor === top.section.anchor);
  const summary = section('summary')?.text ?? firstSentence(best?.text ?? article.title);
  const steps = section('steps');
  const escalation = section('escalation');
  return {
    ...judged,
    noGoodMatch: false,
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

function firstSentence(text: string): string {
  const match = /^[^。！？!?\n]*[。！？!?]?/.exec(text.trim());
  return (match?.[0] ?? text).trim();
}
