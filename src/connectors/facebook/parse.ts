import { z } from 'zod';
import type { Attachment, InboundMessage, Location } from '../../model/index.ts';
import { CHANNEL_MEDIA_HOSTS, ownHostLink } from '../../attachments/link-check.ts';

/** Messenger's own longest text; anything longer is not one of its payloads */
const MAX_TEXT = 20_000;
const Id = z.string().regex(/^\d{1,24}$/);
const Mid = z.string().min(1).max(512);
const Millis = z.number().int().positive();
// a time in ms since the epoch, or in seconds (the app dashboard's "Test" sends "1527459824"): below 1e12 ms
// (September 2001) no Messenger event was ever sent, so a smaller number is seconds
const SECONDS_BELOW = 1e12;
// the end of year 9999: no time Meta sent is later, and a later one has no ISO date of four digits (beyond 8.64e15 ms
// no Date at all: dating the message would throw)
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const EventTime = z
  .union([z.number().int().positive(), z.string().regex(/^\d{1,16}$/).transform(Number)])
  .transform((n) => (n < SECONDS_BELOW ? n * 1000 : n))
  .refine((ms) => ms <= LATEST_MS, 'not a time');

const MessengerAttachment = z.object({
  type: z.string().max(32),
  payload: z
    .object({
      url: z.string().max(4096).optional(),
      title: z.string().max(1000).optional(),
      sticker_id: z.number().int().optional(),
      coordinates: z.object({ lat: z.number().min(-90).max(90), long: z.number().min(-180).max(180) }).optional(),
    })
    .nullish(),
});

const MessagingEvent = z.object({
  sender: z.object({ id: Id.optional(), user_ref: z.string().optional() }),
  recipient: z.object({ id: Id }),
  timestamp: EventTime.optional(),
  message: z
    .object({
      mid: Mid,
      text: z.string().max(MAX_TEXT).optional(),
      is_echo: z.boolean().optional(),
      quick_reply: z.object({ payload: z.string().max(1000) }).optional(),
      reply_to: z.object({ mid: Mid }).optional(),
      attachments: z.array(MessengerAttachment).max(20).optional(),
    })
    .optional(),
  postback: z.object({ mid: Mid.optional(), title: z.string().max(1000).optional(), payload: z.string().max(1000).optional() }).optional(),
  delivery: z.object({ mids: z.array(Mid).max(1000).optional(), watermark: Millis }).optional(),
  read: z.object({ watermark: Millis }).optional(),
});
type MessagingEvent = z.infer<typeof MessagingEvent>;

/** A change on the page's feed: a comment added (edits, removals and the page's own are not complaints). */
const FeedChange = z.object({
  field: z.literal('feed'),
  value: z.object({
    item: z.string().max(32),
    verb: z.string().max(32),
    from: z.object({ id: Id, name: z.string().max(256).optional() }).optional(),
    comment_id: z.string().regex(/^\d+_\d+$/).optional(),
    post_id: z.string().regex(/^\d+_\d+$/).optional(),
    parent_id: z.string().regex(/^\d+_\d+$/).optional(),
    message: z.string().max(MAX_TEXT).optional(),
    photo: z.string().max(4096).optional(),
    created_time: z.number().int().positive().max(Math.floor(LATEST_MS / 1000)).optional(),
  }),
});

const Entry = z.object({
  id: Id,
  time: z.number().int().optional(),
  messaging: z.array(z.unknown()).max(1000).optional(),
  changes: z.array(z.unknown()).max(1000).optional(),
});
// each entry is checked alone: one off the schema must not cost the others of the batch
export const Delivery = z.object({ object: z.literal('page'), entry: z.array(z.unknown()).max(1000) });

/** What one signed delivery held for us. */
export interface ParsedDelivery {
  messages: InboundMessage[];
  /** our replies Messenger delivered (by message id) */
  delivered: string[];
  /** a citizen read everything up to `watermark` */
  reads: { pageId: string; psid: string; watermark: number }[];
  /** events left out, and why (logged as counts, never with their content) */
  skipped: string[];
  /** entries and events that do not fit Meta's documented shape: where and what (a schema path, never a value) */
  malformed: string[];
}

export class FacebookPayloadError extends Error {
  override readonly name = 'FacebookPayloadError';
}

/**
 * Every entry and every event of a delivery: Meta batches several pages' events in one. An entry or event off the
 * schema, or one we cannot use, is left out alone; an entry for a page we do not serve is skipped (it is another
 * app's, or an old subscription). `pages`: every page we serve; what any of them wrote is never a complaint.
 */
export function parseDelivery(body: unknown, pages: ReadonlySet<string>, now: () => Date = () => new Date()): ParsedDelivery {
  const delivery = Delivery.safeParse(body);
  if (!delivery.success) throw new FacebookPayloadError(`not a Messenger page delivery: ${whereWrong(delivery.error)}`);
  const out: ParsedDelivery = { messages: [], delivered: [], reads: [], skipped: [], malformed: [] };
  for (const [i, raw] of delivery.data.entry.entries()) {
    const entry = Entry.safeParse(raw);
    if (!entry.success) {
      out.malformed.push(`entry ${i}: ${whereWrong(entry.error, '(the entry)')}`);
      continue;
    }
    const { id, messaging, changes } = entry.data;
    if (!pages.has(id)) {
      out.skipped.push('an entry for a page this bridge does not serve');
      continue;
    }
    for (const event of messaging ?? []) takeMessaging(event, id, pages, out, now);
    for (const change of changes ?? []) {
      // the app dashboard's "Test" button sends Messenger events as field/value changes
      const field = (change as { field?: unknown } | null)?.field;
      if (field === 'messages' || field === 'messaging_postbacks') takeMessaging((change as { value?: unknown }).value, id, pages, out, now);
      else takeFeed(change, id, pages, out);
    }
  }
  return out;
}

/** where a value is off the schema and the kind of fault, never the value itself (it may be a citizen's words) */
function whereWrong(error: z.ZodError, whole = 'body'): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || whole} ${issue?.code ?? ''}`.trim();
}

function takeMessaging(raw: unknown, pageId: string, pages: ReadonlySet<string>, out: ParsedDelivery, now: () => Date): void {
  const parsed = MessagingEvent.safeParse(raw);
  if (!parsed.success) return void out.malformed.push(`a messaging event: ${whereWrong(parsed.error, '(the event)')}`);
  const e = parsed.data;
  const psid = e.sender.id;
  if (e.delivery) return void out.delivered.push(...(e.delivery.mids ?? []));
  if (e.read && psid) return void out.reads.push({ pageId, psid, watermark: e.read.watermark });
  if (!psid) return void out.skipped.push('an event without a sender id (a plugin opt-in)');
  // our own replies come back as echoes: never a complaint, never answered (nor anything from another page of ours)
  if (e.message?.is_echo || pages.has(psid)) return void out.skipped.push('an echo of our own message');
  const receivedAt = new Date(e.timestamp ?? now().getTime()).toISOString();
  const base = { channel: 'facebook' as const, accountId: pageId, threadKey: psid, sender: { id: psid }, receivedAt, raw };
  if (e.message) {
    const { attachments, location, text } = attachmentsOf(e.message.attachments ?? []);
    out.messages.push({
      ...base,
      externalId: e.message.mid,
      // a quick reply's payload is the button's own text, whole (its title may be cut to 20 characters)
      text: e.message.quick_reply?.payload ?? ([e.message.text, text].filter(Boolean).join(' ') || ''),
      attachments,
      ...(location ? { location } : {}),
      ...(e.message.reply_to ? { inReplyTo: e.message.reply_to.mid } : {}),
    });
    return;
  }
  if (e.postback) {
    out.messages.push({
      ...base,
      externalId: e.postback.mid ?? `postback:${psid}:${e.timestamp ?? receivedAt}`,
      text: e.postback.payload ?? e.postback.title ?? '',
      attachments: [],
    });
    return;
  }
  out.skipped.push('an event the bridge does not use (reaction, referral, opt-in)');
}

/** The thumbs-up sticker Messenger's like button sends */
const LIKE_STICKERS = new Set([369239263222822, 369239343222814, 369239383222810]);

function attachmentsOf(list: z.infer<typeof MessengerAttachment>[]): { attachments: Attachment[]; location?: Location; text?: string } {
  const attachments: Attachment[] = [];
  let location: Location | undefined;
  let text: string | undefined;
  for (const a of list) {
    const url = a.payload?.url;
    if (a.type === 'location' && a.payload?.coordinates) {
      location = { lat: a.payload.coordinates.lat, lon: a.payload.coordinates.long, ...(a.payload.title ? { label: a.payload.title } : {}) };
      attachments.push({ kind: 'location' });
    } else if (a.payload?.sticker_id !== undefined) {
      if (LIKE_STICKERS.has(a.payload.sticker_id)) text = '👍';
    } else if (a.type === 'image' || a.type === 'audio' || a.type === 'video' || a.type === 'file') {
      attachments.push(ownHostLink({ kind: a.type, ...(url ? { url } : {}) }, CHANNEL_MEDIA_HOSTS.facebook));
    } else if (a.type === 'fallback' && url) {
      // a shared link: its address is what the citizen sent
      text = url;
    } else attachments.push(ownHostLink({ kind: 'other', ...(url ? { url } : {}) }, CHANNEL_MEDIA_HOSTS.facebook));
  }
  return { attachments, ...(location ? { location } : {}), ...(text ? { text } : {}) };
}

function takeFeed(raw: unknown, pageId: string, pages: ReadonlySet<string>, out: ParsedDelivery): void {
  const parsed = FeedChange.safeParse(raw);
  if (!parsed.success) return void out.skipped.push('a change the bridge does not use');
  const v = parsed.data.value;
  if (v.item !== 'comment' || v.verb !== 'add') return void out.skipped.push(`a feed ${v.item} ${v.verb}`);
  if (!v.comment_id || !v.from) return void out.skipped.push('a comment without its id or author');
  // the comments of our pages (our public replies among them, on this page or another of ours) are not complaints
  if (pages.has(v.from.id)) return void out.skipped.push("one of our pages' own comment");
  out.messages.push(commentMessage(pageId, { id: v.comment_id, from: v.from, message: v.message ?? '', createdAt: new Date((v.created_time ?? Date.now() / 1000) * 1000), photo: v.photo, parentId: v.parent_id !== v.post_id ? v.parent_id : undefined }, raw));
}

/** A page comment as a public message, from the webhook or the catch-up poll alike (one archive key: its id). */
export function commentMessage(
  pageId: string,
  c: { id: string; from: { id: string; name?: string | undefined }; message: string; createdAt: Date; photo?: string | undefined; parentId?: string | undefined },
  raw: unknown,
): InboundMessage {
  return {
    channel: 'facebook',
    accountId: pageId,
    externalId: c.id,
    // a citizen's comment and their own replies under it are one complaint; anyone else's, another
    threadKey: `comment:${c.parentId ?? c.id}:${c.from.id}`,
    sender: { id: c.from.id, ...(c.from.name ? { name: c.from.name } : {}) },
    receivedAt: c.createdAt.toISOString(),
    text: c.message,
    attachments: c.photo ? [ownHostLink({ kind: 'image', url: c.photo }, CHANNEL_MEDIA_HOSTS.facebook)] : [],
    ...(c.parentId ? { inReplyTo: c.parentId } : {}),
    public: true,
    raw,
  };
}

export type { MessagingEvent };
