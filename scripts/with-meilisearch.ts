/**
 * Runs a command against a throw-away Meilisearch started from a local binary
 * (MEILI_BIN, or `meilisearch` on PATH): a free loopback port, a temporary
 * database and master key, passed to the command as MEILI_URL and
 * MEILI_MASTER_KEY; stopped and deleted afterwards. Exit code: the command's.
 *
 *   npx tsx scripts/with-meilisearch.ts npm run eval
 *   MEILI_BIN=/path/to/meilisearch npx tsx scripts/with-meilisearch.ts npm run bench -- --engine meilisearch
 */
import { spawn } from 'node:child_process';
import { findMeilisearchBinary, startMeilisearch } from './meili-server.js';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('用法：tsx scripts/with-meilisearch.ts <命令> [参数…]');
  process.exit(2);
}
const binary = findMeilisearchBinary();
if (!binary) {
  console.error('找不到 meilisearch：设置 MEILI_BIN，或把 meilisearch 放进 PATH');
  process.exit(2);
}
const server = await startMeilisearch(binary);
console.log(`[meilisearch] ${binary} 已在 ${server.url} 启动（临时数据库 ${server.dbPath}）`);
const child = spawn(command[0] as string, command.slice(1), {
  stdio: 'inherit',
  env: {
    ...process.env,
    MEILI_URL: server.url,
    MEILI_MASTER_KEY: server.masterKey,
    MEILI_PID: String(server.pid ?? ''),
  },
});
const code = await new Promise<number>((resolve) => child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await server.dispose();
process.exit(code);
