import { defineConfig } from 'vitest/config';

// Integration tests run the real app on a real database: PGlite by default, PostgreSQL when DATABASE_URL is set.
// The global setup migrates and seeds one template; every test file gets its own copy of it.
export default defineConfig({
  test: {
    include: ['server/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
