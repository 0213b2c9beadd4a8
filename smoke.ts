import { createEmbeddedEngine } from './server/engine/embedded-engine.js';
import { createKnowledgeBase } from './server/knowledge-base.js';
import { searchKnowledgeBase } from './server/search/search.js';
import { composeAnswer } from './server/answer/compose-answer.js';
import { formatDiagnostic } from './server/diagnostics.js';
const engine = createEmbeddedEngine({ dataDir: '/tmp/kbdata' });
const kb = createKnowledgeBase({ contentDir: './content', engine });
let t = performance.now();
const r = await kb.reload();
console.log('reload', performance.now() - t, r.timings, r.rebuilt, r.articles.length, (await engine.stats()));
for (const d of r.diagnostics) console.log(formatDiagnostic(d));
for (const q of process.argv.slice(2)) {
  const o = await searchKnowledgeBase(kb, { q, scope: 'agent', limit: 3, offset: 0 });
  console.log('\n##', q, o.query.normalized, o.tookMs, 'ms total', o.total);
  for (const h of o.hits) console.log(' ', h.id, h.score, h.section.anchor, h.section.snippet.slice(0, 80));
  const a = composeAnswer(o, (id) => kb.getArticle(id, 'agent'));
  console.log('  confident', a.confident, a.coverage);
}
