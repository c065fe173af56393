import { isIP } from 'node:net';
import { isNonPublicAddress } from '../http/private-addresses.ts';
import type { Attachment } from '../model/index.ts';

/**
 * Where each channel's own files live. A link a channel sends is kept as a link (the bridge itself never fetches
 * one); staff open it in their browser, so one that points anywhere else (an address inside the city's network, a
 * stranger's server) is not offered to them: the attachment is kept as "not kept", with why.
 */
export const CHANNEL_MEDIA_HOSTS = {
  // MediaUrl is api.twilio.com, which redirects to Twilio's media CDN
  sms: ['twilio.com', 'twiliocdn.com'],
  // Messenger's files (lookaside.fbsbx.com), page photos (scontent-*.xx.fbcdn.net); not facebook.com, whose
  // l.facebook.com/l.php forwards to any address
  facebook: ['fbcdn.net', 'fbsbx.com'],
  // (X's media reach us as media keys, never as links)
} as const satisfies Record<string, readonly string[]>;

const NOT_OWN = "its link was not on the channel's own servers";
const NOT_PUBLIC = 'its link was not to a public https address';

/** the attachment, its link dropped unless it is https on one of `hosts` (or a subdomain of one) */
export function ownHostLink(a: Attachment, hosts: readonly string[]): Attachment {
  if (!a.url) return a;
  const host = httpsHost(a.url);
  if (host && !isIP(host) && hosts.some((h) => host === h || host.endsWith(`.${h}`))) return a;
  return refusedLink(a, NOT_OWN);
}

/**
 * A partner's link (the intake API, Open311): any host on the internet, but https and by name or public address
 * only. A link to localhost, a private or link-local address (169.254.169.254, the cloud's metadata) or a name
 * with no dot would send a staff browser into the city's own network. A public name that resolves to an inside
 * address cannot be told from here without a DNS lookup (itself a request we would make for a stranger).
 */
export function publicLink(a: Attachment): Attachment {
  if (!a.url) return a;
  const host = httpsHost(a.url);
  if (!host) return refusedLink(a, NOT_PUBLIC);
  const local = isIP(host) ? isNonPublicAddress(host) : !host.includes('.') || /(^|\.)(localhost|local|internal|lan|home|corp|intranet)$/.test(host);
  return local ? refusedLink(a, NOT_PUBLIC) : a;
}

function refusedLink(a: Attachment, why: string): Attachment {
  const { url: _dropped, ...rest } = a;
  return { ...rest, refused: why };
}

/** the lower-case host of an https URL (an IPv6 literal without its brackets), or undefined */
function httpsHost(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return undefined;
  const host = parsed.hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '').toLowerCase();
  // an empty label ("intranet..") is no public name
  return host && !host.split('.').includes('') ? host : undefined;
}
