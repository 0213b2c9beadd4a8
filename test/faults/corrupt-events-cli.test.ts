import { open } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runGapReportCommand } from '../../server/cli/report-command.js';
import { EVENTS_FILE, openEventLog } from '../../server/events/event-log.js';
import { createMasker } from '../../server/events/mask.js';
import { tempDir } from '../helpers/sample.js';

/**
 * Fault injection: `kb report gaps` (the CLI, which only reads the event log)
 * over a damaged events.sqlite. It used to end with SQLite's stack trace; now
 * it says in Chinese what is wrong and what will happen, exits 1, and leaves
 * the file to the service (which moves it aside itself, see corrupt-events.test.ts).
 */
let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await tmp.cleanup();
});

describe('kb report gaps on a damaged events.sqlite', () => {
  it('explains the damage in Chinese and exits 1', async () => {
    const log = openEventLog({ dataDir: tmp.dir, retentionDays: 90, mask: createMasker(), warn: () => {} });
    log.close();
    const handle = await open(path.join(tmp.dir, EVENTS_FILE), 'r+');
    await handle.write(Buffer.alloc(100, 0x5a), 0, 100, 0);
    await handle.close();

    const printed: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
    const code = await runGapReportCommand({ dataDir: tmp.dir, days: 30, format: 'text' });
    expect(code).toBe(1);
    expect(printed.join('\n')).toContain('已损坏');
    expect(printed.join('\n')).toContain('移到一边');
  });
});
