import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ChannelStatus, Connector, ConnectorContext } from '../connectors/connector.ts';
import type { Logger } from './logger.ts';
import { registerBodyParsers } from './form-body.ts';

export interface ServerDeps {
  logger: Logger;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  connectors: readonly Connector[];
  channels: readonly ChannelStatus[];
  ctx: ConnectorContext;
  /** false while shutting down: /readyz then answers 503 so a balancer stops sending */
  accepting: () => boolean;
}

/** The HTTP face of the bridge: health, readiness, and every push connector's webhook routes. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const server: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.bodyLimitBytes,
    // Node checks these only every connectionsCheckingInterval, and ignores a request timeout shorter than the
    // headers timeout: set all three, or a client that stops mid-body holds the request (and a SIGTERM) forever.
    requestTimeout: deps.requestTimeoutMs,
    http: { headersTimeout: Math.min(deps.requestTimeoutMs, 60_000), connectionsCheckingInterval: Math.min(1000, deps.requestTimeoutMs) } as object,
    // connectors verify signatures against the public URL, so trust the proxy's headers only for logging
    trustProxy: false,
    return503OnClosing: true,
  });
  registerBodyParsers(server);

  server.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: err.code, status, reason: err.message }, 'request refused');
    void reply.status(status).send({ error: status >= 500 ? 'internal error' : err.message, code: err.code });
  });

  // While stopping, answer with Connection: close: a sender's pooled keep-alive connection would otherwise stay
  // open (idle) after its last response and hold the process's exit for the whole keep-alive timeout.
  server.addHook('onSend', async (_req, reply) => {
    if (!deps.accepting()) void reply.header('connection', 'close');
  });

  server.get('/healthz', async () => ({ ok: true }));
  server.get('/readyz', async (_req, reply) => {
    let storeOk = true;
    let storeError: string | undefined;
    try {
      await deps.ctx.store.ping();
    } catch (err) {
      storeOk = false;
      storeError = (err as Error).message;
    }
    const ready = storeOk && deps.accepting();
    void reply.status(ready ? 200 : 503);
    return {
      ready,
      store: { kind: deps.ctx.store.kind, ok: storeOk, ...(storeError ? { error: storeError } : {}) },
      channels: Object.fromEntries(deps.channels.map((c) => [c.channel, { on: c.on, reason: c.reason }])),
    };
  });

  for (const connector of deps.connectors) await connector.routes?.(server, deps.ctx);
  return server;
}
