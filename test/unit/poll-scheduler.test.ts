import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountRefusedError, type Connector, type PipelineIntake, type PollResult, type Poller } from '../../src/connectors/connector.ts';
import { createLogger } from '../../src/http/logger.ts';
import type { InboundMessage } from '../../src/model/index.ts';
import { ChannelHealth } from '../../src/pipeline/channel-health.ts';
import { QueueUnavailableError } from '../../src/pipeline/queue.ts';
import { PollScheduler } from '../../src/pipeline/poll-channels.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function openStore(): SqliteStore {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-poll-'));
  const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

const mention = (id: string, text: string): InboundMessage => ({
  channel: 'twitter', accountId: '17', externalId: id, threadKey: id, sender: { id: '99' }, receivedAt: new Date().toISOString(), text, attachments: [], public: true, raw: {},
});

/** the pipeline's intake, on a real store: archives (dropping repeats), as a webhook's messages are */
function intakeOn(store: SqliteStore, fail = { next: false }): PipelineIntake & { accepted: string[] } {
  const accepted: string[] = [];
  return {
    accepted,
    async accept(messages) {
      if (fail.next) {
        fail.next = false;
        throw new Error('disk full');
      }
      const results = await store.archiveInbound(messages);
      results.forEach((r, i) => !r.duplicate && accepted.push(messages[i]!.externalId));
      return { accepted: results.filter((r) => !r.duplicate).length, duplicates: results.filter((r) => r.duplicate).length };
    },
    async recordDelivery() {},
  };
}

function scheduler(store: SqliteStore, poller: Poller, intake: PipelineIntake, health = new ChannelHealth()) {
  const connector: Connector = { channel: 'twitter', accountIds: ['17'], limits: {}, pollers: [poller], send: async () => ({ providerId: 'x' }), resend: { kind: 'idempotent', how: 'test' } };
  const s = new PollScheduler({ connectors: [connector], intake, store, health, logger: createLogger('silent') });
  cleanups.push(() => s.stop());
  return { s, health };
}

describe('the poll scheduler', () => {
  it('moves the cursor only once what a poll read is archived, and starts the next poll from it', async () => {
    const store = openStore();
    const fail = { next: true };
    const intake = intakeOn(store, fail);
    const seen: (string | undefined)[] = [];
    const poller: Poller = {
      accountId: '17', name: 'mentions', everyMs: 60_000,
      async poll(cursor): Promise<PollResult> {
        seen.push(cursor);
        return { messages: [mention('101', 'Kothrud madhe kachra'), mention('102', 'हडपसर में पानी नहीं')], cursor: '102' };
      },
    };
    const { s, health } = scheduler(store, poller, intake);
    await s.runAll(); // archiving fails: the cursor stays
    expect(await store.getCursor('poll:twitter:17:mentions')).toBeUndefined();
    expect(health.list()[0]).toMatchObject({ state: 'failing', lastError: expect.stringContaining('disk full') });
    await s.runAll();
    expect(await store.getCursor('poll:twitter:17:mentions')).toBe('102');
    await s.runAll();
    expect(seen).toEqual([undefined, undefined, '102']);
    expect(intake.accepted).toEqual(['101', '102']); // the repeat was dropped by the archive
    expect(health.list()[0]?.state).toBe('ok');
  });

  it('keeps the old cursor for a page cut short, and waits for the reset it was given', async () => {
    const store = openStore();
    const intake = intakeOn(store);
    const reset = new Date(Date.now() + 120_000);
    const poller: Poller = { accountId: '17', name: 'mentions', everyMs: 10, poll: async () => ({ messages: [mention('201', 'Baner road khadde')], waitUntil: reset }) };
    const { s } = scheduler(store, poller, intake);
    await s.start();
    await new Promise((r) => setTimeout(r, 200));
    // with everyMs 10 it would have polled ~20 times; the reset is two minutes away
    expect(intake.accepted).toEqual(['201']);
    expect(await store.getCursor('poll:twitter:17:mentions')).toBeUndefined();
  });

  it('marks an account whose credentials were refused, with what to do, and backs off', async () => {
    const store = openStore();
    let polls = 0;
    const poller: Poller = {
      accountId: '17', name: 'dms', everyMs: 10,
      poll: async () => {
        polls++;
        throw new AccountRefusedError('X 401: Unauthorized', 'make new access tokens for @PMCPune and set X_ACCESS_TOKEN, X_ACCESS_SECRET');
      },
    };
    const { s, health } = scheduler(store, poller, intakeOn(store));
    await s.start();
    await new Promise((r) => setTimeout(r, 200));
    expect(polls).toBe(1);
    expect(health.isUnauthorised('twitter', '17')).toBe(true);
    expect(health.list()[0]).toMatchObject({ authFailures: 1, action: expect.stringContaining('X_ACCESS_TOKEN') });
  });

  it('never runs two polls of one account at once', async () => {
    const store = openStore();
    let running = 0;
    let most = 0;
    const poller: Poller = {
      accountId: '17', name: 'mentions', everyMs: 1,
      poll: async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 30));
        running--;
        return { messages: [], cursor: 'c' };
      },
    };
    let polls = 0;
    const counted: Poller = { ...poller, poll: async (c) => (polls++, poller.poll(c)) };
    const { s } = scheduler(store, counted, intakeOn(store));
    await s.start();
    await Promise.all([s.runAll(), s.runAll(), s.runAll()]);
    await new Promise((r) => setTimeout(r, 100));
    expect(most).toBe(1);
    // and the manual runs that overlapped the timer's did not stop it: it goes on polling
    const after = polls;
    await new Promise((r) => setTimeout(r, 200));
    expect(polls).toBeGreaterThan(after + 2);
  });

  it("runs one account's pollers (X mentions and DMs) one after the other, and another account's meanwhile", async () => {
    const store = openStore();
    const running = new Map<string, number>();
    let most = { '17': 0, '18': 0, all: 0 };
    const poller = (accountId: '17' | '18', name: string): Poller => ({
      accountId, name, everyMs: 60_000,
      poll: async () => {
        running.set(accountId, (running.get(accountId) ?? 0) + 1);
        const all = [...running.values()].reduce((a, b) => a + b, 0);
        most = { ...most, [accountId]: Math.max(most[accountId], running.get(accountId)!), all: Math.max(most.all, all) };
        await new Promise((r) => setTimeout(r, 40));
        running.set(accountId, running.get(accountId)! - 1);
        return { messages: [mention(`${accountId}${name.length}`, 'वारजे माळवाडी येथे कचरा')], cursor: 'c' };
      },
    });
    const connector: Connector = {
      channel: 'twitter', accountIds: ['17', '18'], limits: {}, pollers: [poller('17', 'mentions'), poller('17', 'dms'), poller('18', 'mentions')],
      send: async () => ({ providerId: 'x' }), resend: { kind: 'idempotent', how: 'test' },
    };
    const s = new PollScheduler({ connectors: [connector], intake: intakeOn(store), store, health: new ChannelHealth(), logger: createLogger('silent') });
    cleanups.push(() => s.stop());
    await Promise.all([s.runAll(), s.runAll()]);
    expect(most).toEqual({ '17': 1, '18': 1, all: 2 });
    // each poller polled, and moved its own cursor
    for (const key of ['poll:twitter:17:mentions', 'poll:twitter:17:dms', 'poll:twitter:18:mentions']) expect(await store.getCursor(key), key).toBe('c');
  });

  it('backs off after ordinary failures, each wait twice the last, and polls on its schedule again once one works', async () => {
    const store = openStore();
    const at: number[] = [];
    let failing = true;
    const poller: Poller = {
      accountId: '17', name: 'mentions', everyMs: 10,
      poll: async () => {
        at.push(Date.now());
        if (failing) throw new Error('X 503: Service Unavailable');
        return { messages: [], cursor: 'c' };
      },
    };
    const { s, health } = scheduler(store, poller, intakeOn(store));
    await s.start();
    await new Promise((r) => setTimeout(r, 700));
    // every 10 ms without a backoff: ~70 polls; with it the waits go 5 (the next tick), 20, 40, 80, 160, 320 ms
    expect(at.length).toBeGreaterThanOrEqual(3);
    expect(at.length).toBeLessThanOrEqual(9);
    // never sooner than its wait (a slow machine only makes them longer); a tick may come 1 ms early
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    gaps.forEach((gap, i) => expect(gap, `after failure ${i + 1}`).toBeGreaterThanOrEqual((i === 0 ? 5 : 10 * 2 ** i) - 1));
    expect(health.list()[0]).toMatchObject({ state: 'failing', authFailures: 0, lastError: expect.stringContaining('503') });
    expect(health.isUnauthorised('twitter', '17')).toBe(false);
    // a success (here a manual run) ends the backoff: the ticks poll every 10 ms again
    failing = false;
    await s.runAll();
    const after = at.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(at.length - after).toBeGreaterThan(5);
    expect(health.list()[0]?.state).toBe('ok');
  });

  it('a poll refused because the queue (Redis) is away keeps its cursor and does not mark the account failing', async () => {
    const store = openStore();
    const seen: (string | undefined)[] = [];
    const intake: PipelineIntake = {
      async accept() {
        throw new QueueUnavailableError('the queue cannot take jobs (the connection to Redis closed, since 2026-12-02T04:00:00.000Z)');
      },
      async recordDelivery() {},
    };
    const poller: Poller = {
      accountId: '17', name: 'mentions', everyMs: 60_000,
      async poll(cursor) {
        seen.push(cursor);
        return { messages: [mention('301', 'कात्रज येथे पाणी तुंबले आहे')], cursor: '301' };
      },
    };
    const { s, health } = scheduler(store, poller, intake);
    health.ok('twitter', '17');
    await s.runAll();
    expect(await store.getCursor('poll:twitter:17:mentions')).toBeUndefined();
    expect(health.list()[0]?.state).toBe('ok');
    await s.runAll();
    expect(seen).toEqual([undefined, undefined]); // read again from the old cursor
  });
});
