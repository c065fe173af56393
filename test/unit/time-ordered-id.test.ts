import { describe, expect, it } from 'vitest';
import { timeOrderedId } from '../../src/store/time-ordered-id.ts';

describe('time-ordered ids (UUID v7)', () => {
  it('are RFC 9562 version 7 UUIDs', () => {
    expect(timeOrderedId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sort in the order they were made, across milliseconds', () => {
    const ids = [1_700_000_000_000, 1_700_000_000_001, 1_700_000_060_000, 1_800_000_000_000].map((t) => timeOrderedId(t));
    expect([...ids].sort()).toEqual(ids);
  });

  it('do not repeat within one millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => timeOrderedId(1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
  });
});
