import type { FastifyInstance } from 'fastify';
import { clientAddressOf } from './client-address.ts';
import { WindowLimiter } from './window-limiter.ts';

export interface ClientLimits {
  /** requests one client address may make a minute to the channels' routes (/webhooks/…); 0: no limit */
  requestsPerMinute: number;
  /** requests refused as unsigned or forged (401, 403) before the address is refused everything for the minute */
  refusalsPerMinute: number;
}

// the routes citizens' channels and partners call; web chat has limits of its own (sessions per address,
// messages per conversation), the admin its sign-in counter, and health checks must always answer
const PUBLIC_PREFIX = '/webhooks/';
const MOST_ADDRESSES = 50_000;

/**
 * Per-client limits on the public routes, checked before the body is read. A provider's delivery pool stays far
 * below the request limit; a client that keeps sending bad signatures is cut off after a few dozen, so a forger
 * cannot make the bridge hash and verify at line rate. Answers 429 with Retry-After.
 */
export function limitPublicClients(server: FastifyInstance, limits: ClientLimits, now: () => number = Date.now): void {
  const requests = limits.requestsPerMinute > 0 ? new WindowLimiter(limits.requestsPerMinute, 60_000, MOST_ADDRESSES, now) : undefined;
  const refusals = limits.refusalsPerMinute > 0 ? new WindowLimiter(limits.refusalsPerMinute, 60_000, MOST_ADDRESSES, now) : undefined;
  if (!requests && !refusals) return;
  server.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(PUBLIC_PREFIX)) return;
    const address = clientAddressOf(request);
    const wait = refusals?.check(address) ?? true;
    const verdict = wait === true ? (requests?.take(address) ?? true) : wait;
    if (verdict === true) return;
    request.log.warn({ route: request.routeOptions.url, why: wait === true ? 'requests' : 'refusals' }, 'client over its rate limit');
    return reply.status(429).header('retry-after', String(verdict)).send({ error: `too many requests from this address: try again in ${verdict} s` });
  });
  if (refusals)
    server.addHook('onResponse', async (request, reply) => {
      if ((reply.statusCode === 401 || reply.statusCode === 403) && request.url.startsWith(PUBLIC_PREFIX)) refusals.take(clientAddressOf(request));
    });
}
