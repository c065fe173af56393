import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../test/support/bridge-process.ts';

function child<T>(args: string[]): T {
  const run = spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`${args[0]} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as T;
}

/** mails appended at once to a real Dovecot → tickets (IMAP sweep, parse, archive, file; replies off) */
export function benchMail(count = 1000): { count: number; ms: number; archivedMs: number; mailsPerSec: number } {
  return child(['bench/mail-intake.ts', String(count)]);
}

export interface ImportFigures {
  kind: string;
  rows: number;
  accepted: number;
  ms: number;
  rowsPerSec: number;
  rssBeforeMb: number;
  peakRssMb: number;
}

/** a Lokshahi register of `rows` rows (Marathi headers) imported into a fresh store, in a process of its own */
export function benchImport(kind: 'csv' | 'xlsx', rows = 10_000): ImportFigures {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-bench-register-'));
  try {
    const file = join(dir, `register.${kind}`);
    child(['bench/lokshahi-import.ts', 'make', kind, String(rows), file]);
    return child(['bench/lokshahi-import.ts', 'import', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
