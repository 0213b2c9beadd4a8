import type { Config } from '../config.js';
import { createEmbeddedEngine } from './embedded/embedded-engine.js';
import { createThreadedEngine, type ThreadedEngineOptions } from './embedded/thread/threaded-engine.js';
import { createFallbackEngine } from './fallback-engine.js';
import { createMeilisearchEngine } from './meilisearch/meilisearch-engine.js';
import type { SearchEngine } from './search-engine.js';

/**
 * Picks the engine once, from configuration. Nothing else asks which one it is.
 *
 * `meilisearch` is Meilisearch with the embedded index kept warm beside it
 * (fallback-engine.ts): nothing here contacts Meilisearch, so start-up never
 * waits on it, and while it is down the service answers from the embedded
 * index with `degraded: true`.
 */
export function createEngine(
  config: Pick<Config, 'engine' | 'dataDir' | 'meiliUrl' | 'meiliMasterKey' | 'engineThread'> &
    Partial<Pick<Config, 'meiliIndex'>>,
  /** The engine's owner: told when the engine thread was replaced or is gone, and what to log. */
  events: Pick<ThreadedEngineOptions, 'onExit' | 'onRestart' | 'warn'> = {},
): SearchEngine {
  const embedded = config.engineThread
    ? createThreadedEngine({ dataDir: config.dataDir, ...events })
    : createEmbeddedEngine({ dataDir: config.dataDir, warn: events.warn });
  if (config.engine !== 'meilisearch' || !config.meiliUrl) return embedded;
  // Its settings come from the knowledge base's lexicon (setLexicon), so a lexicon edit reaches them too.
  const meilisearch = createMeilisearchEngine({
    host: config.meiliUrl,
    apiKey: config.meiliMasterKey,
    indexUid: config.meiliIndex,
  });
  return createFallbackEngine(meilisearch, embedded);
}
