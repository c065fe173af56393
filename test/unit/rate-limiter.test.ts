import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/pipeline/rate-limiter.ts';

describe('per-channel rate limit', () => {
  it('lets a second’s worth go at once, then spaces the rest at the rate', async () => {
    const limiter = new RateLimiter(20);
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) await limiter.take();
    const burst = Date.now() - t0;
    for (let i = 0; i < 10; i++) await limiter.take();
    const total = Date.now() - t0;
    expect(burst).toBeLessThan(40);
    // 10 more at 20/s need at least ~500 ms (a little slack for timer rounding)
    expect(total).toBeGreaterThanOrEqual(450);
  });
});
