import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe } from 'vitest';

/** what some tests start for real, and the Debian package that brings it */
export const TOOLS = {
  chromium: { pkg: 'chromium', what: 'the browser tests (admin, web chat)', found: () => existsSync('/usr/bin/chromium') },
  dovecot: { pkg: 'dovecot-imapd', what: 'the email tests (a real IMAP server)', found: () => existsSync('/usr/sbin/dovecot') },
  'redis-server': { pkg: 'redis-server', what: 'the distributed-mode tests (a private Redis)', found: () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0 },
} as const;
export type Tool = keyof typeof TOOLS;

/** CI=true: every tool is required, and a missing one fails its tests (with the error saying what to install) */
export const inCi = (): boolean => /^(1|true|yes)$/i.test(process.env.CI ?? '');

export function missingTools(): Tool[] {
  return (Object.keys(TOOLS) as Tool[]).filter((t) => !TOOLS[t].found());
}

/** the one command that installs what this machine lacks */
export function installCommand(tools: readonly Tool[]): string {
  return `sudo apt-get install -y ${tools.map((t) => TOOLS[t].pkg).join(' ')}`;
}

/**
 * A suite that needs `tool`: outside CI, on a machine without it, skipped with a title that says what to
 * install (the run's first and last lines say so too); in CI it runs, and fails if the tool is missing.
 */
export function describeNeeding(tool: Tool, name: string, body: () => void): void {
  if (!TOOLS[tool].found() && !inCi()) describe.skip(`${name} — skipped: ${tool} is not installed (${installCommand([tool])})`, body);
  else describe(name, body);
}
