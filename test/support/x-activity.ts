import { createHmac } from 'node:crypto';

/** X's webhook signature over the raw body: base64 HMAC-SHA256 with the app's consumer secret */
export const signX = (raw: string, secret: string): string => `sha256=${createHmac('sha256', secret).update(raw, 'utf8').digest('base64')}`;

export async function postToXHook(url: string, body: unknown, secret: string, signature?: string): Promise<Response> {
  const raw = JSON.stringify(body);
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': signature ?? signX(raw, secret) }, body: raw });
}

/**
 * An Account Activity delivery as X documents it (a v1.1 post object in tweet_create_events), written for these
 * tests after the examples in X's docs (which carry no licence to copy): the ids and people are made up.
 */
export function mentionActivity(forUser: string, username: string, t: { id: string; text: string; author: { id: string; screen_name: string; name: string }; inReplyTo?: { status: string; user: string } }): Record<string, unknown> {
  return {
    for_user_id: forUser,
    tweet_create_events: [
      {
        created_at: new Date().toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) (\S+) GMT$/, '$1 $3 $2 $5 +0000 $4'),
        id: Number(t.id.slice(0, 15)),
        id_str: t.id,
        text: t.text,
        user: { id: Number(t.author.id.slice(0, 15)), id_str: t.author.id, name: t.author.name, screen_name: t.author.screen_name },
        in_reply_to_status_id_str: t.inReplyTo?.status ?? null,
        in_reply_to_user_id_str: t.inReplyTo?.user ?? null,
        entities: { hashtags: [], urls: [], user_mentions: [{ screen_name: username, id_str: forUser, indices: [0, username.length + 1] }] },
      },
    ],
  };
}

export function dmActivity(forUser: string, dm: { id: string; senderId: string; text: string }): Record<string, unknown> {
  return {
    for_user_id: forUser,
    direct_message_events: [
      {
        type: 'message_create',
        id: dm.id,
        created_timestamp: String(Date.now()),
        message_create: { target: { recipient_id: forUser }, sender_id: dm.senderId, message_data: { text: dm.text, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } } },
      },
    ],
  };
}

/**
 * A long-form post (over 140 characters) as Account Activity delivers it, after X's "support for longform posts"
 * example: `text` is cut at 140 with a link, the top-level `entities` cover only that cut (no mentions there), and
 * the whole text with its mentions is in `extended_tweet`. Ours, with made-up ids and people.
 */
export function longformMentionActivity(forUser: string, username: string, t: { id: string; fullText: string; author: { id: string; screen_name: string; name: string } }): Record<string, unknown> {
  const at = t.fullText.indexOf(`@${username}`);
  const base = mentionActivity(forUser, username, { id: t.id, text: `${[...t.fullText].slice(0, 116).join('')}… https://t.co/abcdEFGH12`, author: t.author });
  const [event] = base.tweet_create_events as Record<string, unknown>[];
  Object.assign(event!, {
    display_text_range: [0, 140],
    truncated: true,
    entities: { hashtags: [], urls: [{ url: 'https://t.co/abcdEFGH12', expanded_url: `https://twitter.com/i/web/status/${t.id}`, indices: [117, 140] }], user_mentions: [], symbols: [] },
    extended_tweet: {
      full_text: t.fullText,
      display_text_range: [0, [...t.fullText].length],
      entities: { hashtags: [], urls: [], user_mentions: [{ screen_name: username, name: username, id_str: forUser, indices: [at, at + username.length + 1] }], symbols: [] },
    },
  });
  return base;
}
