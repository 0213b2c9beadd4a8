/**
 * Writes a knowledge base for the benchmark: N articles in the trainers'
 * Markdown format, one folder per product, plus a copy of content/lexicon.
 * `--kind real` (the bench's default) writes every sentence from real
 * customer questions (../shared/eval/*.json, read now, never copied into the
 * repository); `--kind generated` uses the product vocabulary's templates.
 * Deterministic: the same seed (and question sets) give byte-identical files.
 * With --queries, also writes the load test's rotating queries, one a line.
 *
 *   npm run corpus [-- --kind real --articles 10000 --seed 8 --out data/corpus-real-10000 --queries data/queries.txt]
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCorpus, generateQueries } from './bench/corpus.js';
import { DEFAULT_POOL_DIR, loadQuestionPool } from './bench/question-pool.js';
import { generateRealCorpus, realQueries } from './bench/real-corpus.js';

const { values: args } = parseArgs({
  options: {
    kind: { type: 'string', default: 'real' },
    articles: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '8' },
    out: { type: 'string' },
    pool: { type: 'string' },
    content: { type: 'string', default: 'content' },
    queries: { type: 'string' },
    'query-count': { type: 'string', default: '500' },
  },
});

const articles = Number(args.articles);
const seed = Number(args.seed);
const lexiconDir = path.join(args.content, 'lexicon');
const queryCount = Number(args['query-count']);
const started = performance.now();
let bytes: number;
let outDir: string;
let queries: () => string[];
if (args.kind === 'real') {
  const poolDir = path.resolve(args.pool ?? DEFAULT_POOL_DIR);
  const pool = await loadQuestionPool(poolDir);
  if ('missing' in pool) {
    console.error(`${pool.missing}。用 --pool 指定问题集目录，或用 --kind generated 生成词汇语料。`);
    process.exit(1);
  }
  outDir = args.out ?? `data/corpus-real-${articles}`;
  const result = await generateRealCorpus({ articles, seed, outDir, lexiconDir, pool });
  bytes = result.bytes;
  console.log(
    `真实问句 ${pool.sentences.length} 条（${pool.files.join('、')}），高频词：${result.productWords.join('、')}`,
  );
  queries = () => realQueries(pool, seed, queryCount);
} else if (args.kind === 'generated') {
  outDir = args.out ?? `data/corpus-${articles}`;
  ({ bytes } = await generateCorpus({ articles, seed, outDir, lexiconDir }));
  queries = () => generateQueries(seed, queryCount);
} else {
  console.error(`--kind 只能是 real 或 generated，收到：${args.kind}`);
  process.exit(1);
}
console.log(
  `${articles} 篇文章 → ${outDir}（${(bytes / 1024 / 1024).toFixed(1)} MB，种子 ${seed}，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒）`,
);
if (args.queries) {
  const list = queries();
  await writeFile(args.queries, `${list.join('\n')}\n`);
  console.log(`${list.length} 条查询 → ${args.queries}`);
}
