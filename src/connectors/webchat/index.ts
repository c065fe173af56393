import type { AttachmentStore } from '../../attachments/attachment-store.ts';
import type { Store } from '../../store/store.ts';
import type { Connector } from '../connector.ts';
import { mountBotEndpoint } from './bot-endpoint.ts';
import type { WebChatConnectorOptions } from './config.ts';
import { ConversationLog } from './conversation-log.ts';
import { mountDirectLine } from './direct-line.ts';
import { FileLinks } from './file-links.ts';
import { MAX_TEXT } from './parse.ts';
import { mountChatPage } from './page.ts';
import { createWebChatSender } from './send.ts';
import { SessionTokens } from './session-token.ts';
import { mountUpload } from './upload.ts';
import { WindowLimiter } from '../../http/window-limiter.ts';

export type { WebChatConnectorOptions } from './config.ts';
export { webChatOptionsFromConfig } from './config.ts';

// client addresses and conversations whose rate windows are remembered at once
const MOST_RATE_KEYS = 10_000;
// how long a link to a photo in the citizen's own chat stays valid
const PHOTO_LINK_SECONDS = 7 * 86_400;

export interface WebChatDeps {
  store: Store;
  attachments: AttachmentStore;
  /** the bot's greeting when a chat opens, and the languages offered with it */
  greeting: { text: string; choices: string[] };
  now?: () => Date;
}

/**
 * Bot Framework Web Chat at /chat. The bridge is its own Direct Line (the polling subset DirectLineJS uses) and
 * its own bot endpoint (/api/messages, through botbuilder's CloudAdapter). Conversations, their transcripts and the
 * photos sent are kept in the store, so any process of the bridge serves any conversation, after a restart too.
 */
export function createWebChatConnector(opts: WebChatConnectorOptions, deps: WebChatDeps): Connector {
  const now = deps.now ?? (() => new Date());
  const nowMs = () => now().getTime();
  const tokens = new SessionTokens(opts.tokenSecret, opts.tokenLifetimeSeconds, nowMs);
  const links = new FileLinks(opts.tokenSecret, PHOTO_LINK_SECONDS, nowMs);
  const log = new ConversationLog({ store: deps.store, keepMs: opts.keepDays * 86_400_000, maxConversations: opts.maxConversations, readLimit: opts.maxActivitiesPerConversation, now });
  const sessions = new WindowLimiter(opts.sessionsPerMinute, 60_000, MOST_RATE_KEYS, nowMs);
  const messages = new WindowLimiter(opts.messagesPerMinute, 60_000, MOST_RATE_KEYS, nowMs);
  const send = createWebChatSender(log, now);

  return {
    channel: 'webchat',
    accountIds: [opts.accountId],
    // bot replies may carry markdown (a tel: link); photos from the page's upload, the location from its button
    limits: { maxChars: MAX_TEXT, buttons: { most: 10, longest: 40 }, carries: { photos: true, location: true }, markdown: true },
    routes: async (server, ctx) => {
      mountChatPage(server, { tokens, log, sessions, webChatBundle: opts.webChatBundle, citizenDays: opts.citizenDays, maxText: MAX_TEXT, maxPhotoBytes: opts.maxPhotoBytes });
      mountDirectLine(server, { tokens, log, accountId: opts.accountId, now, greeting: deps.greeting });
      await mountUpload(server, { tokens, log, accountId: opts.accountId, attachments: deps.attachments, links, now, maxPhotoBytes: opts.maxPhotoBytes });
      links.mount(server, deps.attachments);
      mountBotEndpoint(server, ctx, { tokens, log, links, messages, accountId: opts.accountId, now });
    },
    send: (message, o) => send(message, o.outboxId),
    resend: { kind: 'idempotent', how: 'the conversation log in the store keeps one reply per outbox entry' },
    canReach: async (threadKey) => (await log.get(threadKey)) !== undefined,
  };
}
