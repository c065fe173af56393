import { DelayedError, Queue as BullQueue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { ConfigError } from '../config/config-error.ts';
import { redactUrl } from '../config/redact-url.ts';
import type { EnqueueOptions, JobHandler, Lane, Queue, QueueHealth, Topic } from './queue.ts';
import { BullMqTicks } from './bullmq-ticks.ts';
import { takeLocks, whileHeld } from './redis-locks.ts';

interface JobData {
  id: number;
  group?: string;
}

/** how long a run's locks live without renewal by default: a dead process's jobs and group are free after this */
const LOCK_MS = 30_000;
/** a job whose group (or own id) is running elsewhere comes back after this */
const LOCKED_RETRY_MS = 50;
const SIZE_REFRESH_MS = 1_000;
/** how long a stop waits for BullMQ's own orderly close before it lets go of a Redis that does not answer */
const CLOSE_WAIT_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** a lane's name as part of a queue name (channels are plain words; anything else is made safe) */
const queueNameOf = (topic: Topic, lane?: string) => (lane ? `pmc-${topic}-${lane.replace(/[^A-Za-z0-9_-]/g, '_')}` : `pmc-${topic}`);
/** a lane without a rate of its own: a limit no bridge reaches, there so that rateLimit() works */
const UNLIMITED_PER_SECOND = 100_000;

/** BullMQ's limiter counts whole jobs per duration: the fewest jobs a second that keeps to the rate, over a stretched duration */
export function limiterOf(perMinute: number | undefined): { max: number; duration: number } {
  if (!perMinute || perMinute <= 0) return { max: UNLIMITED_PER_SECOND, duration: 1_000 };
  // never faster than asked: 90 a minute is 2 jobs every 1,333 ms, not 2 a second
  const max = Math.ceil(perMinute / 60);
  return { max, duration: Math.round((60_000 * max) / perMinute) };
}

/** BullMQ job ids may not contain ':' nor be all digits (tweet ids are): the topic prefix rules out both */
const jobIdOf = (topic: Topic, id: number) => `${topic}-${id}`;

export interface BullMqQueueOptions {
  /** a job whose handler threw (the pipeline keeps its own retries in the store, so BullMQ does not retry) */
  onError?: (topic: Topic, id: number, err: unknown) => void;
  /** Redis went away or a worker could not talk to it; ioredis reconnects by itself */
  onRedisError?: (err: unknown) => void;
  /**
   * how long the locks of a process that died keep others from its work: BullMQ's job lock (its stalled jobs are
   * then run by another worker), a conversation's group lock, and leases (IMAP IDLE, half of it). Default 30 s.
   */
  lockMs?: number;
}

/**
 * The Queue port on BullMQ: many processes on many machines share the work through one Redis.
 *
 * Guarantees, across processes: a (topic, id) waiting or delayed is not added twice; jobs of one group (one
 * citizen's conversation) run one at a time, and a job never runs beside itself, through Redis locks taken for
 * the run. Order within a group is FIFO best effort only: a job that finds its group busy goes back to delayed
 * for LOCKED_RETRY_MS, and a later job of the group may take the lock first when the holder finishes. The store
 * keeps the state, so order matters for what the citizen reads, not for correctness.
 */
export class BullMqQueue implements Queue {
  readonly shared = true;
  readonly kind = 'bullmq';
  /** one connection for the queues, the workers (each duplicates it for its blocking reads) and the locks */
  private readonly redis: Redis;
  /** by BullMQ queue name: pmc-inbound, pmc-outbound, and an outbound lane per channel (pmc-outbound-sms …) */
  private readonly queues = new Map<string, BullQueue<JobData>>();
  private readonly workers: Worker<JobData>[] = [];
  readonly ticks: BullMqTicks;
  private readonly sizeTimer: NodeJS.Timeout;
  private cachedSize = 0;
  /** since when Redis has been away, and the last error it gave */
  private down?: { since: string; error: string };
  private closed = false;
  private readonly lockMs: number;
  /** the handlers running here: a stop waits for them even when Redis is away */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    url: string,
    private readonly opts: BullMqQueueOptions = {},
  ) {
    this.lockMs = opts.lockMs ?? LOCK_MS;
    // null: a command waits for Redis to come back instead of failing, which a BullMQ Worker requires
    this.redis = new Redis(url, { maxRetriesPerRequest: null });
    this.redis.on('error', (err) => {
      if (this.down) this.down.error = err.message;
      this.opts.onRedisError?.(err);
    });
    // the socket's own events, at once: a webhook taken while Redis is away is refused rather than left hanging
    this.redis.on('close', () => (this.down ??= { since: new Date().toISOString(), error: 'the connection to Redis closed' }));
    this.redis.on('ready', () => {
      // a Redis restarted empty has lost the schedules: each process upserts its own again
      if (this.down) void this.ticks.upsertAgain();
      this.down = undefined;
    });
    for (const topic of ['inbound', 'outbound'] as const) this.queue(topic);
    this.ticks = new BullMqTicks(this.redis, (err) => this.opts.onRedisError?.(err), { leaseMs: this.lockMs / 2 });
    this.sizeTimer = setInterval(() => void this.refreshSize(), SIZE_REFRESH_MS);
    this.sizeTimer.unref();
  }

  /** the BullMQ queue of a topic, or of one lane of it (made on first use) */
  private queue(topic: Topic, lane?: string): BullQueue<JobData> {
    const name = queueNameOf(topic, lane);
    let queue = this.queues.get(name);
    if (!queue) {
      // removed when done, so the same id can be queued again later; the store is the record of what happened
      queue = new BullQueue<JobData>(name, { connection: this.redis, defaultJobOptions: { removeOnComplete: true, removeOnFail: true } });
      queue.on('error', (err) => this.opts.onRedisError?.(err));
      this.queues.set(name, queue);
    }
    return queue;
  }

  health(): QueueHealth {
    return this.down ? { ok: false, ...this.down } : { ok: true };
  }

  async enqueue(topic: Topic, id: number, opts: EnqueueOptions = {}): Promise<void> {
    if (this.closed) return;
    const queue = this.queue(topic, opts.lane);
    const base = jobIdOf(topic, id);
    // BullMQ ignores an add whose id exists, active jobs included; a retry queued from inside the job's own run
    // must still run, so while the base id is active the job is queued under a second id. The two alternate
    // (base, -r, base…) and the id lock keeps them from ever running side by side. If the base id finishes
    // between this check and the add, the job runs once more than needed: harmless, the store decides.
    const jobId = (await queue.getJobState(base)) === 'active' ? `${base}-r` : base;
    const data: JobData = { id, ...(opts.group ? { group: opts.group } : {}) };
    await queue.add(topic, data, { jobId, ...(opts.delayMs && opts.delayMs > 0 ? { delay: opts.delayMs } : {}) });
    this.cachedSize++;
  }

  /** a worker for the topic's own queue and one for each lane, so a lane slowed by its provider holds no other */
  process(topic: Topic, handler: JobHandler, concurrency: number, lanes: readonly Lane[] = []): void {
    if (this.closed) return;
    for (const lane of [undefined, ...lanes]) {
      const queue = this.queue(topic, lane?.name);
      const worker = new Worker<JobData>(queue.name, (job, token) => this.run(topic, job, token, handler), {
        connection: this.redis,
        concurrency,
        // a job whose process died (its lock not renewed) is found stalled within this and run by another worker
        lockDuration: this.lockMs,
        stalledInterval: this.lockMs,
        // BullMQ honours rateLimit() only on a worker with a limiter: without a rate of its own, one never reached
        limiter: limiterOf(lane?.perMinute),
      });
      worker.on('failed', (job, err) => {
        if (job) this.opts.onError?.(topic, job.data.id, err);
      });
      // without a listener an 'error' event would end the process
      worker.on('error', (err) => this.opts.onRedisError?.(err));
      this.workers.push(worker);
    }
  }

  /** no job of the lane starts, in any process, for `ms` (a provider's 429) */
  async rateLimit(topic: Topic, lane: string, ms: number): Promise<void> {
    if (this.closed || ms <= 0) return;
    await this.queue(topic, lane).rateLimit(ms);
  }

  private async run(topic: Topic, job: Job<JobData>, token: string | undefined, handler: JobHandler): Promise<void> {
    const { id, group } = job.data;
    const keys = [`pmc:lock:${topic}:job:${id}`, ...(group ? [`pmc:lock:${topic}:group:${group}`] : [])];
    const lock = await takeLocks(this.redis, keys, this.lockMs);
    if (!lock) {
      // not a failure: back to delayed, and BullMQ takes the next job
      await job.moveToDelayed(Date.now() + LOCKED_RETRY_MS, token);
      throw new DelayedError();
    }
    // renewed while the handler runs, so a long run keeps its group; a dead process's lock expires
    const run = whileHeld(lock, this.lockMs, () => handler(id), (err) => this.opts.onRedisError?.(err));
    this.inFlight.add(run);
    try {
      await run;
    } finally {
      this.inFlight.delete(run);
    }
  }

  /**
   * Jobs waiting, delayed or running in Redis, for all processes: read every SIZE_REFRESH_MS (the port's size()
   * is synchronous), plus this process's enqueues since, so it is at most that stale.
   */
  size(): number {
    return this.cachedSize;
  }

  private async refreshSize(): Promise<void> {
    try {
      let n = 0;
      for (const queue of this.queues.values()) {
        const counts = await queue.getJobCounts('wait', 'delayed', 'prioritized', 'active');
        n += Object.values(counts).reduce((a, b) => a + b, 0);
      }
      this.cachedSize = n;
    } catch {
      // Redis away: keep the last figure; the connection's error handler reports it
    }
  }

  /**
   * The ticks and workers first (each waits for its active jobs), then the queues, then the connection they
   * share. With Redis away that orderly close would wait for it forever: after CLOSE_WAIT_MS (at once if Redis is
   * already down) the connection is dropped, which fails the commands waiting for it, and the handlers that ran
   * here get as long again to end. Their work is in the store; what they left unqueued, a sweep queues.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sizeTimer);
    const orderly = (async () => {
      await this.ticks.close();
      await Promise.all(this.workers.map((w) => w.close()));
      await Promise.all([...this.queues.values()].map((q) => q.close()));
      await this.redis.quit();
    })().then(() => true, () => false);
    if (await Promise.race([orderly, sleep(this.down ? 0 : CLOSE_WAIT_MS).then(() => false)])) return;
    this.redis.disconnect();
    for (const w of this.workers) void w.disconnect().catch(() => undefined);
    await Promise.race([Promise.allSettled([...this.inFlight, ...this.ticks.running()]), sleep(CLOSE_WAIT_MS)]);
  }
}

/**
 * Refuses, before anything starts, a Redis the queue cannot use: one that cannot be reached, or one whose
 * maxmemory-policy may evict keys (BullMQ's jobs are keys).
 */
export async function checkRedis(url: string): Promise<void> {
  const shown = redactUrl(url);
  // fail fast: no retries, no offline queue, so an unreachable Redis is an error now rather than a hang
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  redis.on('error', () => {}); // the failure is reported by connect() below
  try {
    try {
      await redis.connect();
    } catch (err) {
      throw new ConfigError(`QUEUE_URL=${shown}: cannot reach Redis (${(err as Error).message}). Start Redis or correct QUEUE_URL.`);
    }
    let policy: string | undefined;
    try {
      const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
      policy = reply[1];
    } catch (err) {
      throw new ConfigError(`QUEUE_URL=${shown}: could not read Redis's maxmemory-policy (${(err as Error).message}). Allow CONFIG GET for this user, and make sure the policy is noeviction.`);
    }
    if (policy !== 'noeviction')
      throw new ConfigError(
        `QUEUE_URL=${shown}: Redis has maxmemory-policy ${policy ?? '(none)'}; set maxmemory-policy noeviction: BullMQ keeps its jobs as keys, and an evicting policy loses them.`,
      );
  } finally {
    redis.disconnect();
  }
}
