import { attachmentKind } from '../../attachments/attachment-kind.ts';
import parsePhoneNumber from 'libphonenumber-js';
import { z } from 'zod';
import type { FormParams } from '../../http/form-body.ts';
import { InboundMessage, type Attachment, type Location } from '../../model/index.ts';
import { CHANNEL_MEDIA_HOSTS, ownHostLink } from '../../attachments/link-check.ts';

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

/**
 * Twilio sends each field once. A field we read that comes twice cannot be Twilio's: it is refused. Other repeated
 * keys are read at their first value (the raw payload keeps them all). No prototype: `__proto__` is a key.
 */
export function firstValues(params: FormParams, once: readonly string[] = []): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v) && v.length > 1 && once.includes(k)) throw new SmsPayloadError(`${k} is sent more than once: not a Twilio webhook`, k);
    const value = Array.isArray(v) ? v[0] : v;
    if (value !== undefined) out[k] = value;
  }
  return out;
}

const required = (name: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? `${name} is missing` : `${name} must be text`) }).min(1, `${name} is missing`);

// Twilio's resource ids: two letters and 32 hex digits. Twilio signs key+value with no separator, so a captured
// request re-sent with a key boundary moved (MessageSid=SM…NumMedia0) keeps its signature: the exact shape of
// every field Twilio defines is what refuses it.
export const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;
const sid = (name: string, prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `${name} is not a Twilio ${prefix}… id`);
const messageSid = (name: string) => z.string().regex(MESSAGE_SID, `${name} is not a Twilio message id (SM or MM and 32 hex digits)`);
// Our number: E.164 (or a short code), possibly on WhatsApp. The citizen: the same, or an alphanumeric sender id
// (VM-PMCPUN). Nothing longer or looser, or a moved key boundary could turn "+91…ToCountryIN" into a new account.
const PHONE_ADDRESS = /^(whatsapp:)?\+?\d{3,15}$/;
const SENDER_ID = /^[A-Za-z0-9][A-Za-z0-9-]{1,15}$/;
const address = (name: string, ...shapes: RegExp[]) =>
  required(name).refine((v) => shapes.some((s) => s.test(v)), `${name} is not a Twilio address (a phone number or a short code)`);
const bounded = (name: string, most: number) => z.string().max(most, `${name} is longer than Twilio sends (${most} characters)`);
const decimal = (name: string) => z.string().regex(/^-?\d{1,3}(\.\d{1,12})?$/, `${name} must be a decimal number`);

/** The longest text Twilio delivers: WhatsApp's 4,096 (an SMS is at most 1,600). */
export const MOST_BODY_CHARS = 4096;

// The fields we read, and which Twilio sends once. Twilio may add parameters without notice (it says so): unknown
// keys pass through untouched.
const READ_ONCE = ['MessageSid', 'SmsSid', 'SmsMessageSid', 'AccountSid', 'MessagingServiceSid', 'From', 'To', 'Body', 'NumMedia', 'ProfileName', 'Latitude', 'Longitude'];
const InboundSmsParams = z.looseObject({
  MessageSid: messageSid('MessageSid').optional(),
  SmsSid: messageSid('SmsSid').optional(),
  SmsMessageSid: messageSid('SmsMessageSid').optional(),
  AccountSid: required('AccountSid').pipe(sid('AccountSid', 'AC')),
  MessagingServiceSid: sid('MessagingServiceSid', 'MG').optional(),
  From: address('From', PHONE_ADDRESS, SENDER_ID),
  To: address('To', PHONE_ADDRESS),
  Body: bounded('Body', MOST_BODY_CHARS).optional(),
  NumMedia: z.string().regex(/^\d{1,2}$/, 'NumMedia must be a small whole number').optional(),
  NumSegments: z.string().regex(/^\d{1,2}$/, 'NumSegments must be a small whole number').optional(),
  ProfileName: bounded('ProfileName', 256).optional(),
  ApiVersion: z.literal('2010-04-01', 'ApiVersion is not one Twilio sends').optional(),
  Latitude: decimal('Latitude').optional(),
  Longitude: decimal('Longitude').optional(),
  Address: bounded('Address', 512).optional(),
  Label: bounded('Label', 256).optional(),
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
  const flat = firstValues(params, READ_ONCE);
  const parsed = InboundSmsParams.safeParse(flat);
  // every problem at once, MessageSid first: "MessageSid is missing; From is missing"
  const problems: { field: string; message: string }[] = [];
  const sids = [flat.MessageSid, flat.SmsSid, flat.SmsMessageSid].filter((x): x is string => x !== undefined);
  const externalId = sids[0];
  if (!externalId) problems.push({ field: 'MessageSid', message: 'MessageSid is missing' });
  else if (sids.some((x) => x !== externalId)) problems.push({ field: 'MessageSid', message: 'MessageSid, SmsSid and SmsMessageSid differ: not a Twilio webhook' });
  if (!parsed.success) for (const i of parsed.error.issues) problems.push({ field: String(i.path[0] ?? ''), message: i.message });
  const media = Number(flat.NumMedia ?? '0');
  if (parsed.success) problems.push(...mediaProblems(flat, media));
  if (!parsed.success || problems.length > 0 || !externalId)
    throw new SmsPayloadError(problems.map((x) => x.message).join('; '), problems[0]?.field);
  const p = parsed.data;

  const attachments = mediaOf(flat, media);
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

const MEDIA_KEY = /^Media(Url|ContentType)(\d+)$/;

/** Twilio numbers its media 0…NumMedia-1, each an https URL: any other media key cannot be Twilio's. */
function mediaProblems(flat: Record<string, string>, count: number): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (count > MAX_MEDIA) problems.push({ field: 'NumMedia', message: `NumMedia is more than Twilio's ${MAX_MEDIA}` });
  for (const [key, value] of Object.entries(flat)) {
    const m = MEDIA_KEY.exec(key);
    if (!m) continue;
    if (Number(m[2]) >= count) problems.push({ field: key, message: `${key} is beyond NumMedia: not a Twilio webhook` });
    else if (m[1] === 'Url' && !/^https:\/\/[^\s]{1,2040}$/.test(value)) problems.push({ field: key, message: `${key} is not an https URL` });
    else if (m[1] === 'ContentType' && !/^[\w.+-]{1,127}\/[\w.+-]{1,127}$/.test(value)) problems.push({ field: key, message: `${key} is not a media type` });
  }
  return problems;
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
  for (let i = 0; i < count; i++) {
    const url = flat[`MediaUrl${i}`];
    if (!url) continue;
    const mime = flat[`MediaContentType${i}`];
    out.push(ownHostLink({ kind: attachmentKind(mime), url, ...(mime ? { mime } : {}) }, CHANNEL_MEDIA_HOSTS.sms));
  }
  return out;
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
