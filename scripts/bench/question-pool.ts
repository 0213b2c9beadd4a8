import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * Real customer questions, read at bench time from question sets outside the
 * repository (`../shared/eval/*.json`, see its README): the sentences of the
 * realistic corpus and the queries of its load. Nothing read here is ever
 * written into the repository; the corpus lands under data/.
 */

/** The shared set format: `{ articles: [{ id, title }], queries: [{ q, gold }] }`; other keys are ignored. */
const questionSetSchema = z.object({
  articles: z.array(z.object({ title: z.string() })),
  queries: z.array(z.object({ q: z.string() })),
});

/** Longer lines are pasted paragraphs rather than questions; the front matter allows 120 characters a title. */
const MAX_LENGTH = 100;
/** A line starting like Markdown block syntax (heading, quote, list, table, container) would change the article's structure. */
const BLOCK_SYNTAX = /^(?:[#>*+|=-]|\d+[.)]\s|:::)/;

export type QuestionPool = {
  /** Absolute paths of the files read. */
  files: string[];
  /** Distinct cleaned questions (titles and queries of every set), in file order. */
  sentences: string[];
  /** Hash of the sentences: part of the corpus stamp, so a changed pool regenerates the corpus. */
  fingerprint: string;
};

/** Where the shared sets live (DESIGN.md): `../shared/eval` beside the repository. */
export const DEFAULT_POOL_DIR = '../shared/eval';

/**
 * Reads every `*.json` question set in `dir`. Returns the reason instead when
 * there is nothing usable (no folder, no files, no valid set), so the bench
 * can say so and fall back to the generated vocabulary.
 */
export async function loadQuestionPool(dir: string): Promise<QuestionPool | { missing: string }> {
  const names = await readdir(dir).catch(() => undefined);
  if (!names) return { missing: `没有找到真实问题集目录 ${dir}` };
  const files = names
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => path.join(dir, n));
  if (files.length === 0) return { missing: `${dir} 里没有 *.json 问题集` };
  const seen = new Set<string>();
  const sentences: string[] = [];
  const add = (text: string) => {
    const clean = text.replace(/\s+/g, ' ').trim();
    if (clean.length < 2 || clean.length > MAX_LENGTH || BLOCK_SYNTAX.test(clean) || clean.includes('`')) return;
    if (seen.has(clean)) return;
    seen.add(clean);
    sentences.push(clean);
  };
  const used: string[] = [];
  for (const file of files) {
    const parsed = questionSetSchema.safeParse(await readJson(file));
    if (!parsed.success) continue;
    used.push(file);
    for (const a of parsed.data.articles) add(a.title);
    for (const q of parsed.data.queries) add(q.q);
  }
  if (sentences.length === 0)
    return { missing: `${dir} 里的 *.json 都不是问题集格式（articles[].title、queries[].q）` };
  const fingerprint = createHash('sha256').update(sentences.join('\n')).digest('hex').slice(0, 16);
  return { files: used, sentences, fingerprint };
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}
