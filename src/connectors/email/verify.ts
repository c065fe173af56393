import type { InboundMessage } from '../../model/index.ts';

/**
 * What a mail proves about its sender, from the receiving server's Authentication-Results (RFC 8601): a From that
 * DMARC failed, or that neither SPF nor DKIM vouched for, may be forged. Such a mail is still a complaint, but it
 * may not join a ticket by naming its number: a forger must not add to someone else's complaint.
 */
export function senderVerdict(headers: InboundMessage['headers']): 'pass' | 'fail' | 'unknown' {
  const raw = headers?.['authentication-results'];
  const results = (Array.isArray(raw) ? raw : raw ? [raw] : []).join(';').toLowerCase();
  if (!results) return 'unknown';
  const said = (method: string) => new RegExp(`\\b${method}=(\\w+)`).exec(results)?.[1];
  const dmarc = said('dmarc');
  if (dmarc === 'fail') return 'fail';
  if (dmarc === 'pass') return 'pass';
  const spf = said('spf');
  const dkim = said('dkim');
  if ((spf === 'fail' || spf === 'softfail') && (dkim === undefined || dkim === 'fail' || dkim === 'none')) return 'fail';
  return spf === 'pass' || dkim === 'pass' ? 'pass' : 'unknown';
}
