import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { BullMqQueue, checkRedis, limiterOf } from '../../src/pipeline/bullmq-queue.ts';
import { freePort } from '../support/bridge-process.ts';
import { command, startRedisServer, type RedisServer } from '../support/redis-server.ts';
import { describeNeeding } from '../support/system-tools.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(10);
  }
}

interface Run {
  id: number;
  start: number;
  end: number;
}
const overlaps = (a: Run, b: Run) => a.start < b.end && b.start < a.end;

describeNeeding('redis-server', 'BullMQ queue on a private redis-server', () => {
  let redis: RedisServer;
  const queues: BullMqQueue[] = [];
  const open = (onError?: (topic: string, id: number, err: unknown) => void) => {
    const q = new BullMqQueue(redis.url, onError ? { onError } : {});
    queues.push(q);
    return q;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  beforeEach(async () => {
    expect(await command(redis.port, 'FLUSHALL')).toBe('+OK');
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.close()));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('runs the enqueued jobs with the handler, reports a failing one and keeps going', async () => {
    const errors: number[] = [];
    const q = open((_t, id) => errors.push(id));
    expect(q.kind).toBe('bullmq');
    const done: number[] = [];
    q.process('inbound', async (id) => {
      if (id === 3) throw new Error('boom');
      done.push(id);
    }, 2);
    for (let i = 1; i <= 5; i++) await q.enqueue('inbound', i);
    await until(() => done.length === 4 && errors.length === 1);
    expect(done.sort()).toEqual([1, 2, 4, 5]);
    expect(errors).toEqual([3]);
  });

  it('runs a delayed job no earlier than its delay', async () => {
    const q = open();
    let ranAfter = -1;
    q.process('outbound', async () => void (ranAfter = Date.now() - t0), 1);
    const t0 = Date.now();
    await q.enqueue('outbound', 9, { delayMs: 300 });
    await sleep(150);
    expect(ranAfter).toBe(-1);
    await until(() => ranAfter >= 0);
    expect(ranAfter).toBeGreaterThanOrEqual(300);
  });

  it('does not add a (topic, id) that is already waiting, and takes it again once it has run', async () => {
    const q = open();
    for (let i = 0; i < 3; i++) await q.enqueue('outbound', 7);
    await q.enqueue('inbound', 7); // another topic: another job
    expect(q.size()).toBeGreaterThanOrEqual(2);
    const runs: string[] = [];
    q.process('outbound', async (id) => void runs.push(`out ${id}`), 2);
    q.process('inbound', async (id) => void runs.push(`in ${id}`), 2);
    await until(() => runs.length === 2);
    await sleep(200);
    expect(runs.sort()).toEqual(['in 7', 'out 7']);
    await q.enqueue('outbound', 7); // removed on completion: the same id may be queued later
    await until(() => runs.length === 3);
  });

  it('runs a job queued again from inside its own run after itself, never beside itself', async () => {
    const q = open();
    const runs: Run[] = [];
    q.process('outbound', async (id) => {
      const run = { id, start: Date.now(), end: 0 };
      runs.push(run);
      if (runs.length === 1) await q.enqueue('outbound', id); // the retry, due at once
      await sleep(100);
      run.end = Date.now();
    }, 4);
    await q.enqueue('outbound', 7);
    await until(() => runs.length === 2 && runs[1]!.end > 0);
    await sleep(200);
    expect(runs).toHaveLength(2);
    expect(runs[1]!.start).toBeGreaterThanOrEqual(runs[0]!.end);
  });

  it('never overlaps two jobs of one group across two processes, while other groups run in parallel', async () => {
    const [a, b] = [open(), open()];
    const runs = new Map<string, Run[]>();
    const handler = async (id: number) => {
      const run = { id, start: Date.now(), end: 0 };
      const group = id < 10 ? 'g1' : 'g2';
      runs.set(group, [...(runs.get(group) ?? []), run]);
      await sleep(80);
      run.end = Date.now();
    };
    a.process('inbound', handler, 4);
    b.process('inbound', handler, 4);
    for (let i = 1; i <= 4; i++) {
      await a.enqueue('inbound', i, { group: 'sms:+919800000001' });
      await b.enqueue('inbound', 10 + i, { group: 'sms:+919800000002' });
    }
    const finished = () => [...runs.values()].flat().filter((r) => r.end > 0).length;
    await until(() => finished() === 8, 10_000);
    for (const group of runs.values()) {
      expect(group).toHaveLength(4);
      for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) expect(overlaps(group[i]!, group[j]!)).toBe(false);
    }
    // the two conversations went on side by side
    expect(runs.get('g1')!.some((r) => runs.get('g2')!.some((s) => overlaps(r, s)))).toBe(true);
  });

  it('close() waits for the running job and starts no other', async () => {
    const q = open();
    const done: number[] = [];
    let started = 0;
    q.process('inbound', async (id) => {
      started++;
      await sleep(300);
      done.push(id);
    }, 1);
    await q.enqueue('inbound', 1);
    await q.enqueue('inbound', 2);
    await until(() => started === 1);
    await q.close();
    expect(done).toEqual([1]);
    await sleep(100);
    expect(started).toBe(1);
  });

  it('checkRedis accepts noeviction, refuses an evicting policy naming it, and an unreachable Redis clearly', async () => {
    await expect(checkRedis(redis.url)).resolves.toBeUndefined();

    const evicting = await startRedisServer({ maxmemoryPolicy: 'allkeys-lru' });
    try {
      const err = await checkRedis(evicting.url).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/QUEUE_URL=.*maxmemory-policy allkeys-lru.*set maxmemory-policy noeviction/);
    } finally {
      await evicting.stop();
    }

    const port = await freePort(); // nothing listens there
    const err = await checkRedis(`redis://:s3cret@127.0.0.1:${port}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/QUEUE_URL=.*cannot reach Redis.*Start Redis or correct QUEUE_URL/);
    expect((err as Error).message).not.toContain('s3cret');
  });

  it("paces a lane to its sends a minute across two processes, and leaves the other lanes alone", async () => {
    const [a, b] = [open(), open()];
    const at: Record<string, number[]> = { sms: [], email: [] };
    const t0 = Date.now();
    for (const q of [a, b]) q.process('outbound', async (id) => void at[id < 100 ? 'sms' : 'email']!.push(Date.now() - t0), 4, [{ name: 'sms', perMinute: 600 }, { name: 'email' }]);
    for (let i = 0; i < 20; i++) await a.enqueue('outbound', i, { lane: 'sms' });
    for (let i = 100; i < 120; i++) await b.enqueue('outbound', i, { lane: 'email' });
    await until(() => at.sms!.length === 20 && at.email!.length === 20, 10_000);
    // 10 a second for both processes together: 20 take more than a second; email is not held by it
    expect(Math.max(...at.sms!)).toBeGreaterThanOrEqual(900);
    expect(Math.max(...at.email!)).toBeLessThan(Math.max(...at.sms!));
  });

  it('limiterOf turns sends a minute into what BullMQ counts', () => {
    expect(limiterOf(600)).toEqual({ max: 10, duration: 1_000 });
    expect(limiterOf(90)).toEqual({ max: 2, duration: 1_333 }); // 90 a minute, not 120
    expect(limiterOf(12)).toEqual({ max: 1, duration: 5_000 });
    expect(limiterOf(0).max).toBeGreaterThan(10_000);
    expect(limiterOf(undefined).max).toBeGreaterThan(10_000);
  });
});
