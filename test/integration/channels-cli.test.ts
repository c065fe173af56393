import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChannelHealth } from '../../src/pipeline/channel-health.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { runCli } from '../support/bridge-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pmc-channels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// `pmc-bridge channels` reads what the running bridge kept of each account, from another process.
describe('pmc-bridge channels', () => {
  it("lists each account's state, last success and error, and what a person must do", async () => {
    const file = join(dir, 'bridge.db');
    const store = SqliteStore.open(file, { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    let t = Date.parse('2026-12-01T09:00:00Z');
    const health = new ChannelHealth(store, () => new Date((t += 1000)));
    health.ok('twitter', '1700000000000000001');
    health.ok('facebook', '104000000000001');
    health.unauthorised('facebook', '104000000000001', 'Graph 400 (#190/463): Error validating access token: Session has expired', 're-authorise page 104000000000001: set FACEBOOK_PAGE_TOKEN, restart');
    await new Promise((r) => setTimeout(r, 50)); // the writes are queued behind the calls
    await store.close();
    const env = {
      STORE_URL: `sqlite:${file}`,
      FACEBOOK_APP_SECRET: 'app-secret-0123456789', FACEBOOK_VERIFY_TOKEN: 'verify-123', FACEBOOK_PAGE_ID: '104000000000001', FACEBOOK_PAGE_TOKEN: 'EAApagetoken000000000001',
    };
    const table = await runCli(['channels'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/facebook\s+104000000000001\s+unauthorised\s+2026-12-01 09:00:\d\d/);
    expect(table.stdout).toContain('re-authorise page 104000000000001');
    expect(table.stdout).toMatch(/twitter\s+1700000000000000001\s+ok/);
    expect(table.stdout).not.toContain('EAApagetoken');
    const json = JSON.parse((await runCli(['channels', '--json'], env)).stdout) as { channel: string; accountId: string; state: string; authFailures: number }[];
    expect(json).toContainEqual(expect.objectContaining({ channel: 'facebook', accountId: '104000000000001', state: 'unauthorised', authFailures: 1 }));
  });
});
