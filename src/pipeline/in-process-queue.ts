import type { BurstPolicy, IngestActivity } from './ingest-activity.ts';
import type { EnqueueOptions, JobHandler, Queue, QueueHealth, Topic } from './queue.ts';
import { LocalTicks } from './ticks.ts';

interface Job {
  id: number;
  group?: string;
  /** when it became ready to run (performance.now()) */
  readyAt: number;
}

class TopicLane {
  constructor(readonly topic: Topic) {}
  handler?: JobHandler;
  concurrency = 1;
  /** a FIFO: jobs before `head` are taken; compacted now and then so a long backlog costs O(1) a job */
  private jobs: Job[] = [];
  private head = 0;
  /** ids waiting or delayed: the dedupe set (a running job may be queued again, to run after itself) */
  readonly queued = new Set<number>();
  readonly active = new Set<number>();
  readonly busyGroups = new Set<string>();

  push(job: Job): void {
    this.jobs.push(job);
  }

  /** jobs waiting to start */
  waiting(): number {
    return this.jobs.length - this.head;
  }

  /** how long the job longest in line has waited, in ms */
  oldestWait(now: number): number {
    const first = this.jobs[this.head];
    return first ? now - first.readyAt : 0;
  }

  /** the first job that may start: its group (one citizen's conversation) and its id are not running */
  take(): Job | undefined {
    for (let i = this.head; i < this.jobs.length; i++) {
      const job = this.jobs[i]!;
      if ((job.group && this.busyGroups.has(job.group)) || this.active.has(job.id)) continue;
      if (i === this.head) this.head++;
      else this.jobs.splice(i, 1);
      if (this.head > 1024 && this.head * 2 > this.jobs.length) {
        this.jobs = this.jobs.slice(this.head);
        this.head = 0;
      }
      return job;
    }
    return undefined;
  }
}

/**
 * A queue inside this process. Durable only through the store: the pipeline re-enqueues whatever the store says
 * is still due when it starts and on every sweep.
 */
export class InProcessQueue implements Queue {
  readonly shared = false;
  readonly kind = 'in-process';
  readonly ticks = new LocalTicks();
  private readonly lanes = new Map<Topic, TopicLane>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  /** jobs started since the queue last yielded to the event loop; see `jobsPerTurn` */
  private startedThisTurn = 0;
  private resumeScheduled = false;
  /** during a burst: jobs that may still start before the next tick, and the tick's timer */
  private burstStarts = 0;
  private burstTimer?: NodeJS.Timeout;

  /**
   * @param jobsPerTurn after starting this many jobs the queue waits for the next turn of the event loop, so that
   *   webhooks waiting on their sockets are read in between: under a burst the bridge keeps acknowledging quickly
   *   and works off the backlog with the CPU left over (never none: every turn starts some).
   * @param webhooks whether webhooks are queuing up (IngestActivity.busy), which the burst policy needs; when
   *   given, the queue also yields every jobsPerTurn jobs only while they do: a count
   *   of jobs a turn also caps the jobs a second, which halved the bot's speed on a backlog with no webhook
   *   coming (a restart's resume, an import) and under a steady load kept one from ever being worked off
   */
  constructor(
    private readonly onError: (topic: Topic, id: number, err: unknown) => void = () => {},
    private readonly jobsPerTurn = Number.POSITIVE_INFINITY,
    /** acknowledging first during a burst (see BurstPolicy); none: jobs start as fast as they can */
    private readonly burst?: BurstPolicy,
    private readonly webhooks?: IngestActivity,
  ) {}

  private lane(topic: Topic): TopicLane {
    let lane = this.lanes.get(topic);
    if (!lane) this.lanes.set(topic, (lane = new TopicLane(topic)));
    return lane;
  }

  async enqueue(topic: Topic, id: number, opts: EnqueueOptions = {}): Promise<void> {
    if (this.closed) return;
    const lane = this.lane(topic);
    if (lane.queued.has(id)) return;
    lane.queued.add(id);
    const job: Job = { id, readyAt: performance.now(), ...(opts.group ? { group: opts.group } : {}) };
    if (opts.delayMs && opts.delayMs > 0) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (this.closed) return;
          job.readyAt = performance.now();
        lane.push(job);
        this.pump(lane);
      }, opts.delayMs);
      t.unref();
      this.timers.add(t);
      return;
    }
    lane.push(job);
    this.pump(lane);
  }

  process(topic: Topic, handler: JobHandler, concurrency: number): void {
    const lane = this.lane(topic);
    lane.handler = handler;
    lane.concurrency = concurrency;
    this.pump(lane);
  }

  holds(topic: Topic, id: number): boolean {
    const lane = this.lanes.get(topic);
    return lane !== undefined && (lane.queued.has(id) || lane.active.has(id));
  }

  size(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.queued.size + lane.active.size;
    return n;
  }

  private pump(lane: TopicLane): void {
    const handler = lane.handler;
    if (!handler || this.closed) return;
    while (lane.active.size < lane.concurrency) {
      if (this.startedThisTurn >= this.jobsPerTurn && (this.webhooks?.busy() ?? true)) return this.resumeNextTurn();
      if (this.yieldingToWebhooks(lane)) {
        if (this.burstStarts <= 0) return this.resumeNextTick();
        this.burstStarts--;
      }
      // keeps one citizen's messages in order without blocking the others
      const job = lane.take();
      if (!job) return;
      this.startedThisTurn++;
      lane.queued.delete(job.id);
      lane.active.add(job.id);
      if (job.group) lane.busyGroups.add(job.group);
      handler(job.id)
        .catch((err) => this.onError(lane.topic, job.id, err))
        .finally(() => {
          lane.active.delete(job.id);
          if (job.group) lane.busyGroups.delete(job.group);
          if (this.running() === 0) for (const w of this.idleWaiters.splice(0)) w();
          this.pump(lane);
        });
    }
  }

  /** setImmediate runs after the poll phase, where waiting HTTP requests are read */
  private resumeNextTurn(): void {
    if (this.resumeScheduled) return;
    this.resumeScheduled = true;
    setImmediate(() => {
      this.resumeScheduled = false;
      this.startedThisTurn = 0;
      for (const lane of this.lanes.values()) this.pump(lane);
    });
  }

  /** an overload while webhooks arrive, and nobody in line has waited too long yet */
  private yieldingToWebhooks(lane: TopicLane): boolean {
    const b = this.burst;
    if (!b || !this.webhooks || lane.waiting() <= b.backlog || !this.webhooks.busy()) return false;
    return lane.oldestWait(performance.now()) < b.maxDelayMs;
  }

  private resumeNextTick(): void {
    if (this.burstTimer || this.closed) return;
    this.burstTimer = setTimeout(() => {
      this.burstTimer = undefined;
      this.burstStarts = this.burst!.jobsPerTick;
      for (const lane of this.lanes.values()) this.pump(lane);
    }, this.burst!.tickMs);
  }

  private running(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.active.size;
    return n;
  }

  async rateLimit(): Promise<void> {
    // one process: the reply that met the limit waits its retry; the connector's token bucket paces the others
  }

  health(): QueueHealth {
    return { ok: true };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.ticks.close();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    clearTimeout(this.burstTimer);
    if (this.running() > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}
