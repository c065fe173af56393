import { AccountRefusedError, type Connector, type HealthReporter, type PipelineIntake, type Poller } from '../connectors/connector.ts';
import type { Logger } from '../http/logger.ts';
import type { Channel } from '../model/index.ts';
import type { Store } from '../store/store.ts';
import { describeError } from './describe-error.ts';

export interface PollDeps {
  connectors: readonly Connector[];
  intake: PipelineIntake;
  store: Store;
  health: HealthReporter;
  logger: Logger;
  now?: () => number;
}

// a failing poll is tried again later and later, up to this; an account refused waits the longest
const MOST_BACKOFF_MS = 15 * 60_000;
// how long a stop waits for the polls in flight
const STOP_WAIT_MS = 20_000;

interface Slot {
  channel: Channel;
  poller: Poller;
  key: string;
  failures: number;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  /** woken while a poll ran: poll again as soon as it ends */
  again?: boolean;
  watcher?: { stop(): Promise<void> };
}

/**
 * Runs every connector's pollers (X mentions and DMs, a page's recent comments, email's IMAP sweep), each on
 * its own interval and never two polls of one at a time. What a poll read is archived before its cursor moves: a
 * crash between the two repeats the page, and the archive drops what it already holds. A poll that fails is tried
 * again with backoff; a provider's rate-limit reset is waited for; refused credentials mark the account unhealthy.
 *
 * One process polls (roles all and web). Several web processes would each poll too: harmless (the archive
 * dedupes) but wasteful; distributed mode gives the pollers a lease.
 */
export class PollScheduler {
  private readonly slots: Slot[] = [];
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly d: PollDeps) {
    this.now = d.now ?? Date.now;
    for (const c of d.connectors)
      for (const poller of c.pollers ?? []) this.slots.push({ channel: c.channel, poller, key: `poll:${c.channel}:${poller.accountId}:${poller.name}`, failures: 0 });
  }

  /** what is polled, e.g. "twitter 1234 mentions every 60 s" */
  describe(): string[] {
    return this.slots.map((s) => `${s.channel} ${s.poller.accountId} ${s.poller.name} every ${Math.round(s.poller.everyMs / 1000)} s`);
  }

  /** the first poll of each at once (what came while the bridge was down), then on their intervals */
  start(): void {
    for (const slot of this.slots) {
      this.schedule(slot, 0);
      slot.watcher = slot.poller.watch?.(() => this.wake(slot));
    }
  }

  /** the channel heard of something new (IMAP IDLE): poll now, or right after the poll that is running */
  private wake(slot: Slot): void {
    // a failing account waits out its backoff: a connection dropped by a server that is down is not tried at once
    if (this.stopped || slot.failures > 0) return;
    if (slot.running) slot.again = true;
    else this.schedule(slot, 0);
  }

  /** polls everything once now, after any poll in flight (tests, and `pmc-bridge` commands) */
  async runAll(): Promise<void> {
    await Promise.all(this.slots.map(async (slot) => {
      await slot.running;
      await this.run(slot);
    }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const slot of this.slots) clearTimeout(slot.timer);
    // the polls in flight end first (archive, cursor, afterArchive), then the watchers stop; a poll stuck on a
    // silent server is not waited for past STOP_WAIT_MS (its cursor has not moved: the next start reads it again)
    await Promise.race([Promise.all(this.slots.map((s) => s.running)), new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref())]);
    await Promise.all(this.slots.map((s) => s.watcher?.stop()));
  }

  private schedule(slot: Slot, delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      void this.run(slot);
    }, Math.max(0, delayMs));
    slot.timer.unref();
  }

  /** one poll, unless one is running; afterwards the next is scheduled, unless one already is */
  private run(slot: Slot): Promise<void> {
    if (slot.running) return slot.running;
    slot.running = this.pollOnce(slot)
      .then((nextInMs) => {
        // a wake-up during a poll that failed waits out the backoff like the rest
        const again = slot.again === true && slot.failures === 0;
        slot.again = false;
        // a timer that fired while a manual run was in flight found it running: this run schedules the next
        if (again) this.schedule(slot, 0);
        else if (slot.timer === undefined) this.schedule(slot, nextInMs);
      })
      .finally(() => (slot.running = undefined));
    return slot.running;
  }

  /** one poll; resolves with when the next should start (it never rejects) */
  private async pollOnce(slot: Slot): Promise<number> {
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
      slot.failures = 0;
      this.d.health.ok(channel, poller.accountId, poller.credential);
      if (result.waitUntil) {
        this.d.logger.info({ ...log, until: result.waitUntil.toISOString() }, 'rate limited: the poll goes on from its cursor at the reset');
        return result.waitUntil.getTime() - this.now() + 1000;
      }
      return result.more ? 0 : poller.everyMs;
    } catch (err) {
      slot.failures++;
      const error = describeError(err);
      if (err instanceof AccountRefusedError) {
        this.d.health.unauthorised(channel, poller.accountId, error, err.action, poller.credential);
        this.d.logger.error({ ...log, action: err.action }, 'poll refused: the account needs a person');
        return MOST_BACKOFF_MS;
      }
      this.d.health.failed(channel, poller.accountId, error);
      const delay = Math.min(MOST_BACKOFF_MS, poller.everyMs * 2 ** Math.min(slot.failures - 1, 10));
      this.d.logger.warn({ ...log, failures: slot.failures, retryInMs: delay, error }, 'poll failed');
      return delay;
    }
  }
}
