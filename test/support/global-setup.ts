import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestCa } from './test-ca.ts';

/**
 * Once per test run, before any worker starts: a throwaway CA for the HTTPS fakes (the X API), trusted by every
 * worker through NODE_EXTRA_CA_CERTS, which Node reads only when a process starts, so it must be set here.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-test-ca-'));
  const ca = makeTestCa(dir);
  process.env.PMC_TEST_CA_DIR = dir;
  process.env.NODE_EXTRA_CA_CERTS = ca.caFile;
  return () => rmSync(dir, { recursive: true, force: true });
}
