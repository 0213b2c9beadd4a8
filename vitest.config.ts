import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A real Meilisearch for the adapter's tests when one is available (MEILI_URL, MEILI_BIN or PATH).
    globalSetup: ['test/meilisearch-setup.ts'],
    // nodejieba loads its dictionary (about a second) in every worker.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
