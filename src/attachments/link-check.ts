import { BlockList, isIP } from 'node:net';
import type { Attachment } from '../model/index.ts';

/**
 * Where each channel's own files live. A link a channel sends is kept as a link (the bridge itself never fetches
 * one); staff open it in their browser, so one that points anywhere else (an address inside the city's network, a
 * stranger's server) is not offered to them: the attachment is kept as "not kept", with why.
 */
export const CHANNEL_MEDIA_HOSTS = {
  // MediaUrl is api.twilio.com, which redirects to Twilio's media CDN
  sms: ['twilio.com', 'twiliocdn.com'],
  // Messenger's files (lookaside.fbsbx.com), page photos (scontent-*.xx.fbcdn.net)
  facebook: ['fbcdn.net', 'fbsbx.com', 'facebook.com'],
  twitter: ['twimg.com'],
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
 * with no dot would send a staff browser into the city's own network.
 */
export function publicLink(a: Attachment): Attachment {
  if (!a.url) return a;
  const host = httpsHost(a.url);
  if (!host) return refusedLink(a, NOT_PUBLIC);
  const family = isIP(host);
  const local = family ? PRIVATE.check(host, family === 6 ? 'ipv6' : 'ipv4') : !host.includes('.') || /(^|\.)(localhost|local|internal|lan|home|corp)$/.test(host);
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
  return parsed.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}

// every range that is not the public internet (RFC 6890 and friends); IPv4-mapped IPv6 is checked as IPv4 by BlockList
const PRIVATE = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 3]] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 127], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32]] as const) PRIVATE.addSubnet(net, bits, 'ipv6');
