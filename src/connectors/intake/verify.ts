import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

/**
 * `sha256=<hex HMAC-SHA256 of the raw body>` with the source's key, compared in constant time. The one signature
 * scheme of the intake API and of Lokshahi's route (its header is X-Lokshahi-Signature).
 */
export function verifyBodySignature(rawBody: string | Buffer | undefined, header: string | string[] | undefined, key: string): SignatureVerdict {
  if (typeof header !== 'string' || header === '') return { ok: false, reason: 'no signature header' };
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!m) return { ok: false, reason: 'the signature is not sha256=<64 hex digits>' };
  const expected = (typeof rawBody === 'string' ? createHmac('sha256', key).update(rawBody, 'utf8') : createHmac('sha256', key).update(rawBody ?? Buffer.alloc(0))).digest();
  const given = Buffer.from(m[1]!, 'hex');
  return timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'the signature does not match the body' };
}

/** the same key compared in constant time (Open311's api_key) */
export function sameKey(given: string | undefined, key: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHmac('sha256', 'api-key').update(given).digest();
  const b = createHmac('sha256', 'api-key').update(key).digest();
  return timingSafeEqual(a, b);
}

/** what a client signs: for tests and the README's curl example */
export function signBody(rawBody: string, key: string): string {
  return `sha256=${createHmac('sha256', key).update(rawBody, 'utf8').digest('hex')}`;
}
