import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // vitest's own summary, then the plain closing line CI reads
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    pool: 'forks',
  },
});
