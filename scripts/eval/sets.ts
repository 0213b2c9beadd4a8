import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** One query to judge: `expected` is empty for a question the knowledge base should not answer. */
export type EvalQuery = { q: string; kind: string; expected: string[] };

export type EvalSet = {
  /** Short name printed in the tables: the file name without `.json`. */
  name: string;
  file: string;
  /** The frozen set runs against the sample content; an external set against its own articles. */
  external: boolean;
  contentDir: string;
  queries: EvalQuery[];
  /** Removes the content folder built for an external set. */
  dispose(): Promise<void>;
};

type FrozenFile = { queries: Array<{ q: string; kind: string; expected: string[] }> };
/** The format of `../shared/eval/*.json`: one article per real question, each query a paraphrase of one. */
type ExternalFile = {
  source?: string;
  articles: Array<{ id: string; title: string }>;
  queries: Array<{ q: string; gold: string[] }>;
};

/**
 * Reads an evaluation set in either format. An external set becomes a content
 * folder of one-line articles (the question as title and as the one-line
 * answer), so it goes through the same parser, analyzer and engine as real
 * content.
 */
export async function loadEvalSet(file: string, sampleContent: string): Promise<EvalSet> {
  const data = JSON.parse(await readFile(file, 'utf8')) as FrozenFile | ExternalFile;
  const name = path.basename(file, '.json');
  if (!('articles' in data)) {
    return { name, file, external: false, contentDir: sampleContent, queries: data.queries, dispose: async () => {} };
  }
  const dir = await mkdtemp(path.join(tmpdir(), `kb-eval-${name}-`));
  await Promise.all(data.articles.map((a) => writeFile(path.join(dir, `${a.id}.md`), articleMarkdown(a))));
  return {
    name,
    file,
    external: true,
    contentDir: dir,
    queries: data.queries.map((x) => ({ q: x.q, kind: 'real', expected: x.gold })),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

function articleMarkdown(article: { id: string; title: string }): string {
  // JSON strings are valid YAML double-quoted scalars: no title can break the front matter.
  return [
    '---',
    `id: ${article.id}`,
    `title: ${JSON.stringify(article.title.slice(0, 120))}`,
    'product: 评测',
    'category: 评测',
    'audience: public',
    '---',
    '',
    '## 一句话答案',
    article.title,
    '',
  ].join('\n');
}
