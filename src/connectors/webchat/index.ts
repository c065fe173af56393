import type { Connector } from '../connector.ts';
import { mountBotEndpoint } from './bot-endpoint.ts';
import type { WebChatConnectorOptions } from './config.ts';
import { ConversationLog } from './conversation-log.ts';
import { mountDirectLine } from './direct-line.ts';
import { mountChatPage } from './page.ts';
import { createWebChatSender } from './send.ts';
import { SessionTokens } from './session-token.ts';
import { WindowLimiter } from './window-limiter.ts';

export type { WebChatConnectorOptions } from './config.ts';
export { webChatOptionsFromConfig } from './config.ts';

// client addresses and conversations whose rate windows are remembered at once
const MOST_RATE_KEYS = 10_000;

/**
 * Bot Framework Web Chat at /chat. The bridge is its own Direct Line (the polling subset DirectLineJS uses) and
 * its own bot endpoint (/api/messages, through botbuilder's CloudAdapter). Conversations live in this process's
 * memory (see ConversationLog), so a reply for a conversation the process no longer holds fails permanently.
 */
export function createWebChatConnector(opts: WebChatConnectorOptions, deps: { now?: () => Date } = {}): Connector {
  const now = deps.now ?? (() => new Date());
  const nowMs = () => now().getTime();
  const tokens = new SessionTokens(opts.tokenSecret, opts.tokenLifetimeSeconds, nowMs);
  const log = new ConversationLog({ maxConversations: opts.maxConversations, maxActivitiesPerConversation: opts.maxActivitiesPerConversation, now: nowMs });
  const sessions = new WindowLimiter(opts.sessionsPerMinute, 60_000, MOST_RATE_KEYS, nowMs);
  const messages = new WindowLimiter(opts.messagesPerMinute, 60_000, MOST_RATE_KEYS, nowMs);
  const send = createWebChatSender(log, now);

  return {
    channel: 'webchat',
    accountIds: [opts.accountId],
    // the page has no upload button or location share yet
    limits: { maxChars: 2000, buttons: { most: 10, longest: 40 }, carries: { photos: false, location: false } },
    routes: (server, ctx) => {
      mountChatPage(server, { tokens, sessions, webChatBundle: opts.webChatBundle });
      mountDirectLine(server, { tokens, log, now });
      mountBotEndpoint(server, ctx, { tokens, log, messages, accountId: opts.accountId, now });
    },
    send: (message, o) => send(message, o.outboxId),
    resend: { kind: 'idempotent', how: 'the conversation log is ours and keeps one reply per outbox entry' },
    canReach: (threadKey) => log.get(threadKey) !== undefined,
  };
}
