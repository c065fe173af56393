/**
 * Whether webhooks are arriving right now, as the pipeline's `accept` sees them. The in-process queue reads it to
 * give acknowledging priority over processing during a burst, in a process that does both (role `all`): a
 * webhook not answered in time is sent again or lost by its provider, a reply a few seconds late is neither.
 */
export class IngestActivity {
  private inFlight = 0;
  private lastAt = Number.NEGATIVE_INFINITY;

  /**
   * @param quietMs how long after the last crowd of accepts the burst counts as over. Longer (200 ms) let more
   *   webhooks in during a flood, but under a steady heavy load it paused processing so often that replies
   *   went out at half the rate
   * @param now a clock in ms (tests move it)
   * @param crowdedAt accepts in flight at once from which webhooks count as queuing. A steady load the process
   *   keeps up with has a few in flight (each waits for its archive's flush); a flood has as many as its senders
   *   have connections. 1: any webhook counts.
   */
  constructor(
    private readonly quietMs = 20,
    private readonly now: () => number = () => performance.now(),
    private readonly crowdedAt = 1,
  ) {}

  /** an accept began; call the returned function when it ends */
  begin(): () => void {
    if (++this.inFlight >= this.crowdedAt) this.lastAt = this.now();
    return () => {
      if (this.inFlight-- >= this.crowdedAt) this.lastAt = this.now();
    };
  }

  /** webhooks are queuing to be archived now (crowdedAt or more at once), or were a moment ago */
  busy(): boolean {
    return this.inFlight >= this.crowdedAt || this.now() - this.lastAt < this.quietMs;
  }
}

/**
 * How an in-process queue yields to webhooks during a burst. Only an overload counts: the queue holds more than
 * `backlog` waiting jobs while webhooks queue up (the queue's IngestActivity says when). Then it starts at most
 * `jobsPerTick` jobs every `tickMs` (it all but pauses), until the webhooks thin out or the oldest waiting job has
 * waited `maxDelayMs`, after which it works at full speed again (a citizen's reply is late by at most about that
 * much; a steady load the process can keep up with is never slowed).
 */
export interface BurstPolicy {
  backlog: number;
  jobsPerTick: number;
  tickMs: number;
  maxDelayMs: number;
}
