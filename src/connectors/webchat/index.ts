import { LOCALES } from '../../bots/format-date.ts';
import { PermanentSendError, type Connector } from '../connector.ts';
import { BOT_ACCOUNT } from './activity.ts';
import { mountBotEndpoint } from './bot-endpoint.ts';
import type { WebChatConnectorOptions } from './config.ts';
import { ConversationLog } from './conversation-log.ts';
import { mountDirectLine } from './direct-line.ts';
import { mountChatPage } from './page.ts';
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

  return {
    channel: 'webchat',
    accountIds: [opts.accountId],
    limits: { maxChars: 2000 },
    routes: (server, ctx) => {
      mountChatPage(server, { tokens, sessions, webChatBundle: opts.webChatBundle });
      mountDirectLine(server, { tokens, log, now });
      mountBotEndpoint(server, ctx, { tokens, log, messages, accountId: opts.accountId, now });
    },
    send: async (message) => {
      const conversation = log.get(message.threadKey);
      if (!conversation)
        throw new PermanentSendError(
          'web chat conversation is no longer open (its page was closed for longer than a token lifetime, or the bridge restarted): the citizen can no longer be reached on this chat',
          'conversation-gone',
        );
      const id = conversation.nextId();
      conversation.append({
        type: 'message',
        id,
        timestamp: now().toISOString(),
        channelId: 'webchat',
        conversation: { id: conversation.id },
        from: BOT_ACCOUNT,
        recipient: { id: conversation.userId, role: 'user' },
        text: message.text,
        textFormat: 'plain',
        locale: LOCALES[message.language],
        ...(message.inReplyTo ? { replyToId: message.inReplyTo } : {}),
      });
      return { providerId: id };
    },
  };
}
