import twilio from 'twilio';
import { PermanentSendError, RateLimitedSendError, RetryableSendError, type SendResult } from '../connector.ts';
import type { OutboundMessage } from '../../model/index.ts';
import { isMessagingServiceSid, trimBase, type SmsConnectorOptions } from './config.ts';
import { BridgeRequestClient, type HeaderSlot, type ResponseHeaders } from './http-client.ts';
import { campaignDltProblem, dltFor } from './dlt.ts';

// Twilio error codes that come with a 4xx but clear up by themselves.
const RETRYABLE_CODES = new Set([
  20429, // too many requests
  21611, // the From number has too many messages queued: Twilio's queue drains
]);

interface TwilioHttpError {
  status: number;
  code?: number;
  message: string;
}

const isHttpError = (e: unknown): e is TwilioHttpError =>
  e instanceof Error && typeof (e as { status?: unknown }).status === 'number';

/** Maps what the SDK threw to the connector's two error kinds; the outbox decides what to do with them. */
export function mapTwilioError(err: unknown, headers: ResponseHeaders | undefined, doing: string): RetryableSendError | PermanentSendError {
  if (err instanceof RetryableSendError || err instanceof PermanentSendError) return err;
  if (isHttpError(err)) {
    const code = typeof err.code === 'number' && err.code > 0 ? err.code : undefined;
    const what = `Twilio ${doing} failed: HTTP ${err.status}${code ? ` code ${code}` : ''}: ${err.message}`;
    // a 5xx may come from a gateway after Twilio's back end took the message: its outcome is unknown
    if (err.status >= 500) return new RetryableSendError(what, retryAfterMs(headers?.['retry-after']), true);
    if (err.status === 429 || code === 20429) return new RateLimitedSendError(what, retryAfterMs(headers?.['retry-after']));
    if (err.status === 408 || (code && RETRYABLE_CODES.has(code)))
      return new RetryableSendError(what, retryAfterMs(headers?.['retry-after']));
    // 21211 invalid To, 21610 recipient replied STOP, 21408 region not enabled, 20003 bad credentials, …
    return new PermanentSendError(what, code ?? err.status);
  }
  // No HTTP status: no answer came. Unless the connection was never made, Twilio may have the message (the
  // request went out, its answer was lost to a reset or a time-out): the next attempt looks it up first.
  const e = err as { code?: unknown; message?: unknown };
  const detail = typeof e.code === 'string' ? e.code : typeof e.message === 'string' ? e.message : String(err);
  const neverSent = typeof e.code === 'string' && NEVER_CONNECTED.has(e.code);
  return new RetryableSendError(`Twilio ${doing} failed: ${detail}`, undefined, !neverSent);
}

// errors that mean the request never left this machine, so Twilio cannot have it
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_INVALID_URL']);

/** Retry-After is seconds or an HTTP date (RFC 9110). */
export function retryAfterMs(value: unknown, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const GONE = new Set(['failed', 'undelivered', 'canceled']);

export interface SmsSender {
  send(message: OutboundMessage, opts: { outboxId: number }): Promise<SendResult>;
  findSent(message: OutboundMessage, since: Date): Promise<SendResult | undefined>;
}

export function createSmsSender(opts: SmsConnectorOptions): SmsSender {
  const http = new BridgeRequestClient(opts.apiBase, opts.requestTimeoutMs ?? 15_000);
  const client = twilio(opts.accountSid, opts.authToken, { httpClient: http });
  const viaService = isMessagingServiceSid(opts.from);
  const statusCallback = opts.publicBaseUrl ? `${trimBase(opts.publicBaseUrl)}/webhooks/sms/twilio/status` : undefined;

  /** Runs one SDK call with its own header slot, and maps whatever it throws. */
  async function call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    const slot: HeaderSlot = {};
    try {
      let pending: Promise<T>;
      http.starting = slot;
      try {
        pending = fn();
      } finally {
        http.starting = undefined;
      }
      return await pending;
    } catch (err) {
      throw mapTwilioError(err, slot.headers, doing);
    }
  }

  return {
    async send(message) {
      // DLT ids are not Twilio API parameters (it matches the registered templates itself, see dlt.ts): they stay
      // on the outbox entry; a campaign whose template is not registered must not go at all
      if (message.kind === 'campaign' && !(message.dlt ?? dltFor('campaign', opts.dlt))) throw new PermanentSendError(campaignDltProblem(opts.dlt)!);
      // Twilio has no idempotency key for Messages: a resend after an unknown outcome is prevented by findSent.
      const created = await call('send', () =>
        client.messages.create({
          to: message.to,
          body: message.text,
          ...(viaService ? { messagingServiceSid: opts.from } : { from: opts.from }),
          ...(statusCallback ? { statusCallback } : {}),
        }),
      );
      return { providerId: created.sid };
    },

    async findSent(message, since) {
      const ours = (m: { body: string; direction: string; status: string; dateCreated: Date; messagingServiceSid: string | null }): boolean =>
        m.body === message.text &&
        m.direction.startsWith('outbound') &&
        // a message Twilio failed or canceled never reached the citizen: sending again is right
        !GONE.has(m.status) &&
        // DateSent> is day-granular at Twilio ("on or after midnight"): the same text sent earlier that day
        // (a repeated status notice) must not count, so compare creation times ourselves
        m.dateCreated.getTime() >= since.getTime() - 1000 &&
        (!viaService || m.messagingServiceSid === opts.from);
      const filter = { to: message.to, ...(viaService ? {} : { from: opts.from }), limit: 50 };

      const sent = await call('lookup', () => client.messages.list({ ...filter, dateSentAfter: since }));
      const hit = sent.find(ours);
      if (hit) return { providerId: hit.sid };
      // A message still queued (a busy number, a rate limit) has no date_sent yet, so the DateSent filter hides it.
      // Look at the recipient's latest messages for one that is not sent yet.
      const recent = await call('lookup', () => client.messages.list(filter));
      const queued = recent.find((m) => m.dateSent == null && ours(m));
      return queued ? { providerId: queued.sid } : undefined;
    },
  };
}
