/** one run of something the bridge does on its own schedule; it never overlaps itself */
export type TickHandler = () => Promise<void>;

/**
 * The clock port for work the bridge starts itself: polls (X, Facebook's catch-up, IMAP sweeps) and scheduled
 * tasks (status updates, reminders, digests, campaign sends). In one process, timers; on Redis, BullMQ job
 * schedulers, so that with N processes each tick runs in one of them, and a lease for what must be held by one
 * process at a time (an IMAP IDLE connection).
 */
export interface Ticks {
  /** true when several processes share these ticks (Redis); false in one process */
  readonly shared: boolean;
  /**
   * Runs `handler` about every `everyMs`, the first time soon after the call. Every process that calls it with the
   * same name shares one schedule; a tick that finds the last one still running is skipped.
   */
  every(name: string, everyMs: number, handler: TickHandler): Promise<void>;
  /** one more tick of `name` soon, outside its schedule (IMAP IDLE heard of mail); one waiting is enough */
  nudge(name: string): Promise<void>;
  /**
   * Asks to hold `name` alone among the processes: `onChange(true)` when this process holds it, `onChange(false)`
   * when it lost it (Redis away too long, the lease taken over after a stall). A holder that dies frees it within
   * the lease's lifetime, and another process takes it.
   */
  hold(name: string, onChange: (held: boolean) => void): void;
  /** stops the schedules and leases, waiting for running ticks; others' schedules go on without this process */
  close(): Promise<void>;
}

/** how long a close waits for runs still going (their owners wait for them themselves, within their own bounds) */
const CLOSE_WAIT_MS = 2_000;

/** the ticks of one process: a timer per name, re-armed when its run ends (so never two runs at once) */
export class LocalTicks implements Ticks {
  readonly shared = false;
  private readonly slots = new Map<string, { everyMs: number; handler: TickHandler; timer?: NodeJS.Timeout; running?: Promise<void>; again?: boolean }>();
  private closed = false;

  async every(name: string, everyMs: number, handler: TickHandler): Promise<void> {
    this.slots.set(name, { everyMs, handler });
    this.arm(name, 0);
  }

  async nudge(name: string): Promise<void> {
    const slot = this.slots.get(name);
    if (!slot || this.closed) return;
    if (slot.running) slot.again = true;
    else this.arm(name, 0);
  }

  hold(_name: string, onChange: (held: boolean) => void): void {
    if (!this.closed) queueMicrotask(() => onChange(true));
  }

  private arm(name: string, delayMs: number): void {
    const slot = this.slots.get(name);
    if (!slot || this.closed) return;
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      slot.running = slot.handler()
        .catch(() => undefined) // a handler reports its own failures; the schedule goes on
        .finally(() => {
          slot.running = undefined;
          const again = slot.again === true;
          slot.again = false;
          this.arm(name, again ? 0 : slot.everyMs);
        });
    }, delayMs);
    slot.timer.unref();
  }

  /** stops the timers; a run still going is waited for a little only: its owner bounds it (a poll stuck on a silent server) */
  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
    await Promise.race([Promise.all([...this.slots.values()].map((s) => s.running)), new Promise((r) => setTimeout(r, CLOSE_WAIT_MS).unref())]);
  }
}
