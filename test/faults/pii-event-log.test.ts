import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { EVENTS_FILE, openEventLog } from '../../server/events/event-log.js';
import { createMasker } from '../../server/events/mask.js';
import { LOCAL, loadSampleKnowledgeBase } from '../helpers/app.js';
import { article, tempDir, writeContent } from '../helpers/sample.js';

/**
 * Fault injection: customers and agents type personal data in every shape
 * (test/events/pii-shapes.json) into searches, answers, type-ahead and feedback
 * comments, on both scopes. Afterwards no column of events.sqlite, and no byte
 * of the file, holds a run of seven or more digits.
 */
const { mask: rows } = JSON.parse(readFileSync(new URL('../events/pii-shapes.json', import.meta.url), 'utf8')) as {
  mask: Array<[input: string, masked: string]>;
};

let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(async () => {
  await tmp.cleanup();
});

it('no personal number reaches the event log, from any route', async () => {
  const content = path.join(tmp.dir, 'content');
  await writeContent(content, {
    'a.md': article(
      { id: 'bb-a', title: '光猫红灯', product: '宽带', category: '故障排查', audience: 'public' },
      '## 答案\n重启光猫。',
    ),
  });
  const events = openEventLog({ dataDir: tmp.dir, retentionDays: 90, mask: createMasker(), warn: () => {} });
  const app = await buildApp({ kb: await loadSampleKnowledgeBase(content), access: LOCAL, events });
  let n = 0;
  // A client address per request, so search-as-you-type collapsing keeps every one.
  const get = (url: string) => app.inject({ method: 'GET', url, remoteAddress: `10.0.${n >> 8}.${n++ & 255}` });
  for (const [input] of rows) {
    const q = encodeURIComponent(input);
    for (const url of [`/v1/search?q=${q}`, `/v1/answer?q=${q}`, `/public/v1/search?q=${q}`]) {
      expect((await get(url)).statusCode, url).toBe(200);
    }
    const res = await app.inject({
      method: 'POST',
      url: '/v1/feedback',
      payload: { query: input, articleId: 'bb-a', helpful: false, comment: `没帮助，${input}` },
    });
    expect(res.statusCode).toBe(202);
  }
  await app.close();
  events.close();

  const db = new Database(path.join(tmp.dir, EVENTS_FILE), { readonly: true });
  const stored = [
    ...(db.prepare('SELECT query, normalized FROM searches').all() as Array<Record<string, string>>),
    ...(db.prepare('SELECT query, normalized, comment FROM feedback').all() as Array<Record<string, string>>),
  ];
  db.close();
  expect(stored.length).toBeGreaterThanOrEqual(rows.length * 3);
  for (const row of stored) {
    for (const text of Object.values(row)) expect(digitRuns(text), text).toEqual([]);
  }
  // The queries are stored as masked text, so the gap report still reads like what was asked.
  expect(stored.map((r) => r.query)).toContain('客户说卡号[卡号]扣了两次，回电[手机号]');
  const raw = (await readFile(path.join(tmp.dir, EVENTS_FILE))).toString('latin1');
  expect(raw.match(/\d{7,}/g) ?? []).toEqual([]);
});

/** Runs of 7+ digits, reading full-width digits as digits and ignoring separators between them. */
function digitRuns(text: string): string[] {
  const ascii = text.normalize('NFKC').replace(/(\d)[\s.\-－—–]+(?=\d)/g, '$1');
  return ascii.match(/\d{7,}/g) ?? [];
}
