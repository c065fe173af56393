/** The two kinds of work the pipeline hands to its queue. */
export type Topic = 'inbound' | 'outbound';

export interface EnqueueOptions {
  /** run no earlier than this many ms from now */
  delayMs?: number;
  /** jobs of one group run one at a time, in the order they were enqueued (one citizen's conversation) */
  group?: string;
  /** outbound: the channel, whose lane a provider's rate limit slows without slowing the others (shared queue) */
  lane?: string;
}

/** an outbound lane: one channel's sends, at most `perMinute` a minute across all processes when set */
export interface Lane {
  name: string;
  perMinute?: number;
}

import type { Ticks } from './ticks.ts';

/** whether jobs can be queued now; while not, a webhook is refused (503) so its sender tries again */
export type QueueHealth = { ok: true } | { ok: false; since: string; error: string };

/** the queue cannot take jobs now (Redis is away): nothing was archived, and the sender should try again */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}

export type JobHandler = (id: number) => Promise<void>;

/**
 * The job queue port: in-process (this folder) or BullMQ on Redis. A job is just the id of a row in the store;
 * the store holds the state, so a queue may lose waiting jobs on a crash and the pipeline's resume finds them.
 * A job whose (topic, id) is already waiting is not added twice; one that is running may be queued again (a
 * retry scheduled from inside its own run) and then runs after itself, never beside itself.
 */
export interface Queue {
  readonly kind: string;
  /** several processes take jobs from it (Redis): a web process queues what it accepts, for the workers */
  readonly shared: boolean;
  /** the schedules of what the bridge starts itself (polls, tasks), shared by the processes of this queue */
  readonly ticks: Ticks;
  enqueue(topic: Topic, id: number, opts?: EnqueueOptions): Promise<void>;
  process(topic: Topic, handler: JobHandler, concurrency: number, lanes?: readonly Lane[]): void;
  /**
   * The provider said "too many" for this lane: no job of it starts, in any process, for `ms`. The in-process
   * queue has no lanes: there each reply waits its own retry, and the connector's token bucket paces the rest.
   */
  rateLimit(topic: Topic, lane: string, ms: number): Promise<void>;
  health(): QueueHealth;
  /**
   * The job is waiting or running in this queue already, so a sweep need not read its message again to queue it
   * (in a burst most due messages are). Left out by a queue that cannot say without a round trip (Redis).
   */
  holds?(topic: Topic, id: number): boolean;
  /** jobs waiting or running */
  size(): number;
  /** stops the ticks and taking jobs, and waits until the running ones finish; waiting jobs stay in the store for the next start */
  close(): Promise<void>;
}
