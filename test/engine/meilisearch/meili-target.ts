import { inject } from 'vitest';

/**
 * The Meilisearch the real-server tests use (see test/meilisearch-setup.ts):
 * its address and key, or why there is none. A skipped suite prints the
 * reason once, so a green run never hides that these tests did not run.
 */
export type MeiliTarget = { url: string; masterKey?: string; binary?: string };

export function meiliTarget(suite: string): MeiliTarget | undefined {
  const provided = inject('meili');
  if ('url' in provided) return provided;
  console.warn(`[meilisearch] skipped: ${suite} (${provided.skipped})`);
  return undefined;
}

export function skipReason(): string {
  const provided = inject('meili');
  return 'skipped' in provided ? provided.skipped : '';
}
