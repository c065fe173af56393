import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import twilio from 'twilio';
import type { Connector, ConnectorContext } from '../connector.ts';
import type { FormParams } from '../../http/form-body.ts';
import type { SmsConnectorOptions } from './config.ts';
import { SmsPayloadError, parseInboundSms } from './parse.ts';
import { createSmsSender } from './send.ts';
import { parseStatusCallback } from './status.ts';
import { verifyTwilioSignature } from './verify.ts';

export type { SmsConnectorOptions } from './config.ts';
export { smsOptionsFromConfig } from './config.ts';

export const SMS_WEBHOOK_PATH = '/webhooks/sms/twilio';
export const SMS_STATUS_PATH = '/webhooks/sms/twilio/status';

// An empty <Response/>: we acknowledge and answer later through the outbox, never inline.
const EMPTY_TWIML = new twilio.twiml.MessagingResponse().toString();

/**
 * SMS (and WhatsApp) over Twilio. Inbound: a webhook Twilio posts each message to; delivery receipts on a second
 * webhook. Outbound: the Messages API through the official SDK.
 */
export function createSmsConnector(opts: SmsConnectorOptions, deps: { now?: () => Date } = {}): Connector {
  const sender = createSmsSender(opts);
  return {
    channel: 'sms',
    accountIds: [opts.from],
    limits: { maxSegments: opts.segmentBudget, carries: carriesOf(opts.from) },
    routes: (server, ctx) => mountRoutes(server, ctx, opts, deps.now),
    send: (message, o) => sender.send(message, o),
    // Twilio has no idempotency key for Messages: the outbox asks it first instead
    resend: { kind: 'lookup', findSent: (message, since) => sender.findSent(message, since) },
  };
}

/**
 * What a citizen can send to this number. Twilio delivers MMS only to US and Canadian numbers, so an Indian SMS
 * number receives text alone; a WhatsApp sender receives photos and location pins. A Messaging Service may hold
 * either: assume text.
 */
export function carriesOf(from: string): { photos: boolean; location: boolean } {
  if (from.startsWith('whatsapp:')) return { photos: true, location: true };
  return { photos: /^\+1\d{10}$/.test(from), location: false };
}

function mountRoutes(server: FastifyInstance, ctx: ConnectorContext, opts: SmsConnectorOptions, now?: () => Date): void {
  /** Signature first, before anything is read; a refusal is logged without the body or any number. */
  const verified = (request: FastifyRequest, reply: FastifyReply): FormParams | undefined => {
    const params = formOf(request);
    const verdict = verifyTwilioSignature(
      opts.authToken,
      { url: request.url, protocol: request.protocol, headers: request.headers, params, rawBody: request.rawBody },
      opts.publicBaseUrl,
    );
    if (!verdict.ok) {
      request.log.warn({ reason: verdict.reason }, 'twilio webhook refused: signature check failed');
      void reply.status(403).send({ error: `invalid ${twilio.SIGNATURE_HEADER}` });
      return undefined;
    }
    if (!params) {
      void reply.status(400).send({ error: 'expected an application/x-www-form-urlencoded body' });
      return undefined;
    }
    return params;
  };

  const refuse = (request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply => {
    if (!(err instanceof SmsPayloadError)) throw err;
    request.log.info({ field: err.field }, 'twilio webhook refused: %s', err.message);
    return reply.status(400).send({ error: err.message });
  };

  server.post(SMS_WEBHOOK_PATH, async (request, reply) => {
    const params = verified(request, reply);
    if (!params) return reply;
    let message;
    try {
      message = parseInboundSms(params, now ? { now } : {});
    } catch (err) {
      return refuse(request, reply, err);
    }
    try {
      await ctx.intake.accept([message]);
    } catch (err) {
      // Not archived, so not acknowledged: a 5xx makes Twilio try again (or its fallback URL) instead of
      // counting the message as delivered to us.
      request.log.error({ err }, 'twilio webhook: archiving failed, answering 503');
      return reply.status(503).send({ error: 'could not store the message, try again' });
    }
    return reply.status(200).type('text/xml').send(EMPTY_TWIML);
  });

  server.post(SMS_STATUS_PATH, async (request, reply) => {
    const params = verified(request, reply);
    if (!params) return reply;
    let receipt;
    try {
      receipt = parseStatusCallback(params);
    } catch (err) {
      return refuse(request, reply, err);
    }
    if (receipt) {
      try {
        await ctx.intake.recordDelivery(receipt.providerId, receipt.state, receipt.error);
      } catch (err) {
        request.log.error({ err }, 'twilio status callback: recording failed, answering 503');
        return reply.status(503).send({ error: 'could not record the status, try again' });
      }
    }
    return reply.status(204).send();
  });
}

/** The parsed form when the body was one; Twilio signs form params only. */
function formOf(request: FastifyRequest): FormParams | undefined {
  const type = request.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return undefined;
  return (request.body ?? {}) as FormParams;
}
