import type { Connector, PipelineIntake } from '../connectors/connector.ts';
import type { Logger } from '../http/logger.ts';
import type { InboundMessage } from '../model/index.ts';
import type { RoutingDefaults } from '../router/resolve-mapping.ts';
import { RoutingTable } from '../router/routing-table.ts';
import type { ArchiveResult, CompletedInbound, InboundCompletion, Store } from '../store/store.ts';
import type { Messages } from '../bots/messages.ts';
import { createNormalizer, type Normalize, type NormalizedMessage } from '../normalizer/index.ts';
import type { Conversations } from '../bots/conversations.ts';
import { conversationOf, converse } from './converse.ts';
import { backoffDelay, retriesExhausted, type RetryPolicy } from './backoff.ts';
import { deliverOutbound } from './deliver-outbound.ts';
import { boundText, describeError } from './describe-error.ts';
import { GroupCommit } from './group-commit.ts';
import { DamagedRecordError, EtagConflictError } from '../store/errors.ts';
import { prepareInbound } from './process-inbound.ts';
import { requestRatings } from './request-ratings.ts';
import { wakeConversations, type WakeDeps } from './wake-conversations.ts';
import { QueueUnavailableError, type Queue, type QueueHealth } from './queue.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { IngestActivity } from './ingest-activity.ts';
import { SweepTasks, type SweepTask } from './sweep-task.ts';
import { inQuietHours, type QuietHours } from '../notify/quiet-hours.ts';

// a conflict means someone else moved the conversation on; more than this many in a row is a real problem
const MOST_CONFLICT_RERUNS = 5;
// how stale this process's routing may be when a message is routed: another process's change shows within this
const ROUTING_MAX_AGE_MS = 250;
// a delayed job's timer may fire a little before the time the store says (clock granularity): that is due
const EARLY_TIMER_MS = 50;
// how often resolved tickets are looked for, however often the pipeline sweeps
const RATINGS_EVERY_MS = 5_000;
// with several processes the scheduled work is one shared tick, this often at most (a job in Redis each time)
const SCHEDULED_EVERY_MS = 1_000;

/** one citizen's conversation: its messages run one at a time, in order */
const groupOf = conversationOf;

export interface PipelineOptions {
  store: Store;
  queue: Queue;
  connectors: readonly Connector[];
  logger: Logger;
  defaults: RoutingDefaults;
  /** what citizens read (config/messages): the bot's texts, and the one-shot replies */
  messages: Messages;
  /** built from the gazetteer (config/wards.yaml, categories.yaml); default: no ward or category hints */
  normalize?: Normalize;
  /** complaint categories: a source's own category id → its department (the intake API) */
  categories?: readonly { id: string; department: string }[];
  /** mappings, rules and SLA as staff saved them (one table shared with the admin API); default: built here */
  routing?: RoutingTable;
  /** config/holidays.yaml, for due dates in working days (when the table is built here) */
  calendarPath?: string;
  /** the bot, for conversational mappings (config bot.enabled); without it every message is filed and acknowledged */
  conversations?: Conversations;
  /** for reading ticket numbers in the bot's replies */
  ticketPrefix?: string;
  retry: RetryPolicy;
  concurrency: number;
  /** told of every accept, so that a queue in this process can let webhooks go first during a burst */
  ingest?: IngestActivity;
  sweepIntervalMs: number;
  /** sends a minute per channel (config pipeline.sendPerMinute; 0: none); default: the connector's own rate */
  sendPerMinute?: Partial<Record<string, number>>;
  /** false: this process only archives and acknowledges; another processes (default true) */
  process?: boolean;
  /** false: this process files tickets and fills the outbox but leaves sending to another (default true) */
  deliver?: boolean;
  now?: () => Date;
  /**
   * when the bridge asks for ratings: not in quiet hours (IST), and only once a resolution is this old, so the
   * news of it (a status update, after its settle time) reaches the citizen before the question does
   */
  ratings?: { quietHours: QuietHours | null; afterResolvedMs: number };
  /** what the bridge does on its own schedule (status updates, reminders, digests, campaigns): run by the process that files tickets */
  tasks?: readonly SweepTask[];
  /** told when a message has its ticket and reply in the outbox (benchmarks, tests) */
  onProcessed?: (inboundId: number, message: InboundMessage) => void;
}

/**
 * The stages wired together. Webhooks call `accept` (archive, then acknowledge); the queue runs the rest.
 * At least once, with idempotent steps: on start and on every sweep, whatever the store says is still due is
 * queued again.
 */
export class Pipeline implements PipelineIntake {
  private readonly archive: GroupCommit<InboundMessage, ArchiveResult>;
  private readonly complete: GroupCommit<InboundCompletion, CompletedInbound>;
  private readonly connectors: Map<string, Connector>;
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly now: () => Date;
  private readonly normalize: Normalize;
  readonly routing: RoutingTable;
  private sweepTimer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private stopped = false;
  /** eTag conflicts per message, rerun at once without counting as an attempt */
  private readonly conflicts = new Map<number, number>();
  private ratingsSweptAt = 0;
  private readonly tasks: SweepTasks;
  /** the last archive write that failed, until one succeeds: /readyz reports it */
  private archiveFailure?: { since: string; lastAt: number; error: string };

  constructor(private readonly o: PipelineOptions) {
    this.archive = new GroupCommit((messages) => o.store.archiveInbound(messages), 512);
    this.complete = new GroupCommit((items) => o.store.completeInbound(items), 128);
    this.connectors = new Map(o.connectors.map((c) => [c.channel, c]));
    // one process paces each channel with a token bucket; a shared queue paces its lanes for all processes
    if (!o.queue.shared)
      for (const c of o.connectors) {
        const perMinute = this.perMinute(c);
        if (perMinute) this.limiters.set(c.channel, new RateLimiter(perMinute / 60));
      }
    this.now = o.now ?? (() => new Date());
    this.tasks = new SweepTasks(o.tasks ?? [], o.logger);
    this.normalize = o.normalize ?? createNormalizer();
    this.routing =
      o.routing ??
      new RoutingTable({ store: o.store, defaults: o.defaults, logger: o.logger, ...(o.categories ? { categories: o.categories } : {}), ...(o.calendarPath ? { calendarPath: o.calendarPath } : {}) });
  }

  async accept(messages: InboundMessage[]): Promise<{ accepted: number; duplicates: number }> {
    if (this.stopped) throw new Error('the pipeline is shutting down');
    // a message archived now would wait for Redis unqueued: refused instead, its sender sends it again
    const queue = this.o.queue.health();
    if (!queue.ok) throw new QueueUnavailableError(`the queue cannot take jobs (${queue.error}, since ${queue.since})`);
    let results: ArchiveResult[];
    const ended = this.o.ingest?.begin();
    try {
      results = await Promise.all(messages.map((m) => this.archive.submit(m)));
    } catch (err) {
      const now = this.now();
      this.archiveFailure = { since: this.archiveFailure?.since ?? now.toISOString(), lastAt: now.getTime(), error: describeError(err) };
      throw err;
    } finally {
      ended?.();
    }
    this.archiveFailure = undefined;
    let duplicates = 0;
    results.forEach((r, i) => {
      if (r.duplicate) duplicates++;
      // a web process on a shared queue queues for the workers; on its own, a worker's sweep finds the message
      else if (this.o.process !== false || this.o.queue.shared) void this.enqueueAccepted(r.id, messages[i]!);
    });
    if (duplicates > 0) this.o.logger.info({ duplicates }, 'dropped redelivered messages');
    return { accepted: results.length - duplicates, duplicates };
  }

  /** archived is safe: a queue that fails now (Redis went away) is made good by a later sweep */
  private async enqueueAccepted(id: number, message: InboundMessage): Promise<void> {
    try {
      await this.o.queue.enqueue('inbound', id, { group: groupOf(message) });
    } catch (err) {
      this.o.logger.warn({ inboundId: id, err }, 'could not queue an archived message; a sweep queues it');
    }
  }

  /** the channel's send limit a minute: the config's, else the connector's own, else none */
  private perMinute(c: Connector): number | undefined {
    const configured = this.o.sendPerMinute?.[c.channel];
    if (configured !== undefined) return configured > 0 ? configured : undefined;
    return c.limits.ratePerSecond ? c.limits.ratePerSecond * 60 : undefined;
  }

  /**
   * Queues a send. On a shared queue it goes in its channel's lane, so that a provider's rate limit slows that
   * channel alone; the channel is read from the outbox entry when the caller does not know it.
   */
  private async enqueueOutbound(id: number, opts: { delayMs?: number; channel?: string } = {}): Promise<void> {
    const lane = this.o.queue.shared ? (opts.channel ?? (await this.o.store.getOutbox(id))?.message.channel) : undefined;
    await this.o.queue.enqueue('outbound', id, { ...(opts.delayMs ? { delayMs: opts.delayMs } : {}), ...(lane ? { lane } : {}) });
  }

  /** whether the last attempt to archive a webhook's message failed (and why): such webhooks are answered 503 */
  archiveHealth(): { ok: true } | { ok: false; since: string; lastAt: number; error: string } {
    return this.archiveFailure ? { ok: false, ...this.archiveFailure } : { ok: true };
  }

  /** the queue's state, for /readyz */
  queueHealth(): QueueHealth & { kind: string } {
    return { kind: this.o.queue.kind, ...this.o.queue.health() };
  }

  async recordDelivery(providerId: string, state: 'sent' | 'delivered' | 'undelivered', error?: string): Promise<void> {
    const known = await this.o.store.recordDelivery(providerId, state, error === undefined ? undefined : boundText(error));
    if (!known) this.o.logger.warn({ providerId, state }, 'delivery receipt for a message we do not know');
  }

  /** starts the workers, queues what a previous run left unfinished, and sweeps periodically */
  async start(): Promise<void> {
    await this.routing.refresh();
    if (this.o.process === false && this.o.deliver === false) {
      // a web process routes nothing, but its admin pages show the texts and names staff saved in any process
      this.sweepTimer = setInterval(() => void this.routing.refresh().catch(() => undefined), this.o.sweepIntervalMs);
      this.sweepTimer.unref();
      return; // accept() is all it does
    }
    if (this.o.process !== false) this.o.queue.process('inbound', (id) => this.runInbound(id), this.o.concurrency);
    // a lane per channel on a shared queue, paced there across processes (instead of by this process's buckets)
    const lanes = this.o.connectors.map((c) => {
      const perMinute = this.perMinute(c);
      return { name: c.channel, ...(perMinute ? { perMinute } : {}) };
    });
    if (this.o.deliver !== false) this.o.queue.process('outbound', (id) => this.runOutbound(id), this.o.concurrency, lanes);
    const resumed = await this.sweep();
    if (resumed.inbound + resumed.outbound > 0) this.o.logger.info(resumed, 'resumed unfinished work');
    if (this.o.queue.shared && this.o.process !== false)
      await this.o.queue.ticks.every('pipeline-scheduled', Math.max(SCHEDULED_EVERY_MS, this.o.sweepIntervalMs), async () => {
        if (this.stopped) return;
        const ratings = this.now().getTime() - this.ratingsSweptAt >= RATINGS_EVERY_MS;
        await this.runScheduled(ratings).catch((err: unknown) => this.o.logger.error({ err }, 'scheduled work failed; its next tick tries again'));
      });
    this.sweepTimer = setInterval(() => {
      // a worker sweeps every 250 ms to hear of new messages; resolved tickets need not be looked for that often
      const ratings = this.now().getTime() - this.ratingsSweptAt >= RATINGS_EVERY_MS;
      if (!this.sweeping) this.sweeping = this.sweep({ ratings }).then(() => undefined, (err) => this.o.logger.error({ err }, 'sweep failed')).finally(() => (this.sweeping = undefined));
    }, this.o.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  /**
   * Queues every due inbound message and outbox entry; also picks up mapping edits and staff retries, and asks
   * the citizens of newly resolved tickets for a rating.
   */
  async sweep(opts: { ratings?: boolean } = {}): Promise<{ inbound: number; outbound: number; ratingsAsked: number }> {
    const now = this.now();
    await this.routing.refresh();
    // a web process on a shared queue queues for the workers too (a dead letter staff retried in its admin)
    const queues = (does: boolean | undefined) => does !== false || this.o.queue.shared;
    const inbound = !queues(this.o.process) ? [] : await this.o.store.listDueInbound(now, 10_000);
    for (const id of inbound) {
      // already in line or running here: a burst's backlog is not read again every sweep
      if (this.o.queue.holds?.('inbound', id)) continue;
      // in its conversation's group, so that a citizen's messages resumed after a crash still go in order
      const archived = await this.readInbound(id);
      if (archived === null) continue;
      const message = archived?.message;
      await this.o.queue.enqueue('inbound', id, message ? { group: groupOf(message) } : {});
    }
    const outbound = !queues(this.o.deliver) ? [] : await this.o.store.listDueOutbox(now, 10_000);
    for (const id of outbound) await this.enqueueOutbound(id);
    // with shared ticks (several processes) the scheduled work is a tick of its own, run by one of them
    const ratingsAsked = this.o.queue.shared ? 0 : await this.runScheduled(opts.ratings !== false);
    return { inbound: inbound.length, outbound: outbound.length, ratingsAsked };
  }

  /** the bridge's own work: its tasks (status updates first), rating questions, and the bot's due turns */
  private async runScheduled(ratings: boolean): Promise<number> {
    if (this.o.process === false) return 0;
    // the news of a resolution is queued before the question that asks to rate it
    const queued = await this.tasks.run(this.now());
    if (this.o.deliver !== false) for (const id of queued) await this.enqueueOutbound(id);
    const ratingsAsked = ratings ? await this.askForRatings() : 0;
    await this.wakeConversations();
    return ratingsAsked;
  }

  /** what the turns the bridge starts itself (wake-ups, rating requests) need */
  private botTurnDeps(conversations: Conversations): WakeDeps {
    return {
      store: this.o.store,
      conversations,
      connectors: this.connectors,
      routing: this.routing,
      normalize: this.normalize,
      ticketPrefix: this.o.ticketPrefix ?? 'PMC',
      messages: this.o.messages,
      logger: this.o.logger,
      now: this.now,
    };
  }

  /** the process that files tickets runs the bot's own turns that are due (a promised photo that never came) */
  private async wakeConversations(): Promise<void> {
    if (this.o.process === false || !this.o.conversations) return;
    try {
      const woken = await wakeConversations(this.botTurnDeps(this.o.conversations));
      if (woken.woken > 0) this.o.logger.info({ woken: woken.woken }, 'ran the bot on conversations that were waiting');
      if (this.o.deliver !== false) for (const id of woken.outboxIds) await this.enqueueOutbound(id);
    } catch (err) {
      this.o.logger.error({ err }, 'waking conversations failed; the next sweep tries again');
    }
  }

  /** the process that files tickets also asks for ratings; a failure here must not stop the sweep's other work */
  private async askForRatings(): Promise<number> {
    if (this.o.process === false || !this.o.conversations) return 0;
    const now = this.now();
    this.ratingsSweptAt = now.getTime();
    // a question the citizen would read at night waits for the morning
    if (inQuietHours(now, this.o.ratings?.quietHours)) return 0;
    try {
      const after = this.o.ratings?.afterResolvedMs;
      const sweep = await requestRatings(this.botTurnDeps(this.o.conversations), after ? { resolvedBefore: new Date(now.getTime() - after) } : {});
      if (sweep.asked + sweep.notAsked > 0) this.o.logger.info({ asked: sweep.asked, notAsked: sweep.notAsked, later: sweep.later }, 'asked citizens to rate resolved tickets');
      if (this.o.deliver !== false) for (const id of sweep.outboxIds) await this.enqueueOutbound(id);
      return sweep.asked;
    } catch (err) {
      this.o.logger.error({ err }, 'asking for ratings failed; the next sweep tries again');
      return 0;
    }
  }

  /** null: it cannot be read, and is a dead letter now (no retry could read it) */
  private async readInbound(id: number) {
    try {
      return await this.o.store.getInbound(id);
    } catch (err) {
      if (!(err instanceof DamagedRecordError)) throw err;
      await this.o.store.markInboundDead(id, err.message);
      this.o.logger.error({ inboundId: id, err }, 'message moved to the dead letters: it cannot be read');
      return null;
    }
  }

  private async runInbound(id: number): Promise<void> {
    const archived = await this.readInbound(id);
    if (!archived || archived.state !== 'pending') return;
    let outboxIds: number[];
    try {
      // a mapping or rule staff changed applies from the next message: at once in this process, within a quarter
      // of a second in another (asking the store for every message halved the throughput)
      const fresh = this.routing.refreshIfOlder(ROUTING_MAX_AGE_MS);
      if (fresh) await fresh;
      const completion = prepareInbound(archived, {
        connectors: this.connectors,
        routing: this.routing,
        messages: this.o.messages,
        normalize: this.normalize,
        conversational: this.o.conversations !== undefined,
        ...(this.o.categories ? { categories: this.o.categories } : {}),
        ...(this.o.conversations ? { readPublicPost: (n: NormalizedMessage) => this.o.conversations!.readPublicPost(n) } : {}),
        now: this.now,
      });
      if ('skip' in completion) {
        // no ticket, no answer: answering an auto-reply or a bounce starts a mail loop
        await this.o.store.markInboundDone(id);
        this.o.logger.info({ inboundId: id, channel: archived.message.channel, reason: completion.skip }, 'automated message: filed nothing, answered nothing');
        this.o.onProcessed?.(id, archived.message);
        return;
      }
      if ('opt' in completion) {
        // STOP / START: the choice, its one confirmation and the message done in one step (no ticket, no bot)
        ({ outboxIds } = await this.o.store.campaigns.recordOpt(completion.opt));
      } else if ('converse' in completion) {
        const turn = await converse(archived, completion, {
          store: this.o.store,
          conversations: this.o.conversations!,
          connectors: this.connectors,
          ticketPrefix: this.o.ticketPrefix ?? 'PMC',
          messages: this.o.messages,
          calendar: () => this.routing.calendar(),
          now: this.now,
        });
        ({ outboxIds } = await this.o.store.completeTurn(turn));
      } else ({ outboxIds } = await this.complete.submit(completion));
    } catch (err) {
      // the citizen's conversation moved on under this turn (another process, a resumed job): run it again on
      // the fresh state at once; that is not a failure, so it costs no attempt, up to a bound
      if (err instanceof EtagConflictError && (this.conflicts.get(id) ?? 0) < MOST_CONFLICT_RERUNS) {
        this.conflicts.set(id, (this.conflicts.get(id) ?? 0) + 1);
        await this.o.queue.enqueue('inbound', id, { group: groupOf(archived.message) });
        return;
      }
      this.conflicts.delete(id);
      const attempt = archived.attempts + 1;
      const error = describeError(err);
      if (retriesExhausted(attempt, archived.archivedAt, this.now(), this.o.retry)) {
        await this.o.store.markInboundDead(id, `${error} (gave up after ${attempt} attempts)`);
        this.o.logger.error({ inboundId: id, err }, 'message moved to the dead letters');
      } else {
        const delayMs = backoffDelay(attempt, this.o.retry);
        await this.o.store.markInboundRetry(id, error, new Date(this.now().getTime() + delayMs));
        await this.o.queue.enqueue('inbound', id, { delayMs, group: groupOf(archived.message) });
        this.o.logger.warn({ inboundId: id, attempt, delayMs, err }, 'processing failed, will retry');
      }
      return;
    }
    this.conflicts.delete(id);
    this.o.onProcessed?.(id, archived.message);
    if (this.o.deliver !== false) for (const oid of outboxIds) await this.enqueueOutbound(oid);
  }

  private async runOutbound(id: number): Promise<void> {
    const entry = await this.o.store.getOutbox(id);
    if (!entry) return;
    // queued twice (a sweep came during its send): a retry waits for its time, the rate limit's reset or the
    // backoff; the sweep queues it again when it is due
    if (entry.state === 'pending' && new Date(entry.nextAttemptAt).getTime() > this.now().getTime() + EARLY_TIMER_MS) return;
    const outcome = await deliverOutbound(entry, {
      store: this.o.store,
      connectors: this.connectors,
      limiters: this.limiters,
      retry: this.o.retry,
      now: this.now,
    });
    const log = { outboxId: id, channel: entry.message.channel, kind: entry.message.kind };
    if (outcome.kind === 'sent') this.o.logger.info({ ...log, recovered: outcome.recovered }, 'reply sent');
    else if (outcome.kind === 'rerouted') {
      this.o.logger.info({ ...log, by: outcome.channel, copyOutboxIds: outcome.outboxIds }, 'reply cannot go by its channel now: sent by another');
      if (!this.stopped && this.o.deliver !== false) for (const copy of outcome.outboxIds) await this.enqueueOutbound(copy);
    } else if (outcome.kind === 'retry') {
      if (outcome.held) this.o.logger.debug({ ...log, delayMs: outcome.delayMs }, 'reply held: its account needs a person');
      else this.o.logger.warn({ ...log, delayMs: outcome.delayMs, error: outcome.error }, 'send failed, will retry');
      // the provider said "too many": the channel's lane waits in every process, not only this reply
      if (outcome.rateLimited) await this.o.queue.rateLimit('outbound', entry.message.channel, outcome.delayMs);
      if (!this.stopped) await this.enqueueOutbound(id, { delayMs: outcome.delayMs, channel: entry.message.channel });
    } else if (outcome.kind === 'dead') this.o.logger.error({ ...log, error: outcome.error }, 'reply moved to the dead letters');
  }

  /** refuses new messages, writes what was accepted, and lets running jobs finish */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.archive.drain();
    await this.sweeping;
    await this.o.queue.close();
    await this.complete.drain();
  }
}
