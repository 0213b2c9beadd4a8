import { Command, InvalidArgumentError, Option } from 'commander';
import { type Config, loadConfig } from '../config.js';
import { isKbError } from '../errors.js';
import { runIndexCommand } from './index-command.js';
import { runLintCommand } from './lint-command.js';
import { runPreviewCommand } from './preview-command.js';
import { runGapReportCommand } from './report-command.js';
import { runSearchCommand } from './search-command.js';
import { runStaleCommand } from './stale-command.js';

/** Trainer CLI: `npm run kb -- <command>`. Calls the same stage functions as the HTTP routes. */
const program = new Command('kb')
  .description('客服知识库命令行工具（给培训与知识管理人员）')
  .showHelpAfterError('(用 --help 查看用法)');

const defaults = () => loadConfig();
/** `index` and `search` use the configured engine (KB_ENGINE, MEILI_URL), as the service does. */
const engineOf = (config: Config) => ({
  engine: config.engine,
  meiliUrl: config.meiliUrl,
  meiliMasterKey: config.meiliMasterKey,
  meiliIndex: config.meiliIndex,
});

// `kb lint | head`: once the reader has gone, the rest of the output has nowhere to go. Stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

program
  .command('index')
  .description('读取内容目录，建立（或从快照加载）搜索索引，并报告内容问题')
  .option('-c, --content <dir>', '内容目录（默认 KB_CONTENT_DIR 或 ./content）')
  .option('-d, --data <dir>', '索引快照目录（默认 KB_DATA_DIR 或 ./data）')
  .option('-f, --force', '忽略快照，强制全部重建')
  .action(async (opts: { content?: string; data?: string; force?: boolean }) => {
    const config = defaults();
    process.exitCode = await runIndexCommand({
      ...engineOf(config),
      contentDir: opts.content ?? config.contentDir,
      dataDir: opts.data ?? config.dataDir,
      force: opts.force ?? false,
    });
  });

program
  .command('search')
  .description('在命令行里搜索，和坐席接口 /v1/search 结果一致')
  .argument('<query...>', '搜索内容')
  .option('-c, --content <dir>', '内容目录')
  .option('-d, --data <dir>', '索引快照目录')
  .option('--product <name>', '只看某个产品')
  .option('--category <name>', '只看某个分类')
  .option('--public', '用公开范围搜索（客户能看到的内容）')
  .option('-n, --limit <n>', '最多显示几条', (v) => positiveInt(v), 5)
  .addOption(new Option('--format <format>', '输出格式').choices(['text', 'json']).default('text'))
  .action(async (words: string[], opts) => {
    const config = defaults();
    process.exitCode = await runSearchCommand({
      ...engineOf(config),
      query: words.join(' '),
      contentDir: opts.content ?? config.contentDir,
      dataDir: opts.data ?? config.dataDir,
      product: opts.product,
      category: opts.category,
      scope: opts.public ? 'public' : 'agent',
      limit: opts.limit,
      format: opts.format,
    });
  });

program
  .command('lint')
  .description('检查文章：front matter、结构、重复 id、词库；有错误时退出码非 0')
  .argument('[dir]', '内容目录（默认 KB_CONTENT_DIR 或 ./content）')
  .addOption(new Option('--format <format>', '输出格式').choices(['text', 'json']).default('text'))
  .action(async (dir: string | undefined, opts: { format: 'text' | 'json' }) => {
    process.exitCode = await runLintCommand({ contentDir: dir ?? defaults().contentDir, format: opts.format });
  });

program
  .command('stale')
  .description('列出已过复核日期的文章，按负责人分组')
  .argument('[dir]', '内容目录（默认 KB_CONTENT_DIR 或 ./content）')
  .addOption(new Option('--format <format>', '输出格式').choices(['text', 'json']).default('text'))
  .action(async (dir: string | undefined, opts: { format: 'text' | 'json' }) => {
    process.exitCode = await runStaleCommand({ contentDir: dir ?? defaults().contentDir, format: opts.format });
  });

program
  .command('preview')
  .description('把一篇文章渲染成 HTML 预览：左边是坐席看到的，右边是客户看到的')
  .argument('<file>', '文章文件路径')
  .option('-c, --content <dir>', '内容目录（用来判断链接）')
  .option('-d, --data <dir>', '数据目录，预览默认写到其中的 previews/（默认 KB_DATA_DIR 或 ./data）')
  .option('-o, --out <file>', '输出文件（默认 <数据目录>/previews/<文章文件名>.html）')
  .action(async (file: string, opts: { content?: string; data?: string; out?: string }) => {
    const config = defaults();
    process.exitCode = await runPreviewCommand({
      file,
      contentDir: opts.content ?? config.contentDir,
      dataDir: opts.data ?? config.dataDir,
      out: opts.out,
    });
  });

program
  .command('report')
  .description('报告：gaps = 坐席和客户搜了却没找到的内容、被标记没帮助的答案')
  .argument('<name>', '报告名称，目前只有 gaps')
  .option('-d, --data <dir>', '数据目录（默认 KB_DATA_DIR 或 ./data）')
  .option('--days <n>', '统计最近几天', (v) => positiveInt(v, 365), 7)
  .addOption(new Option('--format <format>', '输出格式').choices(['text', 'json']).default('text'))
  .action(async (name: string, opts: { data?: string; days: number; format: 'text' | 'json' }) => {
    if (name !== 'gaps') throw new InvalidArgumentError(`没有报告 “${name}”，可用：gaps`);
    process.exitCode = await runGapReportCommand({
      dataDir: opts.data ?? defaults().dataDir,
      days: opts.days,
      format: opts.format,
    });
  });

function positiveInt(value: string, max = 50): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`应为 1-${max} 的整数`);
  return n;
}

program.parseAsync().catch((error: unknown) => {
  console.error(isKbError(error) ? `错误：${error.message}` : error);
  process.exitCode = 2;
});
