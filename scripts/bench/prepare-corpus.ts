import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CORPUS_STAMP, generateCorpus, generatedCorpusStamp, generateQueries, hasCorpus } from './corpus.js';
import { loadQuestionPool } from './question-pool.js';
import { generateRealCorpus, realCorpusStamp, realQueries } from './real-corpus.js';

/** `real`: sentences and queries are real customer questions; `generated`: the product vocabulary's templates. */
export type CorpusKind = 'real' | 'generated';

export type PreparedCorpus = {
  kind: CorpusKind;
  dir: string;
  seed: number;
  /** The load's rotating queries. */
  queries: string[];
  /** Why the corpus is not the kind asked for (the question sets were missing). */
  fallback?: string;
  /** For a real corpus: where its questions come from, and the words spread over most articles. */
  pool?: { files: string[]; sentences: number; productWords: string[] };
};

/**
 * The corpus of one bench size: data/corpus-real-N (or data/corpus-N),
 * reused when its stamp matches, else generated. A real corpus needs the
 * shared question sets; without them this says why and falls back to the
 * generated vocabulary. A `dir` of one's own is used as it is, never
 * regenerated (only the queries follow `kind`).
 */
export async function prepareCorpus(options: {
  kind: CorpusKind;
  articles: number;
  seed: number;
  queries: number;
  poolDir: string;
  lexiconDir: string;
  /** An existing content directory to bench instead of a generated corpus. */
  dir?: string;
  log: (text: string) => void;
}): Promise<PreparedCorpus> {
  const { articles, seed, log } = options;
  let fallback: string | undefined;
  if (options.kind === 'real') {
    const pool = await loadQuestionPool(options.poolDir);
    if ('missing' in pool) {
      fallback = `${pool.missing}：改用生成词汇的语料（--corpus-kind generated）`;
      log(fallback);
    } else {
      const dir = options.dir ?? `data/corpus-real-${articles}`;
      if (!options.dir && !(await hasCorpus(dir, realCorpusStamp({ articles, seed, pool })))) {
        log(`生成真实问句语料 ${dir}（${articles} 篇，种子 ${seed}，问句 ${pool.sentences.length} 条）`);
        await generateRealCorpus({ articles, seed, outDir: dir, lexiconDir: options.lexiconDir, pool });
      }
      const stamp = (await readStamp(dir)) as { productWords?: string[] } | undefined;
      return {
        kind: 'real',
        dir,
        seed,
        queries: realQueries(pool, seed, options.queries),
        pool: { files: pool.files, sentences: pool.sentences.length, productWords: stamp?.productWords ?? [] },
      };
    }
  }
  const dir = options.dir ?? `data/corpus-${articles}`;
  if (!options.dir && !(await hasCorpus(dir, generatedCorpusStamp({ articles, seed })))) {
    log(`生成语料 ${dir}（${articles} 篇，种子 ${seed}）`);
    await generateCorpus({ articles, seed, outDir: dir, lexiconDir: options.lexiconDir });
  }
  return { kind: 'generated', dir, seed, queries: generateQueries(seed, options.queries), fallback };
}

async function readStamp(dir: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path.join(dir, CORPUS_STAMP), 'utf8'));
  } catch {
    return undefined;
  }
}
