/**
 * Scrubs phone numbers and email addresses out of anything that is about to be logged. pino's own `redact`
 * only knows paths; personal data also hides inside free text and error messages.
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// 7+ digits with optional +, spaces, dashes, dots or brackets between them (Indian mobiles, landlines, E.164);
// also Devanagari digits
const PHONE = /(?<![\p{L}\p{N}])\+?[(]?[0-9०-९](?:[\s().-]?[0-9०-९]){6,14}(?![\p{L}\p{N}])/gu;

// a calendar date (2026-12-02, the staff digest's day) has as many digits as a number, and is not one
const ISO_DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

export function scrubText(s: string): string {
  return s.replace(EMAIL, '[email]').replace(PHONE, (m) => (ISO_DATE.test(m) ? m : '[phone]'));
}

// a page id or X user id (13–20 digits, never a plus) under these keys is ours, not a person's number: Indian numbers
// are 10 digits, 12 with the country code
const ACCOUNT_KEYS = new Set(['accountId', 'pageId']);
const PLATFORM_ID = /^\d{13,20}$/;

export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { type: value.name, message: scrubText(value.message), stack: value.stack && scrubText(value.stack) };
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubField(k, v, depth + 1);
  return out;
}

/** one field of a log line: as scrub(), but a platform's account id under an account key is kept */
export function scrubField(key: string, value: unknown, depth = 0): unknown {
  return ACCOUNT_KEYS.has(key) && typeof value === 'string' && PLATFORM_ID.test(value) ? value : scrub(value, depth);
}
