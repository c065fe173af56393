import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChannelHealth } from '../../src/pipeline/channel-health.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { until } from '../support/wait.ts';

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

  it("shows in the web process's list what the worker recorded in the store, keeping the refusals the web process saw itself", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-health-'));
    const store = SqliteStore.open(join(dir, 'b.db'), { ticketPrefix: 'PMC', firstTicketNumber: 1 });
    try {
      let t = Date.parse('2026-01-10T10:00:00Z');
      const clock = () => new Date(t);
      const web = new ChannelHealth(store, clock);
      const worker = new ChannelHealth(store, clock);
      web.ok('facebook', '104000000000001'); // the catch-up poll works
      web.unauthorised('twitter', '17', 'X 401', 'renew X_BEARER_TOKEN', 'app'); // mentions read with the app's token
      t += 1000;
      // the worker's sends: the page token refused; the X account's own keys work
      worker.unauthorised('facebook', '104000000000001', 'Graph 400 (#190)', 're-authorise page 104000000000001');
      worker.ok('twitter', '17');
      await new Promise((r) => setTimeout(r, 20));
      const stateOf = (channel: string) => web.list().find((h) => h.channel === channel);
      await until('the refusal shown by the web process', async () => (stateOf('facebook')?.state === 'unauthorised' ? true : undefined));
      expect(stateOf('facebook')).toMatchObject({ action: 're-authorise page 104000000000001', refusedBy: ['account'] });
      // the worker's keys work, but the app's token the web process reads with is still refused
      expect(stateOf('twitter')).toMatchObject({ state: 'unauthorised', refusedBy: ['app'] });
      // a read at most every few seconds, however often /readyz is asked
      t += 1000;
      worker.ok('facebook', '104000000000001');
      await new Promise((r) => setTimeout(r, 20));
      for (let i = 0; i < 3; i++) expect(stateOf('facebook')?.state).toBe('unauthorised');
      t += 3000;
      await until('the recovery shown', async () => (stateOf('facebook')?.state === 'ok' ? true : undefined));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
