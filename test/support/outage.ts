/**
 * What one request meets during a provider's bad spell, chosen by the test: `n` counts the spell's requests from 0
 * (so a test can rotate its faults, and knows how many requests the spell met), `leftMs` is what is left of it,
 * `what` the request ("POST /2/tweets", "RCPT TO").
 */
export type FaultPlan<F> = (n: number, leftMs: number, what: string) => F;

/**
 * A provider's bad spell, for a fake: for `ms` after `start` every request meets a fault of the test's plan, instead
 * of what failNext / rudeNext queued. Outside the spell, `next()` gives undefined and the fake behaves as it does.
 */
export class Outage<F> {
  private spell: { until: number; plan: FaultPlan<F>; n: number } | undefined;

  start(ms: number, plan: FaultPlan<F>): void {
    this.spell = { until: Date.now() + ms, plan, n: 0 };
  }

  /** the fault for a request (`what`) arriving now, or undefined when no spell is on */
  next(what: string): F | undefined {
    const s = this.spell;
    const left = s ? s.until - Date.now() : 0;
    if (!s || left <= 0) return undefined;
    return s.plan(s.n++, left, what);
  }
}
