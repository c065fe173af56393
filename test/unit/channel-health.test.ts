import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChannelHealth } from '../../src/pipeline/channel-health.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

describe('channel health', () => {
  it('keeps an account refused while any use of it is, and recovers once, when none is', () => {
    const recovered: string[] = [];
    const h = new ChannelHealth();
    h.onRecovered = (channel, account) => recovered.push(`${channel}:${account}`);
    // the app's bearer token reads mentions and is revoked; the account's own keys (DMs, sends) still work
    h.unauthorised('twitter', '17', 'X 401: Unauthorized', 'renew X_BEARER_TOKEN', 'app');
    h.ok('twitter', '17', 'account'); // DMs
    h.ok('twitter', '17'); // a send
    expect(h.list()[0]).toMatchObject({ state: 'unauthorised', action: 'renew X_BEARER_TOKEN', refusedBy: ['app'] });
    expect(h.isUnauthorised('twitter', '17')).toBe(true);
    expect(recovered).toEqual([]);
    h.failed('twitter', '17', 'X gave no answer');
    expect(h.list()[0]?.state).toBe('unauthorised'); // a time-out says nothing of the keys
    h.ok('twitter', '17', 'app');
    expect(h.list()[0]).toMatchObject({ state: 'ok', authFailures: 0 });
    expect(h.list()[0]?.action).toBeUndefined();
    expect(recovered).toEqual(['twitter:17']);
  });

  it('keeps a refusal from an earlier run until that credential works now (the token may have been replaced)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-health-'));
    const store = SqliteStore.open(join(dir, 'b.db'), { ticketPrefix: 'PMC', firstTicketNumber: 1 });
    try {
      const before = new ChannelHealth(store);
      before.unauthorised('facebook', '104000000000001', 'Graph 400 (#190)', 're-authorise page 104000000000001');
      before.unauthorised('twitter', '17', 'X 401', 'renew X_BEARER_TOKEN', 'app');
      await new Promise((r) => setTimeout(r, 20));
      // kept by an older version, named by use rather than credential
      await store.setCursor('health:facebook:104000000000002', JSON.stringify({ channel: 'facebook', accountId: '104000000000002', state: 'unauthorised', authFailures: 1, refusedBy: ['send'] }));
      const after = new ChannelHealth(store);
      await after.load((channel) => new Set(channel === 'twitter' ? ['account', 'app'] : ['account']));
      const recovered: string[] = [];
      after.onRecovered = (_c, a) => recovered.push(a);
      expect(after.isUnauthorised('facebook', '104000000000001')).toBe(true);
      after.ok('facebook', '104000000000001'); // the catch-up poll reads with the page token
      expect(after.isUnauthorised('facebook', '104000000000001')).toBe(false);
      after.ok('twitter', '17', 'account'); // DMs work: the app's token is still refused
      expect(after.isUnauthorised('twitter', '17')).toBe(true);
      expect(recovered).toEqual(['104000000000001']);
      after.ok('facebook', '104000000000002');
      expect(after.isUnauthorised('facebook', '104000000000002')).toBe(false);
      // the bearer token taken out of the config: its old refusal goes with the first success
      const third = new ChannelHealth(store);
      await third.load(() => new Set(['account']));
      third.ok('twitter', '17', 'account');
      expect(third.isUnauthorised('twitter', '17')).toBe(false);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
