import { DelayedError, Queue as BullQueue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { takeLocks, whileHeld, type HeldLock } from './redis-locks.ts';
import type { TickHandler, Ticks } from './ticks.ts';

/** a tick's run lock lives this long unrenewed: a process that died mid-run frees its schedule after this */
const RUN_LOCK_MS = 30_000;
/** a nudge that finds a tick running comes back after this */
const NUDGE_RETRY_MS = 500;
/** a Redis call of a lease that takes longer than a third of the lease counts as failed (commands wait for Redis) */
const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms).unref())]);
/** a lease (IMAP IDLE) lives this long unrenewed by default; it is renewed, or asked for, every third of it */
const LEASE_MS = 15_000;

/** queue and scheduler names: BullMQ refuses ':' in ids, and the channel keys have them */
const safe = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_');

interface Lease {
  onChange: (held: boolean) => void;
  lock?: HeldLock;
  renewedAt: number;
  timer?: NodeJS.Timeout;
}

/**
 * Ticks on BullMQ: one queue per name with a job scheduler (`upsertJobScheduler`), which every process upserts
 * alike, so Redis holds one schedule and each tick is one job, taken by one process. A run lock in Redis skips a
 * tick that finds the previous one still running in another process. Leases are keys with a token and an expiry.
 */
export class BullMqTicks implements Ticks {
  readonly shared = true;
  private readonly queues = new Map<string, BullQueue>();
  private readonly workers: Worker[] = [];
  private readonly leases = new Map<string, Lease>();
  /** what this process scheduled, to upsert again after Redis restarted empty */
  private readonly schedules = new Map<string, number>();
  private closed = false;
  private readonly leaseMs: number;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly redis: Redis,
    private readonly onError: (err: unknown) => void,
    opts: { leaseMs?: number } = {},
  ) {
    this.leaseMs = opts.leaseMs ?? LEASE_MS;
  }

  private queue(name: string): BullQueue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new BullQueue(`pmc-tick-${safe(name)}`, { connection: this.redis, defaultJobOptions: { removeOnComplete: true, removeOnFail: true } });
      queue.on('error', this.onError);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async every(name: string, everyMs: number, handler: TickHandler): Promise<void> {
    if (this.closed) return;
    const queue = this.queue(name);
    this.schedules.set(name, everyMs);
    await this.upsert(name, everyMs);
    const worker = new Worker(queue.name, (job, token) => this.run(name, handler, job, token), { connection: this.redis, concurrency: 1 });
    worker.on('error', this.onError);
    worker.on('failed', (_job, err) => this.onError(err));
    this.workers.push(worker);
  }

  /** the same id and interval from every process: an upsert, not a second schedule */
  private async upsert(name: string, everyMs: number): Promise<void> {
    await this.queue(name).upsertJobScheduler(safe(name), { every: everyMs }, { name: 'tick', opts: { removeOnComplete: true, removeOnFail: true } });
  }

  /** after a reconnection: Redis may have restarted without its data, schedules and all */
  async upsertAgain(): Promise<void> {
    for (const [name, everyMs] of this.schedules) if (!this.closed) await this.upsert(name, everyMs).catch(this.onError);
  }

  private async run(name: string, handler: TickHandler, job: Job, token: string | undefined): Promise<void> {
    const lock = await takeLocks(this.redis, [`pmc:lock:tick:${safe(name)}`], RUN_LOCK_MS);
    if (!lock) {
      // a scheduled tick while the last still runs elsewhere is skipped; a nudge (new mail heard during that run)
      // waits for it to end, or the mail would wait for the next tick
      if (job.name !== 'nudge') return;
      await job.moveToDelayed(Date.now() + NUDGE_RETRY_MS, token);
      throw new DelayedError();
    }
    const run = whileHeld(lock, RUN_LOCK_MS, handler, this.onError);
    this.inFlight.add(run);
    try {
      await run;
    } finally {
      this.inFlight.delete(run);
    }
  }

  /** the ticks running in this process (a stop with Redis away waits for these, not for BullMQ) */
  running(): Promise<unknown>[] {
    return [...this.inFlight];
  }

  async nudge(name: string): Promise<void> {
    if (this.closed || !this.queues.has(name)) return;
    // one id a second: a burst of wake-ups is one extra tick, and one heard while a nudge runs is another
    await this.queue(name).add('nudge', {}, { jobId: `nudge-${Math.floor(Date.now() / 1000)}` });
  }

  hold(name: string, onChange: (held: boolean) => void): void {
    if (this.closed) return;
    const lease: Lease = { onChange, renewedAt: 0 };
    this.leases.set(name, lease);
    const key = `pmc:lease:${safe(name)}`;
    const step = async () => {
      if (this.closed) return;
      try {
        if (lease.lock) {
          if (await withTimeout(lease.lock.renew(), this.leaseMs / 3)) lease.renewedAt = Date.now();
          else this.lose(lease); // expired while Redis was slow, and maybe taken by another: let go
        } else {
          const lock = await withTimeout(takeLocks(this.redis, [key], this.leaseMs), this.leaseMs / 3);
          if (lock && !this.closed) {
            lease.lock = lock;
            lease.renewedAt = Date.now();
            onChange(true);
          } else await lock?.release();
        }
      } catch (err) {
        this.onError(err);
        // Redis away: past the lease's life another process may hold it once Redis is back
        if (lease.lock && Date.now() - lease.renewedAt > this.leaseMs) this.lose(lease);
      }
      if (!this.closed) {
        lease.timer = setTimeout(() => void step(), this.leaseMs / 3);
        lease.timer.unref();
      }
    };
    void step();
  }

  private lose(lease: Lease): void {
    lease.lock = undefined;
    lease.onChange(false);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // running ticks end first; the schedules stay in Redis for the processes still running
    await Promise.all(this.workers.map((w) => w.close()));
    for (const lease of this.leases.values()) {
      clearTimeout(lease.timer);
      if (lease.lock) {
        await lease.lock.release().catch(this.onError);
        lease.lock = undefined;
        lease.onChange(false);
      }
    }
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
