import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createAnalyzer } from '../../server/analyze/analyzer.js';
import { loadLexicon } from '../../server/load/load-lexicon.js';
import { bullets, numbered, section } from './article-parts.js';
import { type Draft, reviewDates } from './compose-article.js';
import { CORPUS_STAMP, renderArticle } from './corpus.js';
import { SAMPLE_DOMAINS } from './domains-sample.js';
import type { QuestionPool } from './question-pool.js';
import { createRandom, hash, pickWeighted, type Random } from './random.js';
import { CATEGORIES, CLOSERS, type Domain, OPENERS, TIME_LIMITS } from './vocabulary.js';

/**
 * The realistic corpus: articles in the trainers' format whose every title,
 * similar question and body sentence is a real customer question from the
 * pool (question-pool.ts), and whose load queries are real questions from the
 * same pool. Headings, product lines and escalation boilerplate come from the
 * sample content's vocabulary, as a trainer's template would.
 *
 * A real knowledge base names its product on nearly every page (宽带, 光猫,
 * 退款): the pool's most frequent words play that part here, each placed in
 * most articles through a real question that contains it. That is what makes
 * a query's common words cost: their postings cover most of the corpus.
 */

/** How many of the pool's most frequent words are spread over most articles. */
export const PRODUCT_WORDS = 6;
/** Chance that an article holds a given product word (through one more sentence that contains it). */
const PRODUCT_WORD_SHARE = 0.8;
/** Bump when the output changes, so the bench regenerates an old corpus. */
const REAL_CORPUS_VERSION = 1;
const KINDS: Array<[category: string, weight: number]> = [
  [CATEGORIES.fault, 45],
  [CATEGORIES.process, 20],
  [CATEGORIES.faq, 20],
  [CATEGORIES.policy, 15],
];

export type RealCorpusOptions = {
  articles: number;
  seed: number;
  outDir: string;
  lexiconDir: string;
  pool: QuestionPool;
};

/** What the stamp file of a realistic corpus holds: regenerate when any of it differs. */
export function realCorpusStamp(
  options: Pick<RealCorpusOptions, 'articles' | 'seed' | 'pool'>,
): Record<string, unknown> {
  return {
    kind: 'real',
    version: REAL_CORPUS_VERSION,
    articles: options.articles,
    seed: options.seed,
    pool: options.pool.fingerprint,
  };
}

/**
 * Writes `articles` Markdown files under `outDir` (one folder per product
 * line), a copy of the lexicon, and the stamp. Deterministic for a given pool
 * and seed; the first N articles of a larger corpus are those of a smaller one.
 */
export async function generateRealCorpus(
  options: RealCorpusOptions,
): Promise<{ bytes: number; productWords: string[] }> {
  const words = await productWords(options.pool.sentences, path.dirname(options.lexiconDir));
  await rm(options.outDir, { recursive: true, force: true });
  await mkdir(options.outDir, { recursive: true });
  for (const d of SAMPLE_DOMAINS) await mkdir(path.join(options.outDir, d.dir), { recursive: true });
  let bytes = 0;
  for (let i = 0; i < options.articles; i++) {
    const r = createRandom(hash(`${options.seed}:real:${i}`));
    const domain = r.pick(SAMPLE_DOMAINS);
    const id = `${domain.prefix}-q-${String(i).padStart(6, '0')}`;
    const draft = composeRealArticle(r, id, domain, options.pool, words);
    const text = renderArticle(draft);
    await writeFile(path.join(options.outDir, domain.dir, `${draft.id}.md`), text);
    bytes += Buffer.byteLength(text);
  }
  await cp(options.lexiconDir, path.join(options.outDir, 'lexicon'), { recursive: true });
  const stamp = { ...realCorpusStamp(options), productWords: words.map((w) => w.word) };
  await writeFile(path.join(options.outDir, CORPUS_STAMP), `${JSON.stringify(stamp)}\n`);
  return { bytes, productWords: stamp.productWords };
}

/** `count` distinct real questions from the pool, in a seeded order: the load's rotation. */
export function realQueries(pool: QuestionPool, seed: number, count: number): string[] {
  return createRandom(hash(`${seed}:real-queries`)).sample(pool.sentences, count);
}

type ProductWord = { word: string; sentences: string[] };

/**
 * The pool's most frequent words (two characters or more, as the service's
 * own analyzer segments them, stop words dropped), each with the questions
 * that contain it.
 */
async function productWords(sentences: string[], contentDir: string): Promise<ProductWord[]> {
  const analyzer = createAnalyzer((await loadLexicon(contentDir)).lexicon);
  const holders = new Map<string, string[]>();
  for (const s of sentences) {
    for (const term of new Set(analyzer.tokenize(s).map((t) => t.term))) {
      if (term.length < 2 || /^[0-9.]+$/.test(term)) continue;
      const list = holders.get(term) ?? [];
      list.push(s);
      holders.set(term, list);
    }
  }
  return [...holders]
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .slice(0, PRODUCT_WORDS)
    .map(([word, list]) => ({ word, sentences: list }));
}

function composeRealArticle(r: Random, id: string, domain: Domain, pool: QuestionPool, words: ProductWord[]): Draft {
  const q = () => r.pick(pool.sentences);
  const qs = (min: number, max: number) => Array.from({ length: r.int(min, max) }, q);
  const category = pickWeighted(r, KINDS);
  const symptom = qs(2, 3);
  const cause = qs(1, 3);
  const steps = qs(3, 5);
  const held: string[] = [];
  for (const w of words) {
    if (!r.chance(PRODUCT_WORD_SHARE)) continue;
    held.push(w.word);
    r.pick([symptom, cause, steps]).push(r.pick(w.sentences));
  }
  const times = r.sample(TIME_LIMITS, 2);
  const team = r.pick(domain.teams);
  const sections = [
    section('一句话答案', q()),
    section(category === CATEGORIES.fault ? '现象' : '问题描述', bullets(symptom)),
    section('原因', numbered(cause)),
    section(category === CATEGORIES.process ? '办理流程' : '处理步骤', numbered(steps)),
    ...(r.chance(0.2) ? [`::: internal\n${q()}\n:::\n`] : []),
    section('话术', `“${r.pick(OPENERS)}${q()}${r.pick(CLOSERS)}”`),
    section(
      '升级与时效',
      bullets([`转派：${team}，工单类型“${r.pick(domain.tickets)}”；`, `时限：${times[0]}，${times[1]}；`, q()]),
    ),
    ...(r.chance(0.5) ? [section('内部备注', qs(1, 2).join(''))] : []),
  ];
  return {
    id,
    title: q(),
    product: domain.product,
    category,
    audience: r.chance(0.4) ? 'public' : 'internal',
    questions: [...new Set(qs(2, 5))],
    tags: [domain.product, ...held.slice(0, 3)],
    owner: domain.owner,
    ...(category === CATEGORIES.fault ? { fault: r.pick(domain.faults) } : {}),
    ...reviewDates(r),
    body: sections.join('\n'),
  };
}
