import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLexicon } from '../../server/load/load-lexicon.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SAMPLE_CONTENT = path.join(ROOT, 'content');

/** The sample knowledge base's lexicon, parsed. */
export function sampleLexicon() {
  const read = (name: string) => readFileSync(path.join(SAMPLE_CONTENT, 'lexicon', name), 'utf8');
  return parseLexicon({
    dictionary: read('dictionary.txt'),
    synonyms: read('synonyms.txt'),
    stopwords: read('stopwords.txt'),
    forbidden: read('forbidden.txt'),
    agentVoice: read('agent-voice.txt'),
  }).lexicon;
}

/** A fresh temp directory, removed by the returned cleanup. */
export async function tempDir(prefix = 'kb-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Copies the sample lexicon into `dir/lexicon` and writes the given articles (path -> text). */
export async function writeContent(dir: string, files: Record<string, string>, withLexicon = true): Promise<void> {
  if (withLexicon) await cp(path.join(SAMPLE_CONTENT, 'lexicon'), path.join(dir, 'lexicon'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
}

/** A minimal valid article. */
export function article(fields: Record<string, string | string[]>, body: string): string {
  const yaml = Object.entries(fields)
    .map(([k, v]) => (Array.isArray(v) ? `${k}:\n${v.map((x) => `  - ${x}`).join('\n')}` : `${k}: ${v}`))
    .join('\n');
  return `---\n${yaml}\n---\n\n${body.trim()}\n`;
}

/** Every third query of the frozen evaluation set (scripts/eval-set.json): realistic text for engine tests. */
export function frozenQueries(): string[] {
  const set = JSON.parse(readFileSync(path.join(ROOT, 'scripts/eval-set.json'), 'utf8')) as {
    queries: Array<{ q: string }>;
  };
  return set.queries.map((x) => x.q).filter((_, i) => i % 3 === 0);
}
