import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintContent } from '../../server/lint/lint-content.js';
import { buildTestApp, loadSampleKnowledgeBase } from '../helpers/app.js';
import { article, tempDir, writeContent } from '../helpers/sample.js';

type Shape = {
  name: string;
  body: string[];
  secret: string[];
  shown: string[];
  diagnostics: Array<{ code: string; line: number }>;
};

/**
 * Fault injection: internal parts written the ways trainers really write them
 * (a block that runs over a heading, an unclosed block, `::: Internal`,
 * `### 内部备注`, 安抚话术...). Each shape is its own public article on the real
 * app; every public path is probed for its secret words, and kb lint must say
 * where the problem is.
 */
const { shapes } = JSON.parse(readFileSync(new URL('./internal-shapes.json', import.meta.url), 'utf8')) as {
  shapes: Shape[];
};
/** Warnings every shape gets and none is about. */
const GENERIC = new Set(['MISSING_REVIEW_DATE', 'MISSING_SUMMARY', 'EMPTY_SECTION']);
const idOf = (n: number) => `shape-${n + 1}`;

let app: FastifyInstance;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  tmp = await tempDir();
  await writeContent(
    tmp.dir,
    Object.fromEntries(
      shapes.map((shape, n) => [
        `public/${idOf(n)}.md`,
        article(
          { id: idOf(n), title: `路由器问题${n + 1}`, product: '宽带', category: '使用指南', audience: 'public' },
          shape.body.join('\n'),
        ),
      ]),
    ),
  );
  ({ app } = await buildTestApp({ kb: await loadSampleKnowledgeBase(tmp.dir) }));
});
afterAll(async () => {
  await app.close();
  await tmp.cleanup();
});

const get = async (url: string) => (await app.inject({ method: 'GET', url })).body;
const q = encodeURIComponent;

describe.each(shapes.map((shape, n) => ({ ...shape, id: idOf(n) })))('$name', (shape) => {
  it('no public path shows a secret word', async () => {
    const publicArticle = await get(`/public/v1/articles/${shape.id}`);
    const help = await get(`/help/articles/${shape.id}`);
    const responses: Array<[string, string]> = [
      [`/public/v1/articles/${shape.id}`, publicArticle],
      [`/help/articles/${shape.id}`, help],
    ];
    for (const word of [...shape.secret, ...shape.shown]) {
      for (const url of [`/public/v1/search?q=${q(word)}&limit=50`, `/public/v1/suggest?q=${q(word)}&limit=20`]) {
        const { query: _echo, ...rest } = JSON.parse(await get(url));
        responses.push([url, JSON.stringify(rest)]);
      }
    }
    for (const [url, body] of responses) {
      for (const secret of shape.secret) expect(body.includes(secret), `${url} shows ${secret}`).toBe(false);
      expect(body.includes('kb-internal'), `${url} shows an internal block`).toBe(false);
    }
    for (const word of shape.secret.filter((w) => w.startsWith('zqx'))) {
      expect(JSON.parse(await get(`/public/v1/search?q=${q(word)}`)).total, word).toBe(0);
    }
  });

  it('the public parts are still public, and agents see everything', async () => {
    const view = JSON.parse(await get(`/public/v1/articles/${shape.id}`));
    const shownText = view.sections.map((s: { text: string; html: string }) => s.text + s.html).join('\n');
    for (const word of shape.shown) expect(shownText, word).toContain(word);
    const agent = await get(`/v1/articles/${shape.id}`);
    for (const secret of shape.secret) expect(agent, secret).toContain(secret);
  });

  it('kb lint points at the line', async () => {
    const report = await lintContent(tmp.dir);
    const found = report.diagnostics
      .filter((d) => d.file === `public/${shape.id}.md` && !GENERIC.has(d.code))
      .map((d) => ({ code: d.code, line: d.line }));
    expect(found).toEqual(shape.diagnostics);
  });
});
