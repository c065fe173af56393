import { z } from 'zod';
import type { InboundMessage } from '../../model/index.ts';

const Id = z.string().regex(/^\d{1,20}$/);
// a note tweet (long-form post) may hold 25,000 characters; a DM 10,000
const Text = z.string().max(30_000);

/** A post as the v2 API returns it with the fields the bridge asks for. */
export const Tweet = z.object({
  id: Id,
  text: Text,
  author_id: Id,
  created_at: z.string().datetime({ offset: true }).optional(),
  conversation_id: Id.optional(),
  in_reply_to_user_id: Id.optional(),
  referenced_tweets: z.array(z.object({ type: z.string().max(20), id: Id })).max(10).optional(),
  note_tweet: z.object({ text: Text }).optional(),
});
export type Tweet = z.infer<typeof Tweet>;

/** A DM event as the v2 API returns it. */
export const DmEvent = z.object({
  id: Id,
  event_type: z.string().max(30),
  text: Text.optional(),
  sender_id: Id.optional(),
  dm_conversation_id: z.string().max(64).optional(),
  created_at: z.string().datetime({ offset: true }).optional(),
  attachments: z.object({ media_keys: z.array(z.string().max(64)).max(10).optional() }).optional(),
});
export type DmEvent = z.infer<typeof DmEvent>;

export interface Author {
  id: string;
  name?: string | undefined;
  username?: string | undefined;
}

// years 0 to 9999, what an ISO date of four digits writes: a time outside is none X sent (beyond 8.64e15 ms it is no
// Date at all, and toISOString throws)
const FIRST_MS = Date.parse('0000-01-01T00:00:00Z');
const LAST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** a time X wrote (an ISO or v1.1 date, or milliseconds) as an ISO date; undefined when it is none */
export function isoTime(at: string | number | undefined): string | undefined {
  if (at === undefined) return undefined;
  const ms = new Date(at).getTime();
  return ms >= FIRST_MS && ms <= LAST_MS ? new Date(ms).toISOString() : undefined;
}

/** "@PMCPune @wardoffice garbage…" → "garbage…": X puts the handles of a reply chain before the words */
export function withoutLeadingHandles(text: string): string {
  return text.replace(/^(\s*@\w{1,15})+\s*/u, '').trim();
}

/**
 * A mention: public, so its reply is public too and carries no personal data. `thread`: one citizen's posts
 * under one conversation, so a reply to our reply joins the complaint it answers.
 */
export function mentionMessage(accountId: string, t: Tweet, author: Author | undefined, thread: string, raw: unknown): InboundMessage {
  const repliedTo = t.referenced_tweets?.find((r) => r.type === 'replied_to')?.id;
  return {
    channel: 'twitter',
    accountId,
    externalId: t.id,
    threadKey: thread,
    sender: { id: t.author_id, ...(author?.name ? { name: author.name } : {}) },
    receivedAt: isoTime(t.created_at) ?? new Date().toISOString(),
    text: withoutLeadingHandles(t.note_tweet?.text ?? t.text),
    attachments: [],
    ...(repliedTo ? { inReplyTo: repliedTo } : {}),
    public: true,
    raw,
  };
}

/** the thread a post starts: its own id and author (the webhook's posts carry no conversation id, so neither path uses it) */
export const threadOf = (t: Pick<Tweet, 'id' | 'author_id'>): string => `tweet:${t.id}:${t.author_id}`;

/** A DM from a citizen (our own and non-message events are the caller's to leave out). */
export function dmMessage(accountId: string, e: DmEvent & { sender_id: string }, raw: unknown): InboundMessage {
  return {
    channel: 'twitter',
    accountId,
    externalId: `dm:${e.id}`,
    // a citizen's DMs with the account are one conversation, answered by the bot
    threadKey: `dm:${e.sender_id}`,
    sender: { id: e.sender_id },
    receivedAt: isoTime(e.created_at) ?? new Date().toISOString(),
    text: e.text ?? '',
    attachments: (e.attachments?.media_keys ?? []).map(() => ({ kind: 'image' as const })),
    raw,
  };
}

/** A DM of ours (of any of our accounts) or one that is not a message (someone joined or left): never a complaint. */
export const isCitizenDm = (ours: ReadonlySet<string>, e: DmEvent): e is DmEvent & { sender_id: string } =>
  e.event_type === 'MessageCreate' && e.sender_id !== undefined && !ours.has(e.sender_id);

const Mentions = z.object({ user_mentions: z.array(z.object({ id_str: Id })).max(50).optional() });

/** A post in tweet_create_events (a v1.1 object), with what the bridge reads of it. */
const TweetCreateEvent = z.object({
  id_str: Id,
  created_at: z.string().max(40).optional(),
  text: Text.optional(),
  full_text: Text.optional(),
  // a long-form post: its whole text and its entities (the top-level ones cover the first 140 characters only)
  extended_tweet: z.object({ full_text: Text, entities: Mentions.optional() }).optional(),
  in_reply_to_status_id_str: Id.nullish(),
  in_reply_to_user_id_str: Id.nullish(),
  user: z.object({ id_str: Id, name: z.string().max(100).optional(), screen_name: z.string().max(20).optional() }),
  entities: Mentions.optional(),
  retweeted_status: z.unknown().optional(),
});
type TweetCreateEvent = z.infer<typeof TweetCreateEvent>;

/** A DM in direct_message_events (a v1.1 object). */
const DmCreateEvent = z.object({
  type: z.string().max(30),
  id: Id,
  created_timestamp: z.string().regex(/^\d{1,16}$/).optional(),
  message_create: z
    .object({
      sender_id: Id,
      target: z.object({ recipient_id: Id }).optional(),
      message_data: z.object({ text: Text.optional(), attachment: z.unknown().optional() }),
    })
    .optional(),
});

/**
 * The Account Activity webhook's delivery: whose it is, and its events, each checked alone by fromActivity (one
 * off the schema must not cost the others).
 */
export const ActivityDelivery = z.object({
  for_user_id: Id,
  tweet_create_events: z.array(z.unknown()).max(500).optional(),
  direct_message_events: z.array(z.unknown()).max(500).optional(),
});
export type ActivityDelivery = z.infer<typeof ActivityDelivery>;

/** what the webhook takes of one delivery; `malformed`: events off the documented shape (where, never a value) */
export interface Activity {
  tweets: { tweet: Tweet; author: Author; raw: unknown }[];
  dms: { event: DmEvent; raw: unknown }[];
  malformed: string[];
}

/** the event, or where it is off the schema (a path and the kind of fault: never the value, a citizen's words) */
function eventOf<T>(schema: z.ZodType<T>, raw: unknown, what: string, malformed: string[]): T | undefined {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  malformed.push(`${what}: ${issue?.path.join('.') || '(event)'} ${issue?.code ?? ''}`.trim());
  return undefined;
}

const mentions = (t: TweetCreateEvent, userId: string): boolean =>
  [...(t.entities?.user_mentions ?? []), ...(t.extended_tweet?.entities?.user_mentions ?? [])].some((m) => m.id_str === userId);

/**
 * The webhook's posts and DMs in the v2 shape the pollers read, so both paths make the same messages; each keeps its
 * own event as received (`raw`), not the whole delivery (which may hold other citizens' messages). `ours`: every
 * account the bridge serves: what any of them wrote (a reply of one carrying another's handle) is never a complaint.
 */
export function fromActivity(d: ActivityDelivery, ours: ReadonlySet<string>): Activity {
  const out: Activity = { tweets: [], dms: [], malformed: [] };
  for (const [i, raw] of (d.tweet_create_events ?? []).entries()) {
    const t = eventOf(TweetCreateEvent, raw, `tweet_create_events ${i}`, out.malformed);
    // a retweet of a mention is not a complaint; our own posts come back here too
    if (!t || t.retweeted_status !== undefined || ours.has(t.user.id_str)) continue;
    if (!mentions(t, d.for_user_id) && t.in_reply_to_user_id_str !== d.for_user_id) continue;
    const created = isoTime(t.created_at);
    const tweet: Tweet = {
      id: t.id_str,
      text: t.extended_tweet?.full_text ?? t.full_text ?? t.text ?? '',
      author_id: t.user.id_str,
      ...(created ? { created_at: created } : {}),
      ...(t.in_reply_to_user_id_str ? { in_reply_to_user_id: t.in_reply_to_user_id_str } : {}),
      ...(t.in_reply_to_status_id_str ? { referenced_tweets: [{ type: 'replied_to', id: t.in_reply_to_status_id_str }] } : {}),
    };
    out.tweets.push({ tweet, author: { id: t.user.id_str, name: t.user.name, username: t.user.screen_name }, raw });
  }
  for (const [i, raw] of (d.direct_message_events ?? []).entries()) {
    const e = eventOf(DmCreateEvent, raw, `direct_message_events ${i}`, out.malformed);
    if (e?.type !== 'message_create' || !e.message_create) continue;
    const sent = isoTime(e.created_timestamp === undefined ? undefined : Number(e.created_timestamp));
    out.dms.push({
      event: {
        id: e.id,
        event_type: 'MessageCreate',
        sender_id: e.message_create.sender_id,
        text: e.message_create.message_data.text ?? '',
        ...(sent ? { created_at: sent } : {}),
      },
      raw,
    });
  }
  return out;
}
