import { createHash, timingSafeEqual } from 'node:crypto';

/** sha256 of a secret, hex: what the store keeps of tokens and session cookies */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Whether two secrets are equal, in a time that does not depend on where they differ. Both are hashed first, so
 * the comparison has equal lengths and a length difference shows no more than a wrong byte does.
 */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a, 'utf8').digest(), createHash('sha256').update(b, 'utf8').digest());
}
