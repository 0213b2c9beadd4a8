import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Converter } from 'opencc-js';
import { stringify } from 'yaml';
import { type ArticleKind, composeArticle, type Draft, type LinkTarget } from './compose-article.js';
import { createRandom, hash, pickWeighted } from './random.js';
import { DOMAINS, type Domain, SERVICE, TYPOS } from './vocabulary.js';

/** Share of articles written in Traditional script, like the few in content/. */
const TRADITIONAL_SHARE = 0.03;
/** Article kinds and their weights in the corpus. */
const KINDS: Array<[ArticleKind, number]> = [
  ['fault', 45],
  ['process', 20],
  ['faq', 15],
  ['policy', 12],
  ['service', 8],
];
/** Marks a generated corpus; its content is the generator's options. */
export const CORPUS_STAMP = '.corpus.json';
/** Bump when the generator's output changes, so that `npm run bench` regenerates an old corpus. */
const GENERATOR_VERSION = 4;

const toTraditional = Converter({ from: 'cn', to: 'tw' });

export type CorpusOptions = { articles: number; seed: number; outDir: string; lexiconDir: string };

/**
 * Writes a synthetic knowledge base of `articles` Markdown files under
 * `outDir` (one folder per product) and copies the lexicon beside them.
 * Deterministic: the same seed and count give byte-identical files, and the
 * first N articles of a larger corpus are the N articles of a smaller one.
 */
export async function generateCorpus(options: CorpusOptions): Promise<{ files: number; bytes: number }> {
  await rm(options.outDir, { recursive: true, force: true });
  await mkdir(options.outDir, { recursive: true });
  const recent = new Map<string, LinkTarget[]>();
  const dirs = new Set<string>();
  let bytes = 0;
  for (let i = 0; i < options.articles; i++) {
    const r = createRandom(hash(`${options.seed}:article:${i}`));
    const kind = pickWeighted(r, KINDS);
    const domain: Domain | undefined = kind === 'service' ? undefined : r.pick(DOMAINS);
    const prefix = domain?.prefix ?? SERVICE.prefix;
    const dir = domain?.dir ?? SERVICE.dir;
    const audience = r.chance(0.4) ? 'public' : 'internal';
    const earlier = recent.get(prefix) ?? [];
    // A public article links only to public ones (a link to an internal article is dead for customers).
    const targets = audience === 'public' ? earlier.filter((t) => t.audience === 'public') : earlier;
    const link = targets.length > 0 && r.chance(0.35) ? r.pick(targets) : undefined;
    const id = `${prefix}-${kind}-${String(i).padStart(5, '0')}`;
    // Service articles have no domain: composeArticle ignores it for that kind.
    let draft = composeArticle({ r, id, kind, domain: domain ?? (DOMAINS[0] as Domain), audience, link });
    if (r.chance(TRADITIONAL_SHARE)) draft = traditional(draft);
    earlier.push({ id, title: draft.title, audience });
    if (earlier.length > 50) earlier.shift();
    recent.set(prefix, earlier);
    const text = renderArticle(draft);
    if (!dirs.has(dir)) {
      await mkdir(path.join(options.outDir, dir), { recursive: true });
      dirs.add(dir);
    }
    await writeFile(path.join(options.outDir, dir, `${id}.md`), text);
    bytes += Buffer.byteLength(text);
  }
  await cp(options.lexiconDir, path.join(options.outDir, 'lexicon'), { recursive: true });
  await writeFile(path.join(options.outDir, CORPUS_STAMP), `${JSON.stringify(generatedCorpusStamp(options))}\n`);
  return { files: options.articles, bytes };
}

/** What the stamp file of a generated corpus holds: regenerate when any of it differs. */
export function generatedCorpusStamp(options: Pick<CorpusOptions, 'articles' | 'seed'>): Record<string, unknown> {
  return { kind: 'generated', version: GENERATOR_VERSION, articles: options.articles, seed: options.seed };
}

/** Whether `dir` holds a corpus (with its lexicon) whose stamp has every field of `expected`. */
export async function hasCorpus(dir: string, expected: Record<string, unknown>): Promise<boolean> {
  try {
    const names = await readdir(dir);
    if (!names.includes(CORPUS_STAMP) || !names.includes('lexicon')) return false;
    const stamp = JSON.parse(await readFile(path.join(dir, CORPUS_STAMP), 'utf8')) as Record<string, unknown>;
    return Object.entries(expected).every(([key, value]) => stamp[key] === value);
  } catch {
    return false;
  }
}

/**
 * Queries for the load test, built from the same vocabulary as the articles:
 * colloquial sentences, error codes, business processes, keyword pairs, model
 * numbers, pinyin typos and Traditional script, in a shuffled rotation.
 */
export function generateQueries(seed: number, count: number): string[] {
  const r = createRandom(hash(`${seed}:queries`));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const d = r.pick(DOMAINS);
    const device = r.pick(d.devices);
    const symptom = r.pick(d.symptoms);
    const kind = r.int(0, 9);
    let q: string;
    if (kind <= 2) q = r.pick([`${device}${symptom}怎么办`, r.pick(d.talk), `我家${device}${symptom}了`]);
    else if (kind === 3) q = r.pick([r.pick(d.codes), `${device}报${r.pick(d.codes)}`, `错误码 ${r.pick(d.codes)}`]);
    else if (kind === 4) q = r.pick([`${r.pick(d.processes)}要多久`, `怎么${r.pick(d.processes)}`]);
    else if (kind === 5) q = `${device} ${r.pick(d.parts)}`;
    else if (kind === 6) q = `${r.pick(d.series)} ${symptom}`;
    else if (kind === 7) q = toTraditional(r.pick([`${device}${symptom}怎么辦`, r.pick(d.talk)]));
    else if (kind === 8) {
      const [, typo] = r.pick(TYPOS);
      q = `${typo}${r.pick(['坏了', '怎么弄', '多少钱', '没反应'])}`;
    } else q = r.pick([r.pick(d.policies), `${d.product}${r.pick(d.policies)}`, r.pick(SERVICE.topics)]);
    out.push(q);
  }
  return out;
}

/** The article file: YAML front matter (written by the yaml library, so any title is quoted as it must be), then the body. */
export function renderArticle(a: Draft): string {
  const front = {
    id: a.id,
    title: a.title,
    product: a.product,
    category: a.category,
    audience: a.audience,
    questions: a.questions,
    tags: a.tags,
    owner: a.owner,
    ...(a.fault ? { fault: a.fault } : {}),
    updated: a.updated,
    review_by: a.reviewBy,
  };
  return `---\n${stringify(front, { lineWidth: 0 })}---\n\n${a.body}`;
}

/** Traditional-script twin: text fields converted; id, product and category stay as filters expect them. */
function traditional(a: Draft): Draft {
  return {
    ...a,
    title: toTraditional(a.title),
    questions: a.questions.map(toTraditional),
    tags: a.tags.map(toTraditional),
    owner: toTraditional(a.owner),
    body: toTraditional(a.body),
  };
}
