import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

// Atomic over all keys: either every lock is taken with our token, or none is.
const ACQUIRE = `for i = 1, #KEYS do if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end end
for i = 1, #KEYS do redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2]) end
return 1`;
// Only the holder's token releases or renews: a lock that expired and was taken by another is left alone.
const RELEASE = `for i = 1, #KEYS do if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end end
return 1`;
const RENEW = `local n = 0
for i = 1, #KEYS do if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('PEXPIRE', KEYS[i], ARGV[2]); n = n + 1 end end
return n`;

/** locks held with a token in Redis, that expire unless renewed: a dead process's locks free themselves */
export interface HeldLock {
  /** renews every lock of the set; false when one was lost (expired and maybe taken by another) */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/** takes all of `keys` for `ttlMs`, or none of them (undefined) */
export async function takeLocks(redis: Redis, keys: readonly string[], ttlMs: number): Promise<HeldLock | undefined> {
  const owner = randomUUID();
  const took = await redis.eval(ACQUIRE, keys.length, ...keys, owner, ttlMs);
  if (took !== 1) return undefined;
  return {
    renew: async () => (await redis.eval(RENEW, keys.length, ...keys, owner, ttlMs)) === keys.length,
    release: async () => {
      await redis.eval(RELEASE, keys.length, ...keys, owner);
    },
  };
}

/**
 * Runs `work` under `lock`, renewing it every third of its lifetime so a long run keeps it; releases it after.
 * A renewal that fails is reported, not fatal: the run goes on, and at worst another may start beside it.
 */
export async function whileHeld<T>(lock: HeldLock, ttlMs: number, work: () => Promise<T>, onError: (err: unknown) => void): Promise<T> {
  const renew = setInterval(() => void lock.renew().catch(onError), ttlMs / 3);
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await lock.release().catch(onError);
  }
}
