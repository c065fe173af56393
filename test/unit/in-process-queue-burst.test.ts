import { describe, expect, it } from 'vitest';
import { InProcessQueue } from '../../src/pipeline/in-process-queue.ts';
import { IngestActivity, type BurstPolicy } from '../../src/pipeline/ingest-activity.ts';
import { loadConfig } from '../../src/config/load.ts';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** a queue of `n` waiting jobs under `policy`; returns how many have started so far, and the queue */
async function backlogOf(n: number, ingest: IngestActivity, policy: BurstPolicy) {
  const q = new InProcessQueue(() => {}, Number.POSITIVE_INFINITY, policy, ingest);
  let started = 0;
  // queued before a worker takes them, as a burst leaves them waiting behind busy workers
  for (let i = 1; i <= n; i++) await q.enqueue('inbound', i);
  q.process('inbound', async () => void started++, 32);
  return { q, started: () => started };
}

describe('the in-process queue during a burst of webhooks', () => {
  it('starts only a few jobs a tick while webhooks are being archived and the backlog is long', async () => {
    const ingest = new IngestActivity(20);
    const webhook = ingest.begin(); // a webhook's archive in progress for the whole test
    const { q, started } = await backlogOf(200, ingest, { backlog: 16, jobsPerTick: 2, tickMs: 20, maxDelayMs: 60_000 });
    await wait(100);
    // without the policy all 200 would have started by now; the first 16 over the backlog go at once
    expect(started()).toBeGreaterThan(0);
    expect(started()).toBeLessThan(60);
    webhook();
    await q.close();
  });

  it('works at full speed again as soon as webhooks stop', async () => {
    const ingest = new IngestActivity(20);
    const webhook = ingest.begin();
    const { q, started } = await backlogOf(200, ingest, { backlog: 16, jobsPerTick: 1, tickMs: 10, maxDelayMs: 60_000 });
    await wait(30);
    expect(started()).toBeLessThan(100);
    webhook();
    await wait(150); // quiet for longer than quietMs: the next tick starts everything
    expect(started()).toBe(200);
    await q.close();
  });

  it('never holds a message back longer than maxDelayMs, even while the burst goes on', async () => {
    const ingest = new IngestActivity(20);
    const webhook = ingest.begin();
    const { q, started } = await backlogOf(200, ingest, { backlog: 16, jobsPerTick: 1, tickMs: 10, maxDelayMs: 60 });
    await wait(250);
    expect(started()).toBe(200);
    webhook();
    await q.close();
  });

  it('does not slow a backlog no longer than `backlog`, nor one with no webhooks arriving', async () => {
    const ingest = new IngestActivity(20);
    const webhook = ingest.begin();
    const short = await backlogOf(16, ingest, { backlog: 16, jobsPerTick: 1, tickMs: 1000, maxDelayMs: 60_000 });
    await wait(20); // far less than a tick: only jobs started at full speed have run
    expect(short.started()).toBe(16);
    webhook();
    const quiet = new IngestActivity(0);
    const long = await backlogOf(200, quiet, { backlog: 16, jobsPerTick: 1, tickMs: 1000, maxDelayMs: 60_000 });
    await wait(20);
    expect(long.started()).toBe(200);
    await Promise.all([short.q.close(), long.q.close()]);
  });

  it('counts webhooks as queuing up only from `crowdedAt` at once, and for quietMs after the crowd thins', () => {
    let now = 0;
    const ingest = new IngestActivity(20, () => now, 4);
    // a steady load the process keeps up with: a few at a time, each waiting for its archive's flush
    const few = [ingest.begin(), ingest.begin(), ingest.begin()];
    expect(ingest.busy()).toBe(false);
    const fourth = ingest.begin(); // a crowd
    expect(ingest.busy()).toBe(true);
    now = 5;
    fourth();
    expect(ingest.busy()).toBe(true); // thinned a moment ago
    now = 30;
    expect(ingest.busy()).toBe(false);
    for (const end of few) end();
    expect(ingest.busy()).toBe(false);
  });

  it('leaves a backlog under a steady trickle of webhooks at full speed', async () => {
    const ingest = new IngestActivity(20, undefined, 16);
    const trickle = [ingest.begin(), ingest.begin()]; // two webhooks being archived: no crowd
    const { q, started } = await backlogOf(200, ingest, { backlog: 16, jobsPerTick: 1, tickMs: 1000, maxDelayMs: 60_000 });
    await wait(20);
    expect(started()).toBe(200);
    for (const end of trickle) end();
    await q.close();
  });
});

describe('the shipped burst settings (config/default.yaml)', () => {
  it('all but pause processing while a crowd of webhooks is archived, and resume at full speed once it thins', async () => {
    const { burst } = loadConfig({ env: {} }).config.pipeline;
    // as app.ts builds it: its own quiet period
    const ingest = new IngestActivity(undefined, undefined, burst.webhooksAtOnce);
    // a flood: as many webhooks being archived at once as its senders have connections
    const crowd = Array.from({ length: burst.webhooksAtOnce }, () => ingest.begin());
    const { q, started } = await backlogOf(burst.backlog + 200, ingest, burst);
    await wait(500);
    // each job run during a flood costs acknowledgements: 32 every 200 ms (160 a second) cost a third of them
    // (`npm run bench ingest`); now a trickle, to show it is not stuck
    expect(started()).toBeLessThanOrEqual(25);
    for (const end of crowd) end();
    await wait(100 + burst.tickMs);
    expect(started()).toBe(burst.backlog + 200);
    await q.close();
  });
});
