import { randomUUID } from 'node:crypto';
import { DelayedError, Queue as BullQueue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { ConfigError } from '../config/config-error.ts';
import type { EnqueueOptions, JobHandler, Queue, Topic } from './queue.ts';

interface JobData {
  id: number;
  group?: string;
}

/** how long a run's locks live without renewal: a dead process's group is free again after this */
const LOCK_TTL_MS = 30_000;
/** a job whose group (or own id) is running elsewhere comes back after this */
const LOCKED_RETRY_MS = 50;
const SIZE_REFRESH_MS = 1_000;

// Atomic over all keys: either every lock of the run is taken with our token, or none is.
const ACQUIRE = `for i = 1, #KEYS do if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end end
for i = 1, #KEYS do redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2]) end
return 1`;
// Only the holder's token releases or renews: a lock that expired and was taken by another run is left alone.
const RELEASE = `for i = 1, #KEYS do if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end end
return 1`;
const RENEW = `for i = 1, #KEYS do if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end end
return 1`;

/** BullMQ job ids may not contain ':' nor be all digits (tweet ids are): the topic prefix rules out both */
const jobIdOf = (topic: Topic, id: number) => `${topic}-${id}`;

/** the URL as it may be printed: without its password */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unreadable URL)';
  }
}

export interface BullMqQueueOptions {
  /** a job whose handler threw (the pipeline keeps its own retries in the store, so BullMQ does not retry) */
  onError?: (topic: Topic, id: number, err: unknown) => void;
  /** Redis went away or a worker could not talk to it; ioredis reconnects by itself */
  onRedisError?: (err: unknown) => void;
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
  readonly kind = 'bullmq';
  /** one connection for the queues, the workers (each duplicates it for its blocking reads) and the locks */
  private readonly redis: Redis;
  private readonly queues = new Map<Topic, BullQueue<JobData>>();
  private readonly workers: Worker<JobData>[] = [];
  private readonly sizeTimer: NodeJS.Timeout;
  private cachedSize = 0;
  private closed = false;

  constructor(
    url: string,
    private readonly opts: BullMqQueueOptions = {},
  ) {
    // null: a command waits for Redis to come back instead of failing, which a BullMQ Worker requires
    this.redis = new Redis(url, { maxRetriesPerRequest: null });
    this.redis.on('error', (err) => this.opts.onRedisError?.(err));
    for (const topic of ['inbound', 'outbound'] as const) {
      // removed when done, so the same id can be queued again later; the store is the record of what happened
      const queue = new BullQueue<JobData>(`pmc-${topic}`, {
        connection: this.redis,
        defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
      });
      queue.on('error', (err) => this.opts.onRedisError?.(err));
      this.queues.set(topic, queue);
    }
    this.sizeTimer = setInterval(() => void this.refreshSize(), SIZE_REFRESH_MS);
    this.sizeTimer.unref();
  }

  private queue(topic: Topic): BullQueue<JobData> {
    return this.queues.get(topic)!;
  }

  async enqueue(topic: Topic, id: number, opts: EnqueueOptions = {}): Promise<void> {
    if (this.closed) return;
    const queue = this.queue(topic);
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

  process(topic: Topic, handler: JobHandler, concurrency: number): void {
    if (this.closed) return;
    const worker = new Worker<JobData>(`pmc-${topic}`, (job, token) => this.run(topic, job, token, handler), {
      connection: this.redis,
      concurrency,
    });
    worker.on('failed', (job, err) => {
      if (job) this.opts.onError?.(topic, job.data.id, err);
    });
    // without a listener an 'error' event would end the process
    worker.on('error', (err) => this.opts.onRedisError?.(err));
    this.workers.push(worker);
  }

  private async run(topic: Topic, job: Job<JobData>, token: string | undefined, handler: JobHandler): Promise<void> {
    const { id, group } = job.data;
    const keys = [`pmc:lock:${topic}:job:${id}`, ...(group ? [`pmc:lock:${topic}:group:${group}`] : [])];
    const owner = randomUUID();
    const took = await this.redis.eval(ACQUIRE, keys.length, ...keys, owner, LOCK_TTL_MS);
    if (took !== 1) {
      // not a failure: back to delayed, and BullMQ takes the next job
      await job.moveToDelayed(Date.now() + LOCKED_RETRY_MS, token);
      throw new DelayedError();
    }
    // renewed while the handler runs, so a long run keeps its group; a dead process's lock expires
    const renew = setInterval(() => {
      this.redis.eval(RENEW, keys.length, ...keys, owner, LOCK_TTL_MS).catch((err: unknown) => this.opts.onRedisError?.(err));
    }, LOCK_TTL_MS / 3);
    try {
      await handler(id);
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE, keys.length, ...keys, owner).catch((err: unknown) => this.opts.onRedisError?.(err));
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

  /** the workers first (each waits for its active jobs), then the queues, then the connection they share */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sizeTimer);
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.redis.quit().catch(() => this.redis.disconnect());
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
