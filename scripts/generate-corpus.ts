/**
 * Writes a synthetic knowledge base for the benchmark: N articles in the
 * trainers' Markdown format, one folder per product, plus a copy of
 * content/lexicon. Deterministic: the same seed gives byte-identical files.
 * With --queries, also writes the load test's rotating queries, one a line.
 *
 *   npm run corpus [-- --articles 10000 --seed 8 --out data/corpus-10000 --queries data/queries.txt]
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCorpus, generateQueries } from './bench/corpus.js';

const { values: args } = parseArgs({
  options: {
    articles: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '8' },
    out: { type: 'string' },
    content: { type: 'string', default: 'content' },
    queries: { type: 'string' },
    'query-count': { type: 'string', default: '500' },
  },
});

const articles = Number(args.articles);
const seed = Number(args.seed);
const outDir = args.out ?? `data/corpus-${articles}`;
const started = performance.now();
const { files, bytes } = await generateCorpus({
  articles,
  seed,
  outDir,
  lexiconDir: path.join(args.content, 'lexicon'),
});
console.log(
  `${files} 篇文章 → ${outDir}（${(bytes / 1024 / 1024).toFixed(1)} MB，种子 ${seed}，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒）`,
);
if (args.queries) {
  const queries = generateQueries(seed, Number(args['query-count']));
  await writeFile(args.queries, `${queries.join('\n')}\n`);
  console.log(`${queries.length} 条查询 → ${args.queries}`);
}
