import { createHmac, timingSafeEqual } from 'node:crypto';

/** The CRC check X makes of the webhook: the token signed with the app's consumer secret. */
export function crcResponse(crcToken: string, secret: string): { response_token: string } {
  return { response_token: `sha256=${createHmac('sha256', secret).update(crcToken).digest('base64')}` };
}

/** x-twitter-webhooks-signature: "sha256=" + base64 HMAC-SHA256 of the raw body (its bytes, before decoding) with the consumer secret. */
export function verifyXSignature(rawBody: string | Buffer | undefined, header: string | string[] | undefined, secret: string): { ok: true } | { ok: false; reason: string } {
  if (rawBody === undefined) return { ok: false, reason: 'no body' };
  if (typeof header !== 'string') return { ok: false, reason: 'no x-twitter-webhooks-signature header' };
  const m = /^sha256=([A-Za-z0-9+/]{43}=)$/.exec(header.trim());
  if (!m) return { ok: false, reason: 'x-twitter-webhooks-signature is not sha256=<base64>' };
  const expected = createHmac('sha256', secret).update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(m[1]!, 'base64')) ? { ok: true } : { ok: false, reason: 'signature does not match' };
}
