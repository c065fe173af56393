import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { AccountRefusedError, type Connector, type PipelineIntake, type Poller } from '../../src/connectors/connector.ts';
import { createLogger } from '../../src/http/logger.ts';
import type { InboundMessage } from '../../src/model/index.ts';
import { BullMqQueue } from '../../src/pipeline/bullmq-queue.ts';
import { ChannelHealth } from '../../src/pipeline/channel-health.ts';
import { PollScheduler } from '../../src/pipeline/poll-channels.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { command, startRedisServer, type RedisServer } from '../support/redis-server.ts';
import { describeNeeding } from '../support/system-tools.ts';
import { until } from '../support/wait.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const mention = (id: string, text: string): InboundMessage => ({
  channel: 'twitter', accountId: '17', externalId: id, threadKey: id, sender: { id: '99' }, receivedAt: new Date().toISOString(), text, attachments: [], public: true, raw: {},
});

describeNeeding('redis-server', 'schedules and leases shared by processes through Redis', () => {
  let redis: RedisServer;
  let dir: string;
  const cleanups: (() => Promise<unknown>)[] = [];
  const open = (leaseMs?: number) => {
    const q = new BullMqQueue(redis.url, leaseMs ? { lockMs: leaseMs * 2 } : {});
    cleanups.push(() => q.close());
    return q;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  beforeEach(async () => {
    expect(await command(redis.port, 'FLUSHALL')).toBe('+OK');
    dir = mkdtempSync(join(tmpdir(), 'pmc-ticks-'));
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('runs a schedule upserted by three processes once per tick, never two runs at once', async () => {
    const runs: { by: number; start: number; end: number }[] = [];
    const queues = [open(), open(), open()];
    const startedAt = Date.now();
    await Promise.all(queues.map((q, by) => q.ticks.every('poll:twitter:17:mentions', 250, async () => {
      const run = { by, start: Date.now(), end: 0 };
      runs.push(run);
      await sleep(40);
      run.end = Date.now();
    })));
    await sleep(2_600);
    const elapsed = Date.now() - startedAt;
    // ~10 ticks in 2.6 s: three processes each ticking alone would have run ~30
    expect(runs.length).toBeGreaterThanOrEqual(6);
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 1);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.start).toBeGreaterThanOrEqual(runs[i - 1]!.end);
    // one schedule in Redis, whoever upserted it
    expect(await command(redis.port, 'KEYS bull:pmc-tick-*:repeat')).toContain('repeat');
  });

  it('a poller on three processes over one store polls once per tick, and a refused account waits in all of them', async () => {
    const path = join(dir, 'bridge.db');
    const polls: number[] = [];
    let refuse = false;
    const accepted: string[] = [];
    const schedulers = [0, 1, 2].map((by) => {
      const store = SqliteStore.open(path, { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
      const intake: PipelineIntake = {
        async accept(messages) {
          const results = await store.archiveInbound(messages);
          results.forEach((r, i) => !r.duplicate && accepted.push(messages[i]!.externalId));
          return { accepted: results.filter((r) => !r.duplicate).length, duplicates: results.filter((r) => r.duplicate).length };
        },
        async recordDelivery() {},
      };
      const poller: Poller = {
        accountId: '17', name: 'mentions', everyMs: 200,
        async poll(cursor) {
          polls.push(by);
          if (refuse) throw new AccountRefusedError('X 401: Unauthorized', 'make new access tokens and set X_ACCESS_TOKEN');
          const next = String(Number(cursor ?? '100') + 1);
          return { messages: [mention(next, by % 2 ? 'कोथरूडमध्ये कचरा साचला आहे' : 'Hadapsar me paani nahi aa raha')], cursor: next };
        },
      };
      const connector: Connector = { channel: 'twitter', accountIds: ['17'], limits: {}, pollers: [poller], send: async () => ({ providerId: 'x' }), resend: { kind: 'idempotent', how: 'test' } };
      const queue = open();
      const s = new PollScheduler({ connectors: [connector], intake, store, health: new ChannelHealth(), logger: createLogger('silent'), ticks: queue.ticks });
      cleanups.push(async () => {
        await s.stop();
        await store.close();
      });
      return s;
    });
    await Promise.all(schedulers.map((s) => s.start()));
    await sleep(2_100);
    // each poll read on from the cursor the last one (in whichever process) kept: no message read twice
    expect(polls.length).toBeGreaterThanOrEqual(5);
    expect(polls.length).toBeLessThanOrEqual(13);
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(accepted.length).toBe(polls.length);
    expect(new Set(polls).size).toBeGreaterThan(1); // the ticks went to more than one process

    refuse = true;
    const before = polls.length;
    await until('the refused poll', () => polls.length > before, 1_000);
    await sleep(1_200);
    // refused once: the wait is in the store, so no process tries again for minutes
    expect(polls.length).toBe(before + 1);
  });

  it('holds a lease in one process at a time, and another takes it over when the holder is killed', async () => {
    const leaseMs = 1_500;
    // the first holder is a real process, SIGKILLed: it cannot release anything
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../support/lease-holder.ts'), redis.url, 'watch:poll:email:inbox:imap', String(leaseMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let childHeld = false;
    child.stdout.on('data', (d: Buffer) => (childHeld ||= d.toString().includes('held')));
    cleanups.push(async () => void child.kill('SIGKILL'));
    await until('the child holding the lease', () => childHeld, 15_000);

    const held = [false, false];
    const queues = [open(leaseMs), open(leaseMs)];
    queues.forEach((q, i) => q.ticks.hold('watch:poll:email:inbox:imap', (h) => (held[i] = h)));
    await sleep(leaseMs);
    expect(held).toEqual([false, false]); // the child holds it and renews it

    const killedAt = Date.now();
    child.kill('SIGKILL');
    await until('the lease taken over', () => held.includes(true), leaseMs * 3);
    expect(Date.now() - killedAt).toBeLessThan(leaseMs * 2 + 500);
    await sleep(leaseMs);
    expect(held.filter(Boolean)).toHaveLength(1); // and only one of the two took it
  });

  it("runs the jobs of a worker process that was SIGKILLed mid-job in another process (stalled-job recovery), once", async () => {
    const lockMs = 1_500;
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../support/queue-worker.ts'), redis.url, String(lockMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const took: number[] = [];
    child.stdout.on('data', (d: Buffer) => took.push(...[...d.toString().matchAll(/took (\d+)/g)].map((m) => Number(m[1]))));
    cleanups.push(async () => void child.kill('SIGKILL'));
    const q = open(lockMs / 2);
    for (const id of [41, 42, 43]) await q.enqueue('inbound', id, { group: `sms:+9198${id}` });
    await until('the child taking the three jobs', () => took.length === 3, 15_000);
    child.kill('SIGKILL');
    const killedAt = Date.now();
    const ran: number[] = [];
    q.process('inbound', async (id) => void ran.push(id), 4);
    await until('the stalled jobs run here', () => ran.length === 3, lockMs * 4 + 5_000);
    expect(ran.sort()).toEqual([41, 42, 43]);
    expect(Date.now() - killedAt).toBeLessThan(lockMs * 4 + 5_000);
    await sleep(lockMs);
    expect(ran).toHaveLength(3); // taken over once, not once per stalled check
  });

  it('a nudge (IMAP IDLE heard mail) during a running tick gives one more run right after it, not at the next tick', async () => {
    const [a, b] = [open(), open()];
    const runs: number[] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const handler = async () => {
      runs.push(Date.now());
      if (runs.length === 1) await first;
    };
    // every 60 s: only the first tick and what the nudge asks for can run in this test
    await Promise.all([a.ticks.every('poll:email:inbox:imap', 60_000, handler), b.ticks.every('poll:email:inbox:imap', 60_000, handler)]);
    await until('the first run', () => runs.length === 1, 5_000);
    await b.ticks.nudge('poll:email:inbox:imap'); // mail came while the first poll was reading
    await sleep(300);
    expect(runs).toHaveLength(1); // never beside the running one
    const endedAt = Date.now();
    release();
    await until('the run the nudge asked for', () => runs.length === 2, 5_000);
    expect(runs[1]! - endedAt).toBeLessThan(2_000);
  });
});
