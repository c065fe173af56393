import { z } from 'zod';
import type { Attachment, InboundMessage } from '../../model/index.ts';
import type { WebChatTurnActivity } from '../../bots/web-chat-adapter.ts';

/** the longest message a citizen may type: Web Chat has no limit of its own, our replies stop at 2000 too */
export const MAX_TEXT = 2000;

// Only what the bridge uses is kept (zod strips the rest): every activity is held in memory until its
// conversation expires, and archived with the message.
const AttachmentIn = z.object({
  contentType: z.string().min(1).max(200),
  contentUrl: z.string().max(2048).optional(),
  thumbnailUrl: z.string().max(2048).optional(),
  name: z.string().max(256).optional(),
  /** a photo the bridge itself took in (upload.ts): its reference, signed, so no client can name another's file */
  content: z.object({ ref: z.string().max(80), size: z.number().int().nonnegative(), sig: z.string().max(100) }).optional(),
});

/** a location the citizen shared from the page (browser geolocation, with their consent) */
const SharedLocation = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  accuracy: z.number().nonnegative().max(100_000).optional(),
});

/**
 * What the page's "share my location" button writes beside the pin (page.js), so the citizen's bubble says what was
 * sent. It is the page's label, not the citizen's words: the bridge reads the pin alone.
 */
export const LOCATION_LABEL = 'माझे ठिकाण (नकाशावर)';

/** What a browser posts to Direct Line's `POST /v3/directline/conversations/:id/activities`. */
export const PostedActivity = z.object({
  type: z.enum(['message', 'typing', 'event']),
  text: z.string().max(MAX_TEXT).optional(),
  locale: z.string().max(35).optional(),
  from: z.object({ id: z.string().max(64).optional(), name: z.string().max(100).optional() }).optional(),
  attachments: z.array(AttachmentIn).max(5).optional(),
  channelData: z
    .object({
      // Web Chat matches the echo of its message by this id; without it the message shows "send failed"
      clientActivityID: z.string().max(100).optional(),
      // our page's id of what the citizen wrote, kept when Web Chat's Retry posts it again (with a new clientActivityID)
      messageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'messageId: 8–64 letters, digits, _ or -').optional(),
      location: SharedLocation.optional(),
    })
    .optional(),
  /** an event's name (an event's value is not kept) */
  name: z.string().max(100).optional(),
});
export type PostedActivity = z.infer<typeof PostedActivity>;

/** What `POST /api/messages` takes: a posted activity as Direct Line completes it. */
export const BotActivity = PostedActivity.extend({
  id: z.string().min(1).max(200),
  timestamp: z.string().datetime({ offset: true }),
  channelId: z.literal('webchat'),
  conversation: z.object({ id: z.string().min(1).max(64) }),
  from: z.object({ id: z.string().min(1).max(64), name: z.string().max(100).optional(), role: z.literal('user') }),
  recipient: z.object({ id: z.string().min(1).max(64), role: z.literal('bot') }),
}).refine((a) => a.id.startsWith(`${a.conversation.id}|`), {
  // the archive's dedupe key is the id: one conversation's ids can never collide with another's
  message: 'must begin with the conversation id and "|"',
  path: ['id'],
});
export type BotActivity = z.infer<typeof BotActivity>;

/** Where the bot says its replies come from, in every activity we log. */
export const BOT_ACCOUNT = { id: 'pmc', name: 'पुणे महानगरपालिका', role: 'bot' } as const;

/** Direct Line completes what the browser posted: an id, the time, the conversation and the user of the token. */
export function completeActivity(
  posted: PostedActivity,
  at: { id: string; conversationId: string; userId: string; now: Date },
): BotActivity {
  return {
    ...posted,
    id: at.id,
    timestamp: at.now.toISOString(),
    channelId: 'webchat',
    conversation: { id: at.conversationId },
    // the token says who the user is, whatever the browser put in from.id
    from: { id: at.userId, ...(posted.from?.name ? { name: posted.from.name } : {}), role: 'user' },
    recipient: { id: BOT_ACCOUNT.id, role: 'bot' },
    // what the citizen typed is shown as they typed it: never as markdown or HTML (only the bot's messages are)
    ...(posted.type === 'message' ? { textFormat: 'plain' } : {}),
  };
}

/** the archive's key of a message our page named: kept across Web Chat's Retry, which posts it with a new id */
export const namedMessageKey = (conversationId: string, messageId: string): string => `${conversationId}/${messageId}`;

/**
 * A message activity of a bot turn as the one envelope of the bridge. `raw` is the activity as it was posted.
 * `isOurs` says whether a photo's signed reference was signed by this bridge for this conversation.
 */
export function toInboundMessage(
  turn: WebChatTurnActivity,
  raw: BotActivity,
  accountId: string,
  now: Date,
  isOurs: (ref: string, sig: string) => boolean,
): InboundMessage {
  const location = raw.channelData?.location;
  return {
    channel: 'webchat',
    accountId,
    // a retried message is the same message: one archive entry, one ticket (the id is the conversation's own)
    externalId: raw.channelData?.messageId ? namedMessageKey(turn.conversation.id, raw.channelData.messageId) : raw.id,
    threadKey: turn.conversation.id,
    sender: { id: turn.from.id, ...(turn.from.name ? { name: turn.from.name } : {}) },
    receivedAt: now.toISOString(),
    text: location && turn.text?.trim() === LOCATION_LABEL ? '' : (turn.text ?? ''),
    attachments: (raw.attachments ?? []).flatMap((a) => toAttachment(a, isOurs)),
    ...(location ? { location: { lat: location.lat, lon: location.lon } } : {}),
    raw,
  };
}

function toAttachment(a: z.infer<typeof AttachmentIn>, isOurs: (ref: string, sig: string) => boolean): Attachment[] {
  const type = a.contentType.toLowerCase();
  const kind = type.startsWith('image/') ? 'image' : type.startsWith('audio/') ? 'audio' : type.startsWith('video/') ? 'video' : 'file';
  // only what the bridge took in itself; a reference a client made up is dropped, and a blob: or data: URL means
  // something only inside the citizen's browser
  if (!a.content || !isOurs(a.content.ref, a.content.sig)) return [];
  return [{ kind, mime: a.contentType, size: a.content.size, storedRef: a.content.ref, ...(a.name ? { name: a.name } : {}) }];
}
