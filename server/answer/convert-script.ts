import { Converter } from 'opencc-js';
import type { Article } from '../parse/article.js';
import type { SearchHit } from '../search/search.js';
import { fold } from '../text/fold.js';
import type { ArticleSectionView } from './article-view.js';
import type { Answer } from './compose-answer.js';

/**
 * Traditional articles shown in Simplified, for the agent console.
 *
 * Display, unlike search folding (text/fold.ts, one character at a time so
 * offsets line up), converts by phrase: opencc's Taiwan-with-phrases table to
 * Mainland Simplified (軟體 → 软件, 記憶體 → 内存, 麼 → 么 but 什么 stays 什么).
 * Only articles written in Traditional are converted: run over Simplified
 * text, the Traditional tables would "correct" characters that are already right.
 */

/** Share of CJK characters that must be Traditional-only for a text to count as written in Traditional. */
const TRADITIONAL_SHARE = 0.1;
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

let convert: ((text: string) => string) | undefined;
const written = new WeakMap<Article, boolean>();

/** Whether an article is written in Traditional characters (title and body), remembered per parsed article. */
export function isTraditional(article: Article): boolean {
  let known = written.get(article);
  if (known === undefined) {
    known = isTraditionalText([article.title, ...article.sections.map((s) => `${s.heading}\n${s.text}`)].join('\n'));
    written.set(article, known);
  }
  return known;
}

/** At least a tenth of the CJK characters are Traditional-only (fold changes them); a quoted word or two is not enough. */
export function isTraditionalText(text: string): boolean {
  const folded = fold(text);
  let cjk = 0;
  let traditional = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (!CJK.test(ch)) continue;
    cjk++;
    if (folded[i] !== ch) traditional++;
  }
  return cjk > 0 && traditional / cjk >= TRADITIONAL_SHARE;
}

/** Phrase-level Traditional → Simplified. The converter (opencc's tables) is built on first use. */
export function toSimplified(text: string): string {
  const converter = convert ?? Converter({ from: 'twp', to: 'cn' });
  convert = converter;
  return converter(text);
}

/** The same for HTML the service rendered or escaped itself: only the text between tags is converted. */
export function toSimplifiedHtml(html: string): string {
  return html.replace(/([^<]+)|(<[^>]*>)/g, (_, text: string | undefined, tag: string | undefined) =>
    text !== undefined ? toSimplified(text) : (tag ?? ''),
  );
}

type ArticleOf = (id: string) => Article | undefined;

/** Whether the article behind a card or view is written in Traditional, and whether this response shows it in Simplified. */
export type ScriptFlags = { traditional: boolean; converted: boolean };

/** Hits of Traditional articles with their title, heading and snippet in Simplified (product and category are filter values: untouched). */
export function simplifyHits(hits: SearchHit[], articleOf: ArticleOf): SearchHit[] {
  return hits.map((hit) => {
    const article = articleOf(hit.id);
    if (!article || !isTraditional(article)) return hit;
    return { ...hit, title: toSimplified(hit.title), section: simplifySection(hit.section) };
  });
}

/**
 * The answer as a response shows it: the card flagged with the script of its
 * article and, with `convert`, the card and alternatives of Traditional
 * articles in Simplified.
 */
export function showAnswer(answer: Answer, articleOf: ArticleOf, convert: boolean) {
  const alternatives = convert ? simplifyHits(answer.alternatives, articleOf) : answer.alternatives;
  const card = answer.answer;
  const article = card && articleOf(card.articleId);
  if (!card || !article)
    return { ...answer, answer: card && { ...card, traditional: false, converted: false }, alternatives };
  const traditional = isTraditional(article);
  if (!convert || !traditional) return { ...answer, answer: { ...card, traditional, converted: false }, alternatives };
  const optional = (text: string | undefined) => (text === undefined ? undefined : toSimplified(text));
  return {
    ...answer,
    alternatives,
    answer: {
      ...card,
      traditional,
      converted: true,
      title: toSimplified(card.title),
      section: simplifySection(card.section),
      summary: toSimplified(card.summary),
      symptom: optional(card.symptom),
      cause: optional(card.cause),
      steps: card.steps.map(toSimplified),
      script: optional(card.script),
      escalation: card.escalation && {
        text: toSimplified(card.escalation.text),
        items: card.escalation.items.map(toSimplified),
      },
      links: card.links.map((link) => ({ ...link, text: toSimplified(link.text) })),
    },
  };
}

/** An article view flagged with its script and, with `convert` and a Traditional article, in Simplified; anchors and links stay as they are. */
export function showArticleView<
  V extends { title: string; questions: string[]; tags: string[]; sections: ArticleSectionView[] },
>(view: V, article: Article, convert: boolean): V & ScriptFlags {
  const traditional = isTraditional(article);
  if (!convert || !traditional) return { ...view, traditional, converted: false };
  return {
    ...view,
    traditional,
    converted: true,
    title: toSimplified(view.title),
    questions: view.questions.map(toSimplified),
    tags: view.tags.map(toSimplified),
    sections: view.sections.map((s) => ({
      ...s,
      heading: toSimplified(s.heading),
      text: toSimplified(s.text),
      items: s.items.map(toSimplified),
      html: toSimplifiedHtml(s.html),
    })),
  };
}

function simplifySection(section: SearchHit['section']): SearchHit['section'] {
  return { ...section, heading: toSimplified(section.heading), snippet: toSimplifiedHtml(section.snippet) };
}
