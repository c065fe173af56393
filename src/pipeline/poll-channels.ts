import { AccountRefusedError, type Connector, type HealthReporter, type PipelineIntake, type Poller } from '../connectors/connector.ts';
import type { Logger } from '../http/logger.ts';
import type { Channel } from '../model/index.ts';
import type { Store } from '../store/store.ts';
import { describeError } from './describe-error.ts';
import { QueueUnavailableError } from './queue.ts';
import { LocalTicks, type Ticks } from './ticks.ts';

export interface PollDeps {
  connectors: readonly Connector[];
  intake: PipelineIntake;
  store: Store;
  health: HealthReporter;
  logger: Logger;
  /** the queue's schedules: timers in one process, BullMQ job schedulers across processes (default: timers) */
  ticks?: Ticks;
  now?: () => number;
}

// a failing poll is tried again later and later, up to this; an account refused waits the longest
const MOST_BACKOFF_MS = 15 * 60_000;
// how long a stop waits for the polls in flight
const STOP_WAIT_MS = 20_000;
// a backlog is read page after page in one tick, up to this many; the next tick reads on
const MOST_PAGES_PER_TICK = 50;

/** when a poll may run next and why: failures in a row, and a time before which ticks are skipped */
interface Wait {
  failures: number;
  notBefore: number;
}
const NO_WAIT: Wait = { failures: 0, notBefore: 0 };

interface Slot {
  channel: Channel;
  poller: Poller;
  /** its cursor's key, and its schedule's name */
  key: string;
  running?: Promise<void>;
  /** the wait, when this process alone polls (shared ticks keep it in the store, for every process to see) */
  wait: Wait;
  watcher?: { stop(): Promise<void> };
}

/**
 * Runs every connector's pollers (X mentions and DMs, a page's recent comments, email's IMAP sweep), each on
 * its own schedule and never two polls of one account at a time in a process. What a poll read is archived
 * before its cursor moves: a crash between the two repeats the page, and the archive drops what it already holds.
 * A poll that fails is tried again with backoff; a provider's rate-limit reset is waited for; refused credentials
 * mark the account unhealthy.
 *
 * The schedules are the queue's ticks: with several processes on Redis each tick polls in one of them, the wait
 * after a failure is kept in the store for all of them, and a watcher (IMAP IDLE) runs in the one process that
 * holds its lease; another takes it over when that process dies.
 */
export class PollScheduler {
  private readonly slots: Slot[] = [];
  private stopped = false;
  private readonly now: () => number;
  private readonly ticks: Ticks;
  private readonly ownTicks: boolean;
  /** per account (channel and account id), the end of its polls queued so far: one poll of an account at a time */
  private readonly lanes = new Map<string, Promise<void>>();

  constructor(private readonly d: PollDeps) {
    this.now = d.now ?? Date.now;
    this.ownTicks = d.ticks === undefined;
    this.ticks = d.ticks ?? new LocalTicks();
    for (const c of d.connectors)
      for (const poller of c.pollers ?? []) this.slots.push({ channel: c.channel, poller, key: `poll:${c.channel}:${poller.accountId}:${poller.name}`, wait: NO_WAIT });
  }

  /** what is polled, e.g. "twitter 1234 mentions every 60 s" */
  describe(): string[] {
    return this.slots.map((s) => `${s.channel} ${s.poller.accountId} ${s.poller.name} every ${Math.round(s.poller.everyMs / 1000)} s`);
  }

  /** the first poll of each soon (what came while the bridge was down), then on their schedules */
  async start(): Promise<void> {
    for (const slot of this.slots) {
      await this.ticks.every(slot.key, slot.poller.everyMs, () => this.tick(slot));
      if (slot.poller.watch) this.ticks.hold(`watch:${slot.key}`, (held) => void this.watch(slot, held));
    }
  }

  /** starts the watcher where this process holds its lease, and stops it where the lease was lost */
  private async watch(slot: Slot, held: boolean): Promise<void> {
    if (held && !slot.watcher && !this.stopped) {
      // the channel heard of something new (IMAP IDLE): a tick now, which a failing account's backoff still skips
      slot.watcher = slot.poller.watch!(() => void this.ticks.nudge(slot.key).catch((err: unknown) => this.d.logger.warn({ err }, 'could not ask for a poll')));
      this.d.logger.info({ channel: slot.channel, accountId: slot.poller.accountId, poll: slot.poller.name }, 'watching for new messages here');
    } else if (!held && slot.watcher) {
      const watcher = slot.watcher;
      slot.watcher = undefined;
      await watcher.stop();
    }
  }

  /** polls everything once now, after any poll in flight, whatever the wait (tests, and `pmc-bridge` commands) */
  async runAll(): Promise<void> {
    await Promise.all(this.slots.map(async (slot) => {
      await slot.running;
      await this.tick(slot, { ignoreWait: true });
    }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // the polls in flight end first (archive, cursor, afterArchive), then the watchers stop; a poll stuck on a
    // silent server is not waited for past STOP_WAIT_MS (its cursor has not moved: the next start reads it again)
    await Promise.race([Promise.all(this.slots.map((s) => s.running)), new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref())]);
    if (this.ownTicks) await this.ticks.close();
    await Promise.all(this.slots.map((s) => {
      const watcher = s.watcher;
      s.watcher = undefined;
      return watcher?.stop();
    }));
  }

  /**
   * One account's polls one after another (X's mentions and DMs of one account are two pollers; together they
   * would spend its rate limits at once and race on its health), other accounts' meanwhile.
   */
  private inLane(slot: Slot, work: () => Promise<void>): Promise<void> {
    const lane = `${slot.channel}:${slot.poller.accountId}`;
    const run = (this.lanes.get(lane) ?? Promise.resolve()).then(work);
    const end = run.catch(() => undefined);
    this.lanes.set(lane, end);
    void end.then(() => {
      if (this.lanes.get(lane) === end) this.lanes.delete(lane);
    });
    return run;
  }

  /** one tick: unless a poll of this slot runs, or its wait is not over, polls, and reads on while there is more */
  private tick(slot: Slot, opts: { ignoreWait?: boolean } = {}): Promise<void> {
    if (slot.running || this.stopped) return slot.running ?? Promise.resolve();
    slot.running = this.inLane(slot, async () => {
      if (this.stopped) return;
      let wait = await this.readWait(slot);
      // a timer may fire a little early: a tick within a tenth of its interval of the wait's end is not skipped
      if (!opts.ignoreWait && this.now() + Math.min(1_000, slot.poller.everyMs / 10) < wait.notBefore) return;
      for (let page = 0; page < MOST_PAGES_PER_TICK && !this.stopped; page++) {
        const outcome = await this.pollOnce(slot, wait);
        const next: Wait = outcome.failed ? { failures: wait.failures + 1, notBefore: this.now() + outcome.waitMs } : { failures: 0, notBefore: outcome.waitMs > 0 ? this.now() + outcome.waitMs : 0 };
        if (next.failures !== wait.failures || next.notBefore !== wait.notBefore) await this.writeWait(slot, next);
        wait = next;
        if (!outcome.more) break;
      }
    })
      .catch((err: unknown) => this.d.logger.error({ err, channel: slot.channel, poll: slot.poller.name }, 'could not read or keep a poll\'s wait'))
      .finally(() => (slot.running = undefined));
    return slot.running;
  }

  private async readWait(slot: Slot): Promise<Wait> {
    if (!this.ticks.shared) return slot.wait;
    const kept = await this.d.store.getCursor(`wait:${slot.key}`);
    const [failures, notBefore] = (kept ?? '0:0').split(':').map(Number);
    return { failures: failures || 0, notBefore: notBefore || 0 };
  }

  private async writeWait(slot: Slot, wait: Wait): Promise<void> {
    if (!this.ticks.shared) slot.wait = wait;
    else await this.d.store.setCursor(`wait:${slot.key}`, `${wait.failures}:${wait.notBefore}`);
  }

  /** one poll (it never rejects): whether there is more to read now, or how long to wait past the schedule */
  private async pollOnce(slot: Slot, wait: Wait): Promise<{ failed: boolean; more: boolean; waitMs: number }> {
    const { poller, channel } = slot;
    const log = { channel, accountId: poller.accountId, poll: poller.name };
    try {
      const cursor = await this.d.store.getCursor(slot.key);
      const result = await poller.poll(cursor);
      if (result.messages.length > 0) {
        const { accepted, duplicates } = await this.d.intake.accept(result.messages);
        if (accepted > 0) this.d.logger.info({ ...log, accepted, duplicates }, 'poll brought new messages');
      }
      if (result.cursor !== undefined && result.cursor !== cursor) await this.d.store.setCursor(slot.key, result.cursor);
      await result.afterArchive?.();
      this.d.health.ok(channel, poller.accountId, poller.credential);
      if (result.waitUntil) {
        this.d.logger.info({ ...log, until: result.waitUntil.toISOString() }, 'rate limited: the poll goes on from its cursor at the reset');
        return { failed: false, more: false, waitMs: result.waitUntil.getTime() - this.now() + 1000 };
      }
      return { failed: false, more: result.more === true, waitMs: 0 };
    } catch (err) {
      const failures = wait.failures + 1;
      const error = describeError(err);
      if (err instanceof AccountRefusedError) {
        this.d.health.unauthorised(channel, poller.accountId, error, err.action, poller.credential);
        this.d.logger.error({ ...log, action: err.action }, 'poll refused: the account needs a person');
        return { failed: true, more: false, waitMs: MOST_BACKOFF_MS };
      }
      // the queue (Redis) is away: the account is fine, and /readyz says so of the queue; the poll waits the same
      if (!(err instanceof QueueUnavailableError)) this.d.health.failed(channel, poller.accountId, error);
      // the first failure waits for the next tick (a wake-up before it is not a reason to try at once), each one
      // after twice as long as the last
      const delay = failures === 1 ? poller.everyMs / 2 : Math.min(MOST_BACKOFF_MS, poller.everyMs * 2 ** Math.min(failures - 1, 10));
      this.d.logger.warn({ ...log, failures, retryInMs: Math.max(delay, poller.everyMs), error }, 'poll failed');
      return { failed: true, more: false, waitMs: delay };
    }
  }
}
