import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/pipeline/backoff.ts';

const policy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 60_000, keepTryingMs: 0 };

describe('retry backoff', () => {
  it('doubles with each attempt, within the jitter band', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, () => 1)).toBe(1000);
    expect(backoffDelay(3, policy, () => 0)).toBe(2000);
    expect(backoffDelay(3, policy, () => 1)).toBe(4000);
  });

  it('never exceeds the cap', () => {
    expect(backoffDelay(30, policy, () => 1)).toBe(60_000);
  });

  it('spreads retries that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, policy)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
