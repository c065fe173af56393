import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../http/logger.ts';
import type { Store } from '../../store/store.ts';
import type { Connector, ConnectorContext, HealthReporter } from '../connector.ts';
import { reauthorise, type FacebookConnectorOptions } from './config.ts';
import { limitGraphRequests, pageApi, useGraphBase } from './graph.ts';
import { FacebookPayloadError, parseDelivery } from './parse.ts';
import { commentsPoller } from './poll.ts';
import { ReadReceipts } from './read-receipts.ts';
import { createFacebookSender, type PageSender } from './send.ts';
import { answerHandshake, verifySignature } from './verify.ts';
import { MessengerWindow } from './window.ts';

export { facebookOptionsFromConfig } from './config.ts';
export type { FacebookConnectorOptions } from './config.ts';

export const FACEBOOK_WEBHOOK_PATH = '/webhooks/facebook';

export interface FacebookDeps {
  store: Store;
  health: HealthReporter;
  logger: Logger;
  /** for each page, the environment variable its token came from (what a supervisor must set again) */
  tokenEnvOf: (pageId: string) => string;
  now?: () => Date;
}

/**
 * Messenger and the page's comments, for every configured page of one Meta app. Inbound: one webhook for all
 * pages, plus a catch-up poll of recent comments; outbound: the Send API and comment replies through
 * facebook-nodejs-business-sdk.
 */
export function createFacebookConnector(opts: FacebookConnectorOptions, deps: FacebookDeps): Connector {
  const now = deps.now ?? (() => new Date());
  useGraphBase(opts.graphBase);
  const unlimit = limitGraphRequests(opts.requestTimeoutMs);
  const pages = new Map<string, PageSender>(opts.pages.map((page) => [page.id, { page, api: pageApi(page.token), tokenEnv: deps.tokenEnvOf(page.id) }]));
  const window = new MessengerWindow(deps.store, (err) => deps.logger.warn({ err }, 'could not keep when citizens last wrote; tried again in a second'));
  const receipts = new ReadReceipts();
  const action = (pageId: string, tokenEnv: string) => reauthorise(pageId, tokenEnv);
  const sender = createFacebookSender({ pages, window, store: deps.store, health: deps.health, action, now, onSent: (p, psid, mid) => receipts.sent(p, psid, mid, now()) });
  return {
    channel: 'facebook',
    accountIds: [...pages.keys()],
    // Messenger: 2000 characters, 13 quick replies of 20; a page comment's reply is shorter in practice
    limits: { maxChars: 2000, buttons: { most: 13, longest: 20 }, carries: { photos: true, location: true }, privateReplyToPublic: true },
    routes: (server, ctx) => mountRoutes(server, ctx, opts, { window, receipts, now }),
    pollers: [...pages.values()].map((p) =>
      commentsPoller(p, { everyMs: opts.commentsPollMs, catchUpHours: opts.catchUpHours, action: action(p.page.id, p.tokenEnv), now }),
    ),
    send: (message) => sender.send(message),
    // the Send API has no idempotency key: the page's conversation (or the comment's replies) is looked at first
    resend: { kind: 'lookup', findSent: (message, since) => sender.findSent(message, since) },
    close: async () => {
      await window.close();
      unlimit();
    },
  };
}

function mountRoutes(
  server: FastifyInstance,
  ctx: ConnectorContext,
  opts: FacebookConnectorOptions,
  parts: { window: MessengerWindow; receipts: ReadReceipts; now: () => Date },
): void {
  const pageIds = new Set(opts.pages.map((p) => p.id));

  server.get(FACEBOOK_WEBHOOK_PATH, async (request, reply) => {
    const challenge = answerHandshake(request.query as Record<string, unknown>, opts.verifyToken);
    if (challenge === undefined) {
      request.log.warn('facebook webhook handshake refused: wrong mode or verify token');
      return reply.status(403).send({ error: 'verification failed' });
    }
    return reply.status(200).type('text/plain').send(challenge);
  });

  server.post(FACEBOOK_WEBHOOK_PATH, async (request, reply) => {
    const verdict = verifySignature(request.rawBody, request.headers['x-hub-signature-256'], opts.appSecret);
    if (!verdict.ok) {
      request.log.warn({ reason: verdict.reason }, 'facebook webhook refused: signature check failed');
      return reply.status(403).send({ error: 'invalid X-Hub-Signature-256' });
    }
    let parsed;
    try {
      parsed = parseDelivery(request.body, pageIds, parts.now);
    } catch (err) {
      if (!(err instanceof FacebookPayloadError)) throw err;
      // signed by Meta, just nothing for us: an error answer would only make Meta disable the webhook
      request.log.info({ reason: err.message }, 'facebook webhook: a signed delivery with nothing the bridge uses');
      return reply.status(200).send('EVENT_RECEIVED');
    }
    try {
      // the window first: the reply to this message may be sent before this request has answered
      for (const m of parsed.messages) if (!m.public) parts.window.heard(m.accountId, m.sender.id, new Date(m.receivedAt));
      if (parsed.messages.length > 0) await ctx.intake.accept(parsed.messages);
      for (const mid of parsed.delivered) await ctx.intake.recordDelivery(mid, 'delivered');
      for (const r of parsed.reads) for (const mid of parts.receipts.readUpTo(r.pageId, r.psid, r.watermark)) await ctx.intake.recordDelivery(mid, 'delivered');
    } catch (err) {
      // not archived, so not acknowledged: Meta delivers it again
      request.log.error({ err }, 'facebook webhook: archiving failed, answering 503');
      return reply.status(503).send({ error: 'could not store the delivery, try again' });
    }
    if (parsed.skipped.length > 0) request.log.debug({ skipped: parsed.skipped.length, reasons: [...new Set(parsed.skipped)] }, 'facebook webhook: events left out');
    return reply.status(200).send('EVENT_RECEIVED');
  });
}
