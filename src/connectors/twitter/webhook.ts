import type { FastifyInstance } from 'fastify';
import type { InboundMessage } from '../../model/index.ts';
import type { ConnectorContext } from '../connector.ts';
import { mountSignedJsonWebhook, SIGNED_WEBHOOK_BODY_LIMIT } from '../signed-json-webhook.ts';
import { ActivityDelivery, dmMessage, fromActivity, isCitizenDm, mentionMessage, type Tweet } from './parse.ts';
import { crcResponse, verifyXSignature } from './verify.ts';

export const X_WEBHOOK_PATH = '/webhooks/twitter';

/** a delivery at most (Account Activity events carry whole user objects, and come batched) */
export const X_BODY_LIMIT = SIGNED_WEBHOOK_BODY_LIMIT;

export type Thread = (accountId: string, t: Tweet, batch: ReadonlyMap<string, { author: string; thread: string }>) => Promise<string>;

/**
 * The Account Activity webhook: the CRC check (GET) and the deliveries (POST). A delivery's signature is checked on
 * its bytes before anything is decoded or parsed (the intake API's signed-route.ts does the same): an unsigned
 * sender gets 403 whatever it sent. Then every event is taken alone, and what was ours archived.
 */
export function mountXWebhook(server: FastifyInstance, ctx: ConnectorContext, secret: string, accounts: ReadonlySet<string>, thread: Thread): void {
  server.get(X_WEBHOOK_PATH, async (request, reply) => {
    const token = (request.query as Record<string, unknown>).crc_token;
    if (typeof token !== 'string' || token.length === 0 || token.length > 512) return reply.status(400).send({ error: 'crc_token missing' });
    return reply.status(200).send(crcResponse(token, secret));
  });

  mountSignedJsonWebhook(server, {
    path: X_WEBHOOK_PATH,
    header: 'x-twitter-webhooks-signature',
    name: 'x webhook',
    verify: (bytes, signature) => verifyXSignature(bytes, signature, secret),
    handle: async (body, request, reply) => {
      const parsed = ActivityDelivery.safeParse(body);
      // signed by X, but no event the bridge takes (follows, likes, typing): acknowledged, so X keeps the webhook on
      if (!parsed.success || !accounts.has(parsed.data.for_user_id)) return reply.status(200).send({ ok: true });
      const accountId = parsed.data.for_user_id;
      const { tweets, dms, malformed } = fromActivity(parsed.data, accounts);
      // what did not fit is left out alone, and said where (never its content); the catch-up poll may still read it
      if (malformed.length > 0) request.log.warn({ malformed, taken: tweets.length + dms.length }, 'x webhook: events off the documented shape left out');
      const messages: InboundMessage[] = [];
      const batch = new Map<string, { author: string; thread: string }>();
      for (const { tweet, author, raw } of tweets) {
        const key = await thread(accountId, tweet, batch);
        batch.set(tweet.id, { author: tweet.author_id, thread: key });
        messages.push(mentionMessage(accountId, tweet, author, key, raw));
      }
      for (const { event, raw } of dms) if (isCitizenDm(accounts, event)) messages.push(dmMessage(accountId, event, raw));
      try {
        if (messages.length > 0) await ctx.intake.accept(messages);
      } catch (err) {
        request.log.error({ err }, 'x webhook: archiving failed, answering 503');
        return reply.status(503).send({ error: 'could not store the events, try again' });
      }
      return reply.status(200).send({ ok: true });
    },
  });
}
