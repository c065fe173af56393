export interface RetryPolicy {
  /** at least this many attempts before giving up */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** and at least this long since the work was queued: a provider outage of a few minutes must not dead-letter it */
  keepTryingMs: number;
}

/**
 * Exponential backoff with full jitter: a random delay in [base·2^(n-1)/2, base·2^(n-1)], capped. The jitter
 * keeps a thousand messages that failed together from all retrying in the same millisecond.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** Given up only when both budgets are spent: the attempts, and the time since the work was first queued. */
export function retriesExhausted(attempt: number, queuedAt: string | Date, now: Date, policy: RetryPolicy): boolean {
  return attempt >= policy.maxAttempts && now.getTime() - new Date(queuedAt).getTime() >= policy.keepTryingMs;
}
