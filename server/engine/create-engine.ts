import type { Config } from '../config.js';
import { KbError } from '../errors.js';
import { createEmbeddedEngine } from './embedded-engine.js';
import type { SearchEngine } from './search-engine.js';

/** Picks the engine once, from configuration. Nothing else asks which one it is. */
export function createEngine(config: Pick<Config, 'engine' | 'dataDir'>): SearchEngine {
  if (config.engine === 'meilisearch') {
    throw new KbError(
      'INVALID_CONFIG',
      '此版本尚未包含 Meilisearch 适配器：请去掉 MEILI_URL / KB_ENGINE=meilisearch，使用内置引擎（embedded）',
    );
  }
  return createEmbeddedEngine({ dataDir: config.dataDir });
}
