import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientAddressOf } from './client-address.ts';
import { ipv4Mapped, isNonPublicAddress } from './private-addresses.ts';
import { WindowLimiter } from './window-limiter.ts';

export interface ClientLimits {
  /** requests one client address may make a minute to the channels' routes (/webhooks/…, /open311/…); 0: no limit */
  requestsPerMinute: number;
  /** requests refused as unsigned or forged (401, 403) before the address is refused everything for the minute */
  refusalsPerMinute: number;
}

// the routes citizens' channels and partners call, by the route matched (not the URL as sent, which may be
// percent-encoded or absolute); web chat has limits of its own (sessions per address, messages per
// conversation), the admin its sign-in counter, and health checks must always answer
const PUBLIC_ROUTE = /^\/(webhooks|open311)\//;
const MOST_ADDRESSES = 50_000;

/**
 * Per-client limits on the public routes, checked before the body is read. A provider's delivery pool stays far
 * below the request limit; a client that keeps sending bad signatures is cut off after a few dozen. Answers 429
 * with Retry-After. An IPv6 client is counted by its /64 (one subscriber's block), not by each address in it.
 *
 * Requests that came through a proxy the bridge was not told about (server.behindProxy false, X-Forwarded-For
 * set, from a loopback or private address) are not limited: they all share the proxy's address, and one forger
 * would get every provider's webhooks refused. The first such request is logged, naming the setting.
 */
export function limitPublicClients(server: FastifyInstance, limits: ClientLimits, o: { behindProxy: boolean; now?: () => number }): void {
  const now = o.now ?? Date.now;
  const requests = limits.requestsPerMinute > 0 ? new WindowLimiter(limits.requestsPerMinute, 60_000, MOST_ADDRESSES, now) : undefined;
  const refusals = limits.refusalsPerMinute > 0 ? new WindowLimiter(limits.refusalsPerMinute, 60_000, MOST_ADDRESSES, now) : undefined;
  if (!requests && !refusals) return;
  // one warning per address a minute, however many requests it sends over its limit
  const warned = new WindowLimiter(1, 60_000, MOST_ADDRESSES, now);
  let toldAboutProxy = false;

  const keyOf = (request: FastifyRequest): string | undefined => {
    if (!PUBLIC_ROUTE.test(request.routeOptions.url ?? '')) return undefined;
    if (!o.behindProxy && request.headers['x-forwarded-for'] !== undefined && isNonPublicAddress(request.ip)) {
      if (!toldAboutProxy) request.log.warn('requests come through a proxy (X-Forwarded-For from a private address): set server.behindProxy, or the per-client limits cannot tell clients apart and are off');
      toldAboutProxy = true;
      return undefined;
    }
    return limitKey(clientAddressOf(request));
  };

  server.addHook('onRequest', async (request, reply) => {
    const key = keyOf(request);
    if (key === undefined) return;
    const wait = refusals?.check(key) ?? true;
    const verdict = wait === true ? (requests?.take(key) ?? true) : wait;
    if (verdict === true) return;
    if (warned.take(key) === true) request.log.warn({ route: request.routeOptions.url, why: wait === true ? 'requests' : 'refusals' }, 'client over its rate limit');
    return reply.status(429).header('retry-after', String(verdict)).send({ error: `too many requests from this address: try again in ${verdict} s` });
  });
  // counted as the answer is sent, which happens even when the client has hung up before reading it
  if (refusals)
    server.addHook('onSend', async (request, reply) => {
      if (reply.statusCode !== 401 && reply.statusCode !== 403) return;
      const key = keyOf(request);
      if (key !== undefined) refusals.take(key);
    });
}

/** what one client is counted as: its IPv4 address, or the /64 of its IPv6 address */
export function limitKey(address: string): string {
  const mapped = ipv4Mapped(address);
  if (mapped) return mapped;
  if (isIP(address) !== 6) return address;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
