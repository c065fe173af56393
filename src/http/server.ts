import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { ChannelStatus, Connector, ConnectorContext } from '../connectors/connector.ts';
import type { Logger } from './logger.ts';
import { registerClientAddress } from './client-address.ts';
import { limitPublicClients, type ClientLimits } from './client-limits.ts';
import { registerBodyParsers } from './form-body.ts';
import { createReadiness, type ArchiveHealth } from './readiness.ts';
import type { AccountHealth } from '../pipeline/channel-health.ts';

export interface ServerDeps {
  logger: Logger;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  /** one reverse proxy in front: the client's address is the one it appends to X-Forwarded-For */
  behindProxy?: boolean;
  /** per-client limits on the channels' routes (none when not given) */
  clientLimits?: ClientLimits;
  connectors: readonly Connector[];
  channels: readonly ChannelStatus[];
  ctx: ConnectorContext;
  /** false while shutting down: /readyz then answers 503 so a balancer stops sending */
  accepting: () => boolean;
  /** whether webhooks' messages are being archived, or the last try failed */
  archiveHealth?: () => ArchiveHealth;
  /** whether the queue takes jobs (Redis reachable); while not, webhooks are refused and the bridge is not ready */
  queueHealth?: () => { kind: string; ok: boolean; since?: string; error?: string };
  /** every account of every channel the bridge heard of: ok, failing, or waiting for a person */
  health?: () => readonly AccountHealth[];
}

// fastify's own refusals, said without echoing the request (its texts quote the URL, the content type or the body)
const FIXED_REFUSALS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported content type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the content length does not match the body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the JSON body is empty',
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
  FST_ERR_VALIDATION: 'the request is not valid',
};

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
    // fastify's own answer to a URL it cannot decode (%ZZ, %C0%AF) or a parameter over maxParamLength quotes the
    // whole URL, query included, and skips the onSend hook: said here without echoing it, like every refusal
    frameworkErrors: (err, _req, reply) => void (reply as FastifyReply).status(err.statusCode && err.statusCode < 500 ? err.statusCode : 400).send({ error: 'the URL is not valid', code: err.code }),
  });
  registerBodyParsers(server);
  registerClientAddress(server, deps.behindProxy ?? false);
  if (deps.clientLimits) limitPublicClients(server, deps.clientLimits, { behindProxy: deps.behindProxy ?? false });

  server.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: err.code, status, reason: err.message }, 'request refused');
    const said = status >= 500 ? 'internal error' : status === 413 && err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? `the body is larger than ${req.routeOptions.bodyLimit ?? deps.bodyLimitBytes} bytes` : (err.code && FIXED_REFUSALS[err.code]) ?? err.message;
    void reply.status(status).send({ error: said, ...(err.code ? { code: err.code } : {}) });
  });
  // the default answer quotes the method and the whole URL, query included
  server.setNotFoundHandler((_req, reply) => void reply.status(404).send({ error: 'not found' }));

  server.addHook('onSend', async (_req, reply) => {
    // no browser may guess a JSON (or any) answer to be HTML or script
    void reply.header('x-content-type-options', 'nosniff');
    // While stopping, answer with Connection: close: a sender's pooled keep-alive connection would otherwise stay
    // open (idle) after its last response and hold the process's exit for the whole keep-alive timeout.
    if (!deps.accepting()) void reply.header('connection', 'close');
  });

  const readiness = createReadiness(deps.ctx.store, deps.archiveHealth);
  server.get('/healthz', async () => ({ ok: true }));
  server.get('/readyz', async (_req, reply) => {
    const store = await readiness();
    const queue = deps.queueHealth?.() ?? { kind: 'in-process', ok: true };
    const ready = store.ok && queue.ok && deps.accepting();
    void reply.status(ready ? 200 : 503);
    return {
      ready,
      store,
      queue,
      // an account that needs a person does not make the bridge unready: every other channel still works
      channels: Object.fromEntries(deps.channels.map((c) => [c.channel, { on: c.on, reason: c.reason, ...accountsOf(c.channel) }])),
    };
  });

  const accountsOf = (channel: string): { accounts?: Record<string, Omit<AccountHealth, 'channel' | 'accountId'>> } => {
    const mine = (deps.health?.() ?? []).filter((h) => h.channel === channel);
    return mine.length === 0 ? {} : { accounts: Object.fromEntries(mine.map(({ channel: _c, accountId, ...h }) => [accountId, h])) };
  };
  for (const connector of deps.connectors) await connector.routes?.(server, deps.ctx);
  return server;
}
