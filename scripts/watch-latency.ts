/**
 * Time from a saved edit to searchable, with the knowledge base's own watch
 * loop, on a copy of the sample knowledge base. Prints p50/p95/max over N edits.
 *
 *   npm run kb:watch-latency [-- --edits 40]
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createEmbeddedEngine } from '../server/engine/embedded/embedded-engine.js';
import { createKnowledgeBase } from '../server/knowledge-base.js';
import { searchKnowledgeBase } from '../server/search/search.js';

const { values: args } = parseArgs({
  options: { edits: { type: 'string', default: '40' }, content: { type: 'string', default: 'content' } },
});

const dir = await mkdtemp(path.join(tmpdir(), 'kb-watch-'));
try {
  await cp(args.content, dir, { recursive: true });
  const kb = createKnowledgeBase({ contentDir: dir, engine: createEmbeddedEngine() });
  await kb.reload();
  await kb.start({ watch: true });
  const file = path.join(dir, 'broadband/bb-los-red.md');
  const original = await readFile(file, 'utf8');
  const samples: number[] = [];
  for (let i = 0; i < Number(args.edits); i++) {
    const marker = `zqxedit${i}`;
    const started = performance.now();
    await writeFile(file, original.replace('## 一句话答案\n', `## 一句话答案\n${marker} `));
    for (;;) {
      const outcome = await searchKnowledgeBase(kb, { q: marker, scope: 'agent', limit: 1, offset: 0 });
      // Fuzzy matching would find the previous edit's marker: wait for this exact one.
      if (outcome.hits[0]?.section.snippet.includes(marker)) break;
      if (performance.now() - started > 10_000) throw new Error(`edit ${i} not searchable after 10 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
    samples.push(performance.now() - started);
  }
  await kb.close();
  samples.sort((a, b) => a - b);
  const at = (p: number) => Math.round(samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? 0);
  console.log(
    `edit -> searchable over ${samples.length} saves: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
