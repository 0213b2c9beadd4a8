import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { EVENTS_FILE, type EventLog, openEventLog } from '../../server/events/event-log.js';
import { createMasker } from '../../server/events/mask.js';
import { LOCAL, loadSampleKnowledgeBase } from '../helpers/app.js';
import { article, tempDir, writeContent } from '../helpers/sample.js';

/**
 * Fault injection: `events.sqlite` damaged on disk (a bad sector, a copy cut
 * short, a stray write). The gap report must not answer 503 or 500 for good:
 * the damaged file is moved aside, a new log starts, and the move is logged.
 */
const damages: Array<{ name: string; damage: (file: string) => Promise<void> }> = [
  {
    name: 'a garbled header ("file is not a database", noticed at start-up)',
    damage: (file) => overwrite(file, 0, 100),
  },
  {
    name: 'garbled pages in the middle ("database disk image is malformed", noticed by the report)',
    damage: async (file) => {
      const { size } = await stat(file);
      // Every page but the first two (the header and the schema): tables and indexes.
      await overwrite(file, 4096 * 2, size - 4096 * 3);
    },
  },
];

let tmp: Awaited<ReturnType<typeof tempDir>>;
let events: EventLog | undefined;
let app: FastifyInstance | undefined;
const warnings: string[] = [];

beforeEach(async () => {
  tmp = await tempDir();
  warnings.length = 0;
});
afterEach(async () => {
  await app?.close();
  events?.close();
  await tmp.cleanup();
});

const openLog = () =>
  openEventLog({ dataDir: tmp.dir, retentionDays: 90, mask: createMasker(), warn: (m) => warnings.push(m) });

describe.each(damages)('$name', ({ damage }) => {
  it('the gap report answers from a new log, the damaged file is kept aside, and the move is logged', async () => {
    // A real log with a few thousand searches, closed cleanly, then damaged on disk.
    const before = openLog();
    for (let i = 0; i < 3000; i++) {
      before.recordSearch({ ...SEARCH, client: `c${i}`, query: `光猫红灯第${i}次`, normalized: `光猫 红灯 ${i}` });
    }
    before.close();
    await damage(path.join(tmp.dir, EVENTS_FILE));

    events = openLog();
    const content = path.join(tmp.dir, 'content');
    await writeContent(content, {
      'a.md': article({ id: 'bb-a', title: '光猫红灯', product: '宽带', category: '故障排查' }, '## 答案\n重启光猫。'),
    });
    app = await buildApp({ kb: await loadSampleKnowledgeBase(content), access: LOCAL, events });
    const first = await app.inject({ method: 'GET', url: '/v1/admin/reports/gaps' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().totals.searches).toBe(0);

    const aside = (await readdir(tmp.dir)).filter((f) => f.startsWith(`${EVENTS_FILE}.corrupt-`));
    expect(aside).toHaveLength(1);
    expect(warnings.join('\n')).toContain(`已移到 ${path.join(tmp.dir, aside[0] as string)}`);

    // Recording goes on in the new log.
    await app.inject({ method: 'GET', url: `/v1/search?q=${encodeURIComponent('犀牛打印机')}` });
    const after = await app.inject({ method: 'GET', url: '/v1/admin/reports/gaps' });
    expect(after.json().totals.searches).toBe(1);
    expect(after.json().gaps.map((g: { example: string }) => g.example)).toEqual(['犀牛打印机']);
  });
});

const SEARCH = {
  scope: 'agent' as const,
  route: 'search' as const,
  resultCount: 0,
  topIds: [],
  confident: false,
  latencyMs: 1,
  engine: 'embedded',
  degraded: false,
};

async function overwrite(file: string, offset: number, length: number): Promise<void> {
  const handle = await open(file, 'r+');
  await handle.write(Buffer.alloc(length, 0x5a), 0, length, offset);
  await handle.close();
}
