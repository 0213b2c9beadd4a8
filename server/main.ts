import { buildApp } from './app.js';
import { assertSafeExposure, loadConfig } from './config.js';
import { formatDiagnostic } from './diagnostics.js';
import { createEngine } from './engine/create-engine.js';
import { isKbError } from './errors.js';
import { openEventLog } from './events/event-log.js';
import { createMasker } from './events/mask.js';
import { createKnowledgeBase } from './knowledge-base.js';
import { watchContent } from './load/watch-content.js';
import { logOptions } from './log-options.js';
import { prepareSuggest } from './search/suggest.js';

/** Process entry: config, engine, knowledge base, app, listen, close gracefully. */
async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  assertSafeExposure(config);
  const engine = createEngine(config, (error) => {
    // Nothing can be answered any more: exit, so the supervisor starts a fresh service.
    console.error(`kb 搜索线程异常退出：${error.message}`);
    process.exit(1);
  });
  const kb = createKnowledgeBase({ contentDir: config.contentDir, engine, dataDir: config.dataDir });
  // The app's logger exists only once the app is built; until then warnings go to stderr.
  let warn = (message: string, error?: unknown) => console.warn(message, error ?? '');
  const events = openEventLog({
    dataDir: config.dataDir,
    retentionDays: config.eventRetentionDays,
    mask: createMasker(config.maskPatterns),
    warn: (message, error) => warn(message, error),
  });
  const app = await buildApp({
    kb,
    access: config,
    publicRateLimit: config.publicRateLimit,
    publicCorsOrigins: config.publicCorsOrigins,
    trustProxy: config.trustProxy,
    events,
    logger: logOptions(config.logLevel),
    helpContact: config.helpContact,
  });
  const log = app.log;
  warn = (message, error) => log.warn({ err: error }, message);
  if (!config.helpContact) log.warn('未设置 KB_HELP_CONTACT：帮助页只能说“请联系人工客服”，客户看不到电话或链接');

  const result = await kb.reload();
  for (const d of result.diagnostics) log.warn({ file: d.file, line: d.line, field: d.field }, formatDiagnostic(d));
  const stats = await engine.stats();
  log.info(
    {
      articles: result.accepted.length,
      sections: stats.documents,
      fromSnapshot: !result.rebuilt,
      parseCacheHits: result.parseCacheHits,
      indexBytes: stats.sizeBytes,
      timings: result.timings,
    },
    result.rebuilt ? '索引已重建' : '索引从快照加载',
  );

  await app.listen({ port: config.port, host: config.host });
  // Type-ahead indexes are built after listening, in slices, so they never delay start-up or a search.
  const refreshSuggest = () =>
    prepareSuggest(kb).catch((error: unknown) => log.error({ err: error }, '输入联想索引更新失败'));
  void refreshSuggest();
  log.info(
    { startupMs: Math.round(performance.now() - started), localMode: config.localMode },
    config.localMode ? '本机模式：未配置密钥，坐席和管理接口仅对本机开放' : '已启用密钥校验',
  );

  const watcher = config.watch
    ? watchContent(config.contentDir, (change) => {
        const started = performance.now();
        kb.applyChanges(change).then(
          (report) => {
            const problems = kb.diagnostics.filter((d) => change.files.includes(d.file));
            for (const d of problems) log.warn({ file: d.file, line: d.line, field: d.field }, formatDiagnostic(d));
            log.info({ ...report, ms: Math.round(performance.now() - started) }, '内容已更新');
            void refreshSuggest();
          },
          (error: unknown) => log.error({ err: error }, '应用内容变更失败，继续提供之前的内容'),
        );
      })
    : undefined;
  if (watcher) {
    await watcher.ready;
    log.info({ contentDir: config.contentDir }, '正在监视内容目录，保存即生效');
  }

  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, '正在关闭');
    await watcher?.close();
    await app.close();
    await kb.flush();
    events.close();
    await engine.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void close('SIGINT'));
  process.on('SIGTERM', () => void close('SIGTERM'));
}

main().catch((error: unknown) => {
  if (isKbError(error)) {
    console.error(`kb 无法启动：${error.message}`);
  } else {
    console.error('kb 无法启动：', error);
  }
  process.exit(1);
});
