import type { FastifyInstance } from 'fastify';
import type { ConnectorContext } from '../connector.ts';
import { mountSignedJsonWebhook, SIGNED_WEBHOOK_BODY_LIMIT } from '../signed-json-webhook.ts';
import type { FacebookConnectorOptions } from './config.ts';
import { FacebookPayloadError, parseDelivery } from './parse.ts';
import { latestReads, repliesReadUpTo } from './read-receipts.ts';
import { answerHandshake, verifySignature } from './verify.ts';
import type { MessengerWindow } from './window.ts';

export const FACEBOOK_WEBHOOK_PATH = '/webhooks/facebook';

/** a delivery at most (Meta batches up to 1,000 events, several pages', in one POST) */
export const FACEBOOK_BODY_LIMIT = SIGNED_WEBHOOK_BODY_LIMIT;

/**
 * The handshake (GET) and the deliveries (POST). A delivery's signature is checked on its bytes before anything is
 * decoded or parsed (the intake API's signed-route.ts does the same): an unsigned sender gets 403 whatever it sent,
 * and costs the bridge a read and a hash. Then every entry and event is taken alone, and what was ours archived.
 */
export function mountFacebookWebhook(
  server: FastifyInstance,
  ctx: ConnectorContext,
  opts: FacebookConnectorOptions,
  parts: { window: MessengerWindow; now: () => Date },
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

  mountSignedJsonWebhook(server, {
    path: FACEBOOK_WEBHOOK_PATH,
    header: 'x-hub-signature-256',
    name: 'facebook webhook',
    verify: (bytes, signature) => verifySignature(bytes, signature, opts.appSecret),
    handle: async (body, request, reply) => {
      let parsed;
      try {
        parsed = parseDelivery(body, pageIds, parts.now);
      } catch (err) {
        if (!(err instanceof FacebookPayloadError)) throw err;
        // signed by Meta, just nothing for us: an error answer would only make Meta disable the webhook
        request.log.info({ reason: err.message }, 'facebook webhook: a signed delivery with nothing the bridge uses');
        return reply.status(200).send('EVENT_RECEIVED');
      }
      // what did not fit is left out alone, and said where (never its content): Meta may have changed a field
      if (parsed.malformed.length > 0) request.log.warn({ malformed: parsed.malformed, taken: parsed.messages.length }, 'facebook webhook: entries or events off the documented shape left out');
      try {
        // the window first: the reply to this message may be sent before this request has answered
        for (const m of parsed.messages) if (!m.public) parts.window.heard(m.accountId, m.sender.id, new Date(m.receivedAt));
        if (parsed.messages.length > 0) await ctx.intake.accept(parsed.messages);
        for (const mid of parsed.delivered) await ctx.intake.recordDelivery(mid, 'delivered');
        for (const r of latestReads(parsed.reads)) for (const mid of await repliesReadUpTo(ctx.store, r.pageId, r.psid, r.watermark)) await ctx.intake.recordDelivery(mid, 'delivered');
      } catch (err) {
        // not archived, so not acknowledged: Meta delivers it again
        request.log.error({ err }, 'facebook webhook: archiving failed, answering 503');
        return reply.status(503).send({ error: 'could not store the delivery, try again' });
      }
      if (parsed.skipped.length > 0) request.log.debug({ skipped: parsed.skipped.length, reasons: [...new Set(parsed.skipped)] }, 'facebook webhook: events left out');
      return reply.status(200).send('EVENT_RECEIVED');
    },
  });
}
