import parsePhoneNumber from 'libphonenumber-js';
import { z } from 'zod';
import type { FormParams } from '../../http/form-body.ts';
import { InboundMessage, type Attachment, type Location } from '../../model/index.ts';

/** A webhook body that is not an inbound message we can use; the route answers 400 with the message. */
export class SmsPayloadError extends Error {
  override readonly name = 'SmsPayloadError';
  readonly statusCode = 400;
  constructor(
    message: string,
    /** the form field at fault */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Twilio sends each field once; if a key is repeated we read its first value (the raw payload keeps them all). */
export function firstValues(params: FormParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const value = Array.isArray(v) ? v[0] : v;
    if (value !== undefined) out[k] = value;
  }
  return out;
}

const required = (name: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? `${name} is missing` : `${name} must be text`) }).min(1, `${name} is missing`);

// Twilio may add parameters without notice (it says so): unknown keys pass through untouched.
const InboundSmsParams = z.looseObject({
  // MessageSid is checked in parseInboundSms (it has deprecated aliases: SmsSid, SmsMessageSid)
  From: required('From'),
  To: required('To'),
  Body: z.string().optional(),
  NumMedia: z.string().regex(/^\d{1,3}$/, 'NumMedia must be a small whole number').optional(),
});

/** Twilio allows at most 10 media per message; anything above is not a real payload. */
const MAX_MEDIA = 10;

export interface ParseOptions {
  now?: () => Date;
}

/**
 * One Twilio "incoming message" webhook (SMS, MMS or WhatsApp) → the bridge's envelope. Pure: no I/O.
 * Throws SmsPayloadError naming the field when the payload is not a usable message.
 */
export function parseInboundSms(params: FormParams, opts: ParseOptions = {}): InboundMessage {
  const flat = firstValues(params);
  const parsed = InboundSmsParams.safeParse(flat);
  // every problem at once, MessageSid first: "MessageSid is missing; From is missing"
  const problems: { field: string; message: string }[] = [];
  const externalId = flat.MessageSid || flat.SmsSid || flat.SmsMessageSid;
  if (!externalId) problems.push({ field: 'MessageSid', message: 'MessageSid is missing' });
  if (!parsed.success) for (const i of parsed.error.issues) problems.push({ field: String(i.path[0] ?? ''), message: i.message });
  if (!parsed.success || !externalId)
    throw new SmsPayloadError(problems.map((x) => x.message).join('; '), problems[0]?.field);
  const p = parsed.data;

  const attachments = mediaOf(flat, Number(p.NumMedia ?? '0'));
  // Body is always sent for a message, possibly empty (an MMS with only a photo). A payload with neither Body nor
  // media is some other callback posted to the wrong URL.
  if (p.Body === undefined && attachments.length === 0) throw new SmsPayloadError('Body is missing', 'Body');

  const phone = e164(p.From);
  const location = locationOf(flat);
  const name = flat.ProfileName?.trim();
  const now = (opts.now ?? (() => new Date()))();

  const message = InboundMessage.safeParse({
    channel: 'sms',
    accountId: p.To,
    externalId,
    threadKey: p.From,
    sender: { id: p.From, ...(phone ? { phone } : {}), ...(name ? { name } : {}) },
    receivedAt: now.toISOString(),
    text: p.Body ?? '',
    attachments,
    ...(location ? { location } : {}),
    raw: params,
  });
  if (!message.success) {
    const issue = message.error.issues[0]!;
    throw new SmsPayloadError(`${issue.path.join('.')}: ${issue.message}`, String(issue.path[0] ?? ''));
  }
  return message.data;
}

/** From as E.164 when it is a real number; WhatsApp senders arrive as `whatsapp:+91…`. Short codes stay undefined. */
// Twilio sends From in E.164 already; only other forms (a national number, a short code) need the library
const E164 = /^\+[1-9]\d{7,14}$/;

export function e164(from: string): string | undefined {
  const bare = from.replace(/^whatsapp:/i, '').trim();
  if (E164.test(bare)) return bare;
  const number = parsePhoneNumber(bare, 'IN');
  return number?.isValid() ? number.number : undefined;
}

function mediaOf(flat: Record<string, string>, count: number): Attachment[] {
  const out: Attachment[] = [];
  for (let i = 0; i < Math.min(count, MAX_MEDIA); i++) {
    const url = flat[`MediaUrl${i}`];
    if (!url) continue;
    const mime = flat[`MediaContentType${i}`];
    out.push({ kind: kindOf(mime), url, ...(mime ? { mime } : {}) });
  }
  return out;
}

export function kindOf(mime: string | undefined): Attachment['kind'] {
  const top = mime?.split('/')[0]?.toLowerCase();
  return top === 'image' || top === 'audio' || top === 'video' ? top : 'file';
}

/** WhatsApp location pins come as Latitude / Longitude (+ Address, Label). */
function locationOf(flat: Record<string, string>): Location | undefined {
  if (!flat.Latitude || !flat.Longitude) return undefined;
  const lat = Number(flat.Latitude);
  const lon = Number(flat.Longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  const label = flat.Label || flat.Address;
  return { lat, lon, ...(label ? { label } : {}) };
}
