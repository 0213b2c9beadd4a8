import { writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sleep } from './service.js';

const SUMMARY = '## 一句话答案\n';
const POLL_MS = 10;
const GIVE_UP_MS = 15_000;

/**
 * Time from a saved edit to searchable through the running service: writes a
 * unique marker into an article's one-line answer (as a trainer saving in an
 * editor would), then polls /v1/search until the marker comes back in that
 * article's snippet. Rotates over `files`, and always restores them.
 */
export async function measureEditLatency(options: {
  baseUrl: string;
  contentDir: string;
  /** Article files relative to the content directory, each with a 一句话答案 section. */
  files: string[];
  edits: number;
}): Promise<number[]> {
  const originals = new Map<string, string>();
  for (const file of options.files) originals.set(file, await readFile(path.join(options.contentDir, file), 'utf8'));
  const samples: number[] = [];
  // Interrupted half-way (Ctrl-C), the corpus still gets its articles back.
  const restore = () => {
    for (const [file, text] of originals) writeFileSync(path.join(options.contentDir, file), text);
  };
  process.once('exit', restore);
  try {
    for (let i = 0; i < options.edits; i++) {
      const file = options.files[i % options.files.length] as string;
      const original = originals.get(file) as string;
      // Latin letters stay one term through the analyzer; fixed width so no marker contains another.
      const marker = `zqxedit${String(i).padStart(4, '0')}`;
      const started = performance.now();
      await writeFile(path.join(options.contentDir, file), original.replace(SUMMARY, `${SUMMARY}${marker} `));
      for (;;) {
        const response = await fetch(`${options.baseUrl}/v1/search?q=${marker}&limit=1`);
        const body = (await response.json()) as { hits?: Array<{ section: { snippet: string } }> };
        // Fuzzy matching finds the previous edit's marker too: wait for this exact one.
        if (body.hits?.[0]?.section.snippet.includes(marker)) break;
        if (performance.now() - started > GIVE_UP_MS) throw new Error(`第 ${i + 1} 次编辑 15 秒后仍搜不到`);
        await sleep(POLL_MS);
      }
      samples.push(performance.now() - started);
      // A trainer does not save twice within the watcher's debounce window.
      await sleep(150);
    }
  } finally {
    process.off('exit', restore);
    for (const [file, text] of originals) await writeFile(path.join(options.contentDir, file), text);
  }
  return samples;
}

/**
 * The longest a trivial request (/healthz) waits during `ms` after the last
 * edit: the knowledge base saves its snapshot a few seconds after incremental
 * changes, and anything that blocks the event loop there stalls every search.
 */
export async function measureStall(baseUrl: string, ms: number): Promise<{ maxMs: number; atMs: number }> {
  const started = performance.now();
  let maxMs = 0;
  let atMs = 0;
  while (performance.now() - started < ms) {
    const t = performance.now();
    await fetch(`${baseUrl}/healthz`).then((r) => r.arrayBuffer());
    const took = performance.now() - t;
    if (took > maxMs) {
      maxMs = took;
      atMs = t - started;
    }
    await sleep(20);
  }
  return { maxMs, atMs };
}

/** Simplified articles with a one-line answer, spread over the corpus: the files the edit test rotates over. */
export async function pickEditableFiles(contentDir: string, candidates: string[], n: number): Promise<string[]> {
  const picked: string[] = [];
  const step = Math.max(1, Math.floor(candidates.length / (n * 4)));
  for (let i = 0; i < candidates.length && picked.length < n; i += step) {
    const file = candidates[i] as string;
    if ((await readFile(path.join(contentDir, file), 'utf8')).includes(SUMMARY)) picked.push(file);
  }
  return picked;
}
