/**
 * At most `limit` takes per key in each window of `windowMs` (a fixed window: cheap, and exact enough to stop a
 * flood). The key table is bounded: when it is full, windows that have ended are dropped first, then the oldest.
 */
export class WindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** true: go ahead; a number: refused, try again after that many seconds (for Retry-After) */
  take(key: string): true | number {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (!w && this.windows.size >= this.maxKeys) this.makeRoom(now);
      w = { start: now, count: 0 };
      this.windows.delete(key); // re-inserted, so the table stays ordered by window start
      this.windows.set(key, w);
    }
    if (w.count >= this.limit) return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    w.count++;
    return true;
  }

  /** what take() would answer, without counting a take */
  check(key: string): true | number {
    const now = this.now();
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs || w.count < this.limit) return true;
    return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
  }

  private makeRoom(now: number): void {
    // the table is in window-start order: the ended windows are at its front
    for (const [k, w] of this.windows) {
      if (now - w.start < this.windowMs) break;
      this.windows.delete(k);
    }
    // still full: forget the oldest window (Map keeps insertion order). A flood of fresh keys can only reset
    // counts, never grow memory.
    if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
  }
}
