import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The subscription handshake: Meta calls GET with hub.mode=subscribe, the verify token we gave it in the app
 * dashboard, and a challenge to echo. Undefined: refuse (403).
 */
export function answerHandshake(query: Record<string, unknown>, verifyToken: string): string | undefined {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string') return undefined;
  if (!sameText(token, verifyToken) || !/^[\w-]{1,256}$/.test(challenge)) return undefined;
  return challenge;
}

/**
 * X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body with the app secret. Computed over the bytes as
 * received (before they are decoded): Meta escapes non-ASCII (Devanagari) as \uXXXX, so a re-serialised body would
 * not match.
 */
export function verifySignature(rawBody: string | Buffer | undefined, header: string | string[] | undefined, appSecret: string): { ok: true } | { ok: false; reason: string } {
  if (rawBody === undefined) return { ok: false, reason: 'no body' };
  if (typeof header !== 'string') return { ok: false, reason: 'no X-Hub-Signature-256 header' };
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!m) return { ok: false, reason: 'X-Hub-Signature-256 is not sha256=<64 hex>' };
  const expected = createHmac('sha256', appSecret).update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(m[1]!, 'hex')) ? { ok: true } : { ok: false, reason: 'signature does not match' };
}

function sameText(a: string, b: string): boolean {
  const x = createHmac('sha256', 'compare').update(a).digest();
  const y = createHmac('sha256', 'compare').update(b).digest();
  return timingSafeEqual(x, y);
}
