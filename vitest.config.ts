import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // vitest's own summary, then the plain closing line CI reads
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    pool: 'forks',
    // two files at a time even on two cores: most integration tests wait on child processes, servers and disks,
    // and one at a time the suite outgrew CI's 15 minutes
    maxWorkers: 2,
    // a test CA for the HTTPS fakes, trusted by every worker (NODE_EXTRA_CA_CERTS)
    globalSetup: ['./test/support/global-setup.ts'],
  },
});
