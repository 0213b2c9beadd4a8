import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { assertSafeExposure, loadConfig } from './config.js';
import { type Diagnostic, formatDiagnostic } from './diagnostics.js';
import { createEngine } from './engine/create-engine.js';
import { isKbError, KbError } from './errors.js';
import { openEventLog } from './events/event-log.js';
import { createMasker } from './events/mask.js';
import { createKnowledgeBase, type KbEvent } from './knowledge-base.js';
import { logOptions } from './log-options.js';

/**
 * How long a graceful close may take (requests in flight, the pending snapshot
 * and parse cache writes) before the process exits anyway: a hung close must
 * never keep a dying process, or the port, alive.
 */
const CLOSE_DEADLINE_MS = 10_000;

type Log = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

/** Process entry: config, engine, knowledge base, app, listen, close gracefully. */
async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  assertSafeExposure(config);
  // The app's logger exists only once the app is built; until then messages go to stderr.
  let log: Log = {
    info: (obj, msg) => console.log(msg, obj),
    warn: (obj, msg) => console.warn(msg, obj),
    error: (obj, msg) => console.error(msg, obj),
  };
  let shuttingDown = false;
  const engine = createEngine(config, {
    onExit: (error) => {
      // Nothing can be answered any more: exit, so the supervisor starts a fresh service.
      log.error({ err: error }, `kb 搜索线程无法恢复：${error.message}`);
      process.exit(1);
    },
    onRestart: (error) => {
      // A rebuild would only hold up the shutdown: the next start loads or rebuilds anyway.
      if (shuttingDown) return;
      log.error({ err: error }, `${error.message}；已启动新的搜索线程，正在重建索引`);
      // Rebuilt from the content, not loaded: the snapshot may be what wedged the old thread.
      kb.reload({ force: true }).then(
        (result) => log.info({ articles: result.accepted.length, rebuilt: result.rebuilt }, '搜索线程已恢复'),
        (reloadError: unknown) => log.error({ err: reloadError }, '搜索线程重启后重新加载失败'),
      );
    },
    warn: (message) => log.warn({}, message),
  });
  const kb = createKnowledgeBase({
    contentDir: config.contentDir,
    engine,
    dataDir: config.dataDir,
    onEvent: (event) => logEvent(log, event),
  });
  const events = openEventLog({
    dataDir: config.dataDir,
    retentionDays: config.eventRetentionDays,
    mask: createMasker(config.maskPatterns),
    warn: (message, error) => log.warn({ err: error }, message),
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
  log = app.log;
  if (!config.helpContact) log.warn({}, '未设置 KB_HELP_CONTACT：帮助页只能说“请联系人工客服”，客户看不到电话或链接');

  // From here on a signal, an uncaught error or a hung close ends the process within the deadline.
  closeWithGrace(
    {
      delay: CLOSE_DEADLINE_MS,
      logger: { error: (message: string) => log.error({}, message) },
      onTimeout: (delay) => log.error({ delayMs: delay }, '关闭超时，强制退出'),
    },
    async ({ signal, err }) => {
      shuttingDown = true;
      if (err) log.error({ err }, '未处理的错误，正在关闭');
      else log.info({ signal }, '正在关闭');
      await app.close();
      await kb.close();
      events.close();
      await engine.close();
    },
  );

  const result = await kb.reload();
  logDiagnostics(log, result.diagnostics);
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

  await app.listen({ port: config.port, host: config.host }).catch((error: NodeJS.ErrnoException) => {
    throw listenError(error, config.host, config.port);
  });
  log.info(
    { startupMs: Math.round(performance.now() - started), localMode: config.localMode },
    config.localMode ? '本机模式：未配置密钥，坐席和管理接口仅对本机开放' : '已启用密钥校验',
  );
  // Type-ahead builds after listening, in slices, so it never delays start-up or a search.
  await kb.start({ watch: config.watch });
  if (config.watch) log.info({ contentDir: config.contentDir }, '正在监视内容目录，保存即生效');
}

function logEvent(log: Log, event: KbEvent): void {
  switch (event.type) {
    case 'changed':
      logDiagnostics(log, event.diagnostics);
      log.info({ ...event.report, ms: event.ms }, '内容已更新');
      return;
    case 'change-failed':
      log.error({ err: event.error, files: event.change.files }, '应用内容变更失败，继续提供之前的内容');
      return;
    case 'commit-failed':
      log.error({ err: event.error }, '索引快照写入失败，重启时将重新建索引');
      return;
    case 'journal-failed':
      log.warn(
        { err: event.error },
        '最后正确版本无法写入数据目录：修改照常生效，但进程崩溃后重启可能提供更早的版本（恢复写入前不再重复提示）',
      );
      return;
    case 'journal-restored':
      log.info({}, '最后正确版本又能写入数据目录了');
      return;
    case 'suggest-failed':
      log.error({ err: event.error }, '输入联想索引更新失败');
      return;
    case 'content-missing':
      log.error({}, '内容目录不见了：继续提供上次加载的内容，每秒检查一次，目录恢复后自动重新加载');
      return;
    case 'content-returned':
      log.info({ articles: event.articles }, '内容目录已恢复，已重新加载');
      return;
    case 'watch-error':
      log.warn({ err: event.error }, `监视内容目录时出错（继续监视）：${event.error.message}`);
      return;
  }
}

/** What a failed listen means for the operator, in words (getaddrinfo's codes are not an answer). */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const reasons: Record<string, string> = {
    ENOTFOUND: `HOST=${host} 无法解析为地址：请改为本机的 IP 地址，如 HOST=127.0.0.1 或 HOST=0.0.0.0`,
    EAI_AGAIN: `HOST=${host} 暂时无法解析（DNS 不可用）：请改用 IP 地址，如 HOST=127.0.0.1`,
    EADDRNOTAVAIL: `HOST=${host} 不是本机的地址：请改为本机网卡的地址，或 HOST=0.0.0.0（所有网卡）`,
    EADDRINUSE: `端口 ${port} 已被占用：请停掉占用它的进程，或换一个 PORT`,
    EACCES: `没有权限监听端口 ${port}：1024 以下的端口需要特权，请换一个 PORT（如 3000）`,
  };
  const reason = error.code ? reasons[error.code] : undefined;
  return reason ? new KbError('INVALID_CONFIG', reason, { cause: error }) : error;
}

function logDiagnostics(log: Log, diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) log.warn({ file: d.file, line: d.line, field: d.field }, formatDiagnostic(d));
}

main().catch((error: unknown) => {
  if (isKbError(error)) {
    console.error(`kb 无法启动：${error.message}`);
  } else {
    console.error('kb 无法启动：', error);
  }
  process.exit(1);
});
