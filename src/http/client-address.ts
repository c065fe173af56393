import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** who sent the request: the socket's address, or the one the proxy in front vouches for (server.behindProxy) */
    clientAddress: string;
  }
}

/**
 * Every request learns its client's address once, for the rate limits and the sign-in's attempt counter. Behind a
 * proxy that is the last X-Forwarded-For entry: the proxy appends the address it heard from, and anything before
 * it is whatever the client chose to send. Without a proxy the header is ignored: anyone could send it.
 */
export function registerClientAddress(server: FastifyInstance, behindProxy: boolean): void {
  server.decorateRequest('clientAddress', '');
  server.addHook('onRequest', async (request) => {
    request.clientAddress = (behindProxy && lastForwarded(request)) || request.ip;
  });
}

/** the client's address, also on a server that did not register it (a test's bare fastify) */
export function clientAddressOf(request: FastifyRequest): string {
  return request.clientAddress || request.ip;
}

/** the proxy's last entry as a bare IP address (a port or brackets some proxies add taken off), or undefined */
function lastForwarded(request: FastifyRequest): string | undefined {
  const v = request.headers['x-forwarded-for'];
  const last = typeof v === 'string' ? v.split(',').at(-1)!.trim() : '';
  const bare = /^\[([^\]]+)\](?::\d+)?$/.exec(last)?.[1] ?? (/^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(last)?.[1] ?? last);
  return isIP(bare) ? bare : undefined;
}
