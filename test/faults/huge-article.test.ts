import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../../server/knowledge-base.js';
import { lintContent } from '../../server/lint/lint-content.js';
import { buildTestApp, loadSampleKnowledgeBase } from '../helpers/app.js';
import { article, tempDir, writeContent } from '../helpers/sample.js';

/**
 * Fault injection: a public article grows past the documented limits (a pasted
 * manual, a generated file). The oversized version is rejected with its file
 * and line, and the last good version keeps serving, so anonymous fetches stay
 * as cheap as the good version.
 */
const FIELDS = { id: 'pub-huge', title: '路由器说明书', product: '宽带', category: '使用指南', audience: 'public' };
const FILE = 'public/huge.md';
const GOOD = article(FIELDS, '## 一句话答案\n按复位键十秒恢复出厂设置。');
/** The limits the README documents. */
const LIMITS = { fileBytes: 256 * 1024, sections: 200 };
/** Body line 1 is file line 9 (five front matter fields). */
const BODY_LINE = 9;

const oversized: Array<{ name: string; body: () => string; line: number; message: RegExp }> = [
  {
    name: 'a file over the size limit',
    // 300 lines of about 1 KB: the limit is crossed on line 256 of the file or so.
    body: () => Array.from({ length: 300 }, (_, n) => `## 第${n}段\n${'路由器复位说明'.repeat(48)}`).join('\n'),
    line: -1,
    message: /超过单篇上限 256 KB/,
  },
  {
    name: 'more sections than allowed',
    body: () => Array.from({ length: LIMITS.sections + 5 }, (_, n) => `## 问题${n}\n答案${n}`).join('\n'),
    line: BODY_LINE + 2 * LIMITS.sections,
    message: /超过上限 200 个/,
  },
  {
    name: 'one section longer than allowed',
    body: () => `## 一句话答案\n复位即可。\n## 详细说明\n${'很长的说明。'.repeat(4000)}`,
    line: BODY_LINE + 2,
    message: /段落“详细说明”有 24000 个字符，超过单段上限 20000 个/,
  },
];

let tmp: Awaited<ReturnType<typeof tempDir>>;
let kb: KnowledgeBase;
let app: FastifyInstance;

beforeAll(async () => {
  tmp = await tempDir();
  await writeContent(tmp.dir, { [FILE]: GOOD });
  kb = await loadSampleKnowledgeBase(tmp.dir);
  ({ app } = await buildTestApp({ kb }));
});
afterAll(async () => {
  await app.close();
  await tmp.cleanup();
});

describe.each(oversized)('$name', ({ body, line, message }) => {
  it('is rejected at its line, and the last good version keeps serving', async () => {
    const text = article(FIELDS, body());
    await writeFile(path.join(tmp.dir, FILE), text);
    await kb.applyChanges({ files: [FILE], lexicon: false });

    const problem = kb.diagnostics.find((d) => d.file === FILE && d.code === 'ARTICLE_TOO_LARGE');
    expect(problem, JSON.stringify(kb.diagnostics)).toMatchObject({ severity: 'error', file: FILE });
    expect(problem?.message).toMatch(message);
    expect(problem?.line).toBe(line === -1 ? firstLineOver(text) : line);

    const res = await app.inject({ method: 'GET', url: '/public/v1/articles/pub-huge' });
    expect(res.statusCode).toBe(200);
    expect(res.json().sections.map((s: { text: string }) => s.text)).toEqual(['按复位键十秒恢复出厂设置。']);
    expect(res.body.length).toBeLessThan(2_000);

    const lint = await lintContent(tmp.dir);
    expect(lint.diagnostics.filter((d) => d.code === 'ARTICLE_TOO_LARGE').map((d) => d.line)).toEqual([problem?.line]);
  });
});

it('an article at the limits is accepted', async () => {
  const body = Array.from({ length: LIMITS.sections }, (_, n) => `## 问题${n}\n${'答'.repeat(300)}`).join('\n');
  await writeFile(path.join(tmp.dir, FILE), article(FIELDS, body));
  await kb.applyChanges({ files: [FILE], lexicon: false });
  expect(kb.diagnostics.filter((d) => d.file === FILE && d.severity === 'error')).toEqual([]);
  const res = await app.inject({ method: 'GET', url: '/public/v1/articles/pub-huge' });
  expect(res.json().sections).toHaveLength(LIMITS.sections);
});

/** The 1-based line on which the UTF-8 size of `text` first passes the limit. */
function firstLineOver(text: string): number {
  let bytes = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    bytes += Buffer.byteLength(`${lines[i]}\n`);
    if (bytes > LIMITS.fileBytes) return i + 1;
  }
  return -1;
}
