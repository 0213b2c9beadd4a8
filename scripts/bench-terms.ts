/**
 * What an article with a huge number of distinct words costs the postings
 * index (issue 14, item 6): the time to add it (words in random order, then
 * in code-unit order), the first search after it (prefix expansion reads the
 * sorted term list), and the snapshot size before, with and after it. Figures
 * only, nothing asserted.
 *
 *   npm run bench:terms [-- --words 300000]
 */
import { parseArgs } from 'node:util';
import { createAnalyzer } from '../server/analyze/analyzer.js';
import { toSectionDocs } from '../server/analyze/section-docs.js';
import { type IndexDoc, toIndexDocs } from '../server/engine/embedded/index-docs.js';
import { PostingsIndex } from '../server/engine/embedded/postings-index.js';
import { searchPostings } from '../server/engine/embedded/postings-search.js';
import { encodeSnapshot } from '../server/engine/embedded/snapshot/snapshot-format.js';
import { loadContent } from '../server/load/load-content.js';
import { loadLexicon } from '../server/load/load-lexicon.js';
import { parseAll } from '../server/parse/parse-all.js';
import { createRandom } from './bench/random.js';

const { values: args } = parseArgs({ options: { words: { type: 'string', default: '300000' } } });
const words = Number(args.words);

const lexicon = (await loadLexicon('content')).lexicon;
const analyzer = createAnalyzer(lexicon);
const articles = parseAll(await loadContent('content')).articles;
const base = articles.flatMap((a) => toIndexDocs(toSectionDocs(a, analyzer)));

const random = createRandom(15);
const distinct = Array.from({ length: words }, (_, i) => `w${i.toString(36)}${Math.floor(random.next() * 1e6)}`);
const shuffled = random.sample(distinct, distinct.length);
const inOrder = [...distinct].sort();

const snapshotBytes = (index: PostingsIndex) => encodeSnapshot(index.toSnapshot(), 'bench').length;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

const index = PostingsIndex.build(base);
const before = snapshotBytes(index);
console.log(`示例内容 ${articles.length} 篇，快照 ${mib(before)}；大文章 ${words} 个不同的词`);
console.log('| 词的顺序 | 加入 | 加入后第一次搜索 | 删除 | 含大文章的快照 | 删除后的快照 |');
console.log('|---|---|---|---|---|---|');
for (const [name, list] of [
  ['随机', shuffled],
  ['按码位排序', inOrder],
] as const) {
  const doc = hugeArticle(list);
  let t = performance.now();
  index.add([doc.article, doc.section]);
  const addMs = performance.now() - t;
  t = performance.now();
  searchPostings(index, {
    terms: [{ term: 'w1', weight: 1, origin: 'query', source: 'w1' }],
    prefixLast: true,
    scope: 'agent',
    filters: {},
    limit: 10,
    offset: 0,
  });
  const searchMs = performance.now() - t;
  const withIt = snapshotBytes(index);
  t = performance.now();
  index.removeArticle('huge');
  const removeMs = performance.now() - t;
  const after = snapshotBytes(index);
  console.log(
    `| ${name} | ${seconds(addMs)} | ${seconds(searchMs)} | ${seconds(removeMs)} | ${mib(withIt)} | ${mib(after)} |`,
  );
}

function hugeArticle(list: readonly string[]): { article: IndexDoc; section: IndexDoc } {
  const common = { articleId: 'huge', product: '宽带', category: '故障排查', visibility: 'agent' as const };
  return {
    article: { ...common, id: 'huge#@article', kind: 'article', anchor: 'body', terms: { title: ['巨大'] } },
    section: { ...common, id: 'huge#body', kind: 'plain', anchor: 'body', terms: { body: [...list] } },
  };
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}
