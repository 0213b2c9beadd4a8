import MiniSearch from 'minisearch';
import nodejieba from 'nodejieba';
import { HAN } from '../../server/analyze/fuzzy-terms.js';
import { DEFAULT_STOPWORDS } from '../../server/analyze/stopwords.js';
import type { Article } from '../../server/parse/article.js';
import { fold } from '../../server/text/fold.js';

/**
 * The two lexical baselines every change is judged against: a plain MiniSearch
 * (BM25, OR of terms, title boosted) over the same articles and the same
 * folding, with nothing of kb's ranking. One tokenizes into character bigrams,
 * one with jieba cutForSearch and the built-in stop words.
 */
export type Baseline = { name: string; search(q: string): string[] };

const RUN = /[a-z0-9]+(?:[.][a-z0-9]+)*|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
const stopwords = new Set(DEFAULT_STOPWORDS.map(fold));

function bigrams(text: string): string[] {
  const out: string[] = [];
  for (const [run] of fold(text).matchAll(RUN)) {
    if (!HAN.test(run) || run.length === 1) out.push(run);
    else for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}

function jiebaWords(text: string): string[] {
  const out: string[] = [];
  for (const [run] of fold(text).matchAll(RUN)) {
    if (!HAN.test(run)) out.push(run);
    else for (const w of nodejieba.cutForSearch(run, false)) if (!stopwords.has(w)) out.push(w);
  }
  return out;
}

export function buildBaselines(articles: Article[]): Baseline[] {
  return [
    { name: 'MiniSearch + jieba', tokenize: jiebaWords },
    { name: 'MiniSearch bigrams', tokenize: bigrams },
  ].map(({ name, tokenize }) => {
    const index = new MiniSearch<{ id: string; title: string; questions: string; body: string }>({
      fields: ['title', 'questions', 'body'],
      tokenize,
      processTerm: (t) => t,
      searchOptions: { boost: { title: 2 }, combineWith: 'OR' },
    });
    index.addAll(
      articles.map((a) => ({
        id: a.id,
        title: a.title,
        questions: a.questions.join('\n'),
        body: a.sections.map((s) => `${s.heading}\n${s.text}`).join('\n'),
      })),
    );
    return { name, search: (q: string) => index.search(q).map((r) => String(r.id)) };
  });
}
