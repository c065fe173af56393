import { BlockList, isIP } from 'node:net';

// every IPv4 range that is not the public internet (RFC 6890 and friends)
const PRIVATE_V4 = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 3]] as const)
  PRIVATE_V4.addSubnet(net, bits, 'ipv4');
// IPv6: only global unicast (2000::/3) is public, less its special blocks: Teredo, ORCHID and documentation
// (2001::/23 holds them), 6to4 (2002::/16, which wraps any IPv4 address), and 2001:db8::/32
const GLOBAL_V6 = new BlockList();
GLOBAL_V6.addSubnet('2000::', 3, 'ipv6');
const SPECIAL_V6 = new BlockList();
for (const [net, bits] of [['2001::', 23], ['2001:db8::', 32], ['2002::', 16], ['3fff::', 20]] as const) SPECIAL_V6.addSubnet(net, bits, 'ipv6');

/** the IPv4 address inside an IPv4-mapped IPv6 one (::ffff:49.36.1.2, as a dual-stack socket reports it) */
export function ipv4Mapped(address: string): string | undefined {
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
}

/** an IP address (v4 or v6, no brackets) that is not on the public internet: loopback, private, link-local, … */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE_V4.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = ipv4Mapped(address);
  if (mapped) return PRIVATE_V4.check(mapped, 'ipv4');
  return !GLOBAL_V6.check(address, 'ipv6') || SPECIAL_V6.check(address, 'ipv6');
}
