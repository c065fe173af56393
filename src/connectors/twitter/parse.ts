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
    receivedAt: t.created_at ? new Date(t.created_at).toISOString() : new Date().toISOString(),
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
    receivedAt: e.created_at ? new Date(e.created_at).toISOString() : new Date().toISOString(),
    text: e.text ?? '',
    attachments: (e.attachments?.media_keys ?? []).map(() => ({ kind: 'image' as const })),
    raw,
  };
}

/** A DM of ours or one that is not a message (someone joined or left): never a complaint. */
export const isCitizenDm = (accountId: string, e: DmEvent): e is DmEvent & { sender_id: string } =>
  e.event_type === 'MessageCreate' && e.sender_id !== undefined && e.sender_id !== accountId;

/** The Account Activity webhook's events (v1.1 objects), for the events the bridge takes. */
export const ActivityDelivery = z.object({
  for_user_id: Id,
  tweet_create_events: z
    .array(
      z.object({
        id_str: Id,
        created_at: z.string().max(40).optional(),
        text: Text.optional(),
        full_text: Text.optional(),
        extended_tweet: z.object({ full_text: Text }).optional(),
        in_reply_to_status_id_str: Id.nullish(),
        in_reply_to_user_id_str: Id.nullish(),
        user: z.object({ id_str: Id, name: z.string().max(100).optional(), screen_name: z.string().max(20).optional() }),
        entities: z.object({ user_mentions: z.array(z.object({ id_str: Id })).max(50).optional() }).optional(),
        retweeted_status: z.unknown().optional(),
      }),
    )
    .max(500)
    .optional(),
  direct_message_events: z
    .array(
      z.object({
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
      }),
    )
    .max(500)
    .optional(),
});
export type ActivityDelivery = z.infer<typeof ActivityDelivery>;

/**
 * The webhook's posts and DMs in the v2 shape the pollers read, so both paths make the same messages; each keeps its
 * own event as received (`raw`), not the whole delivery (which may hold other citizens' messages).
 */
export function fromActivity(d: ActivityDelivery, body: unknown = d): { tweets: { tweet: Tweet; author: Author; raw: unknown }[]; dms: { event: DmEvent; raw: unknown }[] } {
  const received = body as { tweet_create_events?: unknown[]; direct_message_events?: unknown[] };
  const tweets = (d.tweet_create_events ?? [])
    .map((t, i) => ({ t, raw: received.tweet_create_events?.[i] ?? t }))
    // a retweet of a mention is not a complaint; our own posts come back here too
    .filter(({ t }) => t.retweeted_status === undefined && t.user.id_str !== d.for_user_id)
    .filter(({ t }) => (t.entities?.user_mentions ?? []).some((m) => m.id_str === d.for_user_id) || t.in_reply_to_user_id_str === d.for_user_id)
    .map(({ t, raw }) => {
      const created = t.created_at ? new Date(t.created_at) : undefined;
      const tweet: Tweet = {
        id: t.id_str,
        text: t.extended_tweet?.full_text ?? t.full_text ?? t.text ?? '',
        author_id: t.user.id_str,
        ...(created && !Number.isNaN(created.getTime()) ? { created_at: created.toISOString() } : {}),
        ...(t.in_reply_to_user_id_str ? { in_reply_to_user_id: t.in_reply_to_user_id_str } : {}),
        ...(t.in_reply_to_status_id_str ? { referenced_tweets: [{ type: 'replied_to', id: t.in_reply_to_status_id_str }] } : {}),
      };
      return { tweet, author: { id: t.user.id_str, name: t.user.name, username: t.user.screen_name }, raw };
    });
  const dms = (d.direct_message_events ?? []).flatMap((e, i): { event: DmEvent; raw: unknown }[] =>
    e.type === 'message_create' && e.message_create
      ? [{
          event: {
            id: e.id,
            event_type: 'MessageCreate',
            sender_id: e.message_create.sender_id,
            text: e.message_create.message_data.text ?? '',
            ...(e.created_timestamp ? { created_at: new Date(Number(e.created_timestamp)).toISOString() } : {}),
          },
          raw: received.direct_message_events?.[i] ?? e,
        }]
      : [],
  );
  return { tweets, dms };
}
