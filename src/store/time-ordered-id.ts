import { randomUUID } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made one after another sort
 * together, so B-tree indexes on them grow at one end instead of touching a random page per insert.
 */
export function timeOrderedId(now: number = Date.now()): string {
  // a v4 UUID supplies the random bits and the variant (randomUUID draws from a cached entropy pool: cheap)
  const random = randomUUID();
  const ts = now.toString(16).padStart(12, '0').slice(-12);
  return `${ts.slice(0, 8)}-${ts.slice(8)}-7${random.slice(15)}`;
}
