import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inCi, installCommand, missingTools, TOOLS } from './system-tools.ts';
import { makeTestCa } from './test-ca.ts';

/**
 * Once per test run, before any worker starts: a throwaway CA for the HTTPS fakes (the X API), trusted by every
 * worker through NODE_EXTRA_CA_CERTS, which Node reads only when a process starts, so it must be set here.
 */
export default function setup(): () => void {
  // said first and last: a machine without Debian's chromium, dovecot or redis-server skips those tests (not in CI)
  const missing = inCi() ? [] : missingTools();
  if (missing.length > 0)
    process.stdout.write(`note: ${missing.map((t) => `${TOOLS[t].what} will be skipped (${t} is not installed)`).join('; ')}. To run them: ${installCommand(missing)}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'pmc-test-ca-'));
  const ca = makeTestCa(dir);
  process.env.PMC_TEST_CA_DIR = dir;
  process.env.NODE_EXTRA_CA_CERTS = ca.caFile;
  return () => rmSync(dir, { recursive: true, force: true });
}
