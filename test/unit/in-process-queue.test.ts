import { describe, expect, it } from 'vitest';
import { InProcessQueue } from '../../src/pipeline/in-process-queue.ts';
import { IngestActivity } from '../../src/pipeline/ingest-activity.ts';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('in-process queue', () => {
  it('runs the jobs of one conversation one at a time, in order, while others go on', async () => {
    const q = new InProcessQueue();
    const log: string[] = [];
    q.process(
      'inbound',
      async (id) => {
        log.push(`start ${id}`);
        await tick(id === 1 ? 30 : 1);
        log.push(`end ${id}`);
      },
      4,
    );
    await q.enqueue('inbound', 1, { group: 'sms:+919800000001' });
    await q.enqueue('inbound', 2, { group: 'sms:+919800000001' });
    await q.enqueue('inbound', 3, { group: 'sms:+919800000002' });
    await tick(60);
    // 2 waits for 1 (same citizen); 3 does not
    expect(log.indexOf('start 2')).toBeGreaterThan(log.indexOf('end 1'));
    expect(log.indexOf('end 3')).toBeLessThan(log.indexOf('end 1'));
  });

  it('does not add a job that is already waiting', async () => {
    const q = new InProcessQueue();
    let runs = 0;
    q.process('outbound', async () => {
      runs++;
      await tick(10);
    }, 1);
    await q.enqueue('outbound', 1); // runs at once and keeps the only slot busy…
    await q.enqueue('outbound', 7); // …so 7 waits
    await q.enqueue('outbound', 7);
    await q.enqueue('outbound', 7);
    await tick(40);
    expect(runs).toBe(2);
  });

  it('says which jobs it holds, waiting or running, so a sweep need not read their messages again', async () => {
    const q = new InProcessQueue();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    q.process('inbound', () => gate, 1);
    await q.enqueue('inbound', 1); // runs, and holds the only slot
    await q.enqueue('inbound', 2); // waits
    expect([q.holds('inbound', 1), q.holds('inbound', 2), q.holds('inbound', 3), q.holds('outbound', 1)]).toEqual([true, true, false, false]);
    release();
    await tick(10);
    expect([q.holds('inbound', 1), q.holds('inbound', 2)]).toEqual([false, false]);
  });

  it('runs a job queued again while it runs (a retry from inside its own run) after itself, never beside itself', async () => {
    const q = new InProcessQueue();
    let running = 0;
    let overlap = false;
    let runs = 0;
    q.process('outbound', async (id) => {
      if (++running > 1) overlap = true;
      runs++;
      if (runs === 1) await q.enqueue('outbound', id, { delayMs: 5 }); // the retry
      await tick(10);
      running--;
    }, 4);
    await q.enqueue('outbound', 7);
    await tick(60);
    expect(runs).toBe(2);
    expect(overlap).toBe(false);
  });

  it('honours delays and respects the concurrency limit', async () => {
    const q = new InProcessQueue();
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    q.process('inbound', async (id) => {
      running++;
      peak = Math.max(peak, running);
      await tick(5);
      running--;
      done.push(id);
    }, 2);
    await q.enqueue('inbound', 100, { delayMs: 40 });
    for (let i = 1; i <= 6; i++) await q.enqueue('inbound', i);
    await tick(30);
    expect(done).not.toContain(100);
    expect(peak).toBe(2);
    await tick(40);
    expect(done).toContain(100);
  });

  it('close waits for running jobs and starts no new ones', async () => {
    const q = new InProcessQueue();
    const done: number[] = [];
    q.process('inbound', async (id) => {
      await tick(20);
      done.push(id);
    }, 1);
    await q.enqueue('inbound', 1);
    await q.enqueue('inbound', 2);
    await tick(2);
    await q.close();
    expect(done).toEqual([1]);
    await tick(30);
    expect(done).toEqual([1]);
  });

  it('reports a failing job to its error handler and keeps going', async () => {
    const errors: number[] = [];
    const q = new InProcessQueue((_t, id) => errors.push(id));
    const done: number[] = [];
    q.process('inbound', async (id) => {
      if (id === 1) throw new Error('boom');
      done.push(id);
    }, 1);
    await q.enqueue('inbound', 1);
    await q.enqueue('inbound', 2);
    await tick(10);
    expect(errors).toEqual([1]);
    expect(done).toEqual([2]);
  });

  it('lets the event loop go round every few jobs, so waiting webhooks are read during a backlog', async () => {
    const doneWhenLoopTurned = async (jobsPerTurn: number) => {
      const q = new InProcessQueue(() => {}, jobsPerTurn);
      let done = 0;
      q.process('inbound', async () => void done++, 4);
      for (let i = 1; i <= 50; i++) await q.enqueue('inbound', i);
      const seen = await new Promise<number>((r) => setImmediate(() => r(done)));
      await tick(20);
      expect(done).toBe(50);
      return seen;
    };
    expect(await doneWhenLoopTurned(Number.POSITIVE_INFINITY)).toBe(50); // without a budget: the loop waits for all
    expect(await doneWhenLoopTurned(2)).toBeLessThan(10);
  });

  it('lets the loop go round every few jobs only while webhooks arrive; a backlog with none coming runs at full speed', async () => {
    const doneInOneTurn = async (webhookArriving: boolean) => {
      const webhooks = new IngestActivity();
      const ended = webhookArriving ? webhooks.begin() : undefined; // a webhook being archived now
      const q = new InProcessQueue(() => {}, 2, undefined, webhooks);
      let done = 0;
      q.process('inbound', async () => void done++, 4);
      for (let i = 1; i <= 50; i++) await q.enqueue('inbound', i);
      const seen = await new Promise<number>((r) => setImmediate(() => r(done)));
      ended?.();
      await tick(20);
      expect(done).toBe(50);
      return seen;
    };
    expect(await doneInOneTurn(true)).toBeLessThan(10);
    expect(await doneInOneTurn(false)).toBe(50);
  });
});
