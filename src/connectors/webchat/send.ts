import { LOCALES } from '../../model/index.ts';
import { PermanentSendError, type SendResult } from '../connector.ts';
import type { OutboundMessage } from '../../model/index.ts';
import type { ConversationLog } from './conversation-log.ts';
import { BOT_ACCOUNT } from './parse.ts';

/**
 * A reply goes into its conversation's log, where the citizen's Web Chat reads it at its next poll. A conversation
 * this process no longer holds (closed for longer than a token lifetime, or opened before a restart) cannot be
 * reached again: that is permanent.
 */
export function createWebChatSender(log: ConversationLog, now: () => Date): (message: OutboundMessage, outboxId: number) => Promise<SendResult> {
  return async (message, outboxId) => {
    const conversation = log.get(message.threadKey);
    if (!conversation)
      throw new PermanentSendError(
        'web chat conversation is no longer open (its page was closed for longer than a token lifetime, or the bridge restarted): the citizen can no longer be reached on this chat',
        'conversation-gone',
      );
    // sent once per outbox entry, however often the outbox tries
    const already = conversation.sentFor(outboxId);
    if (already) return { providerId: already };
    const id = conversation.nextId();
    // answers to tap (the bot's rating scale, "no" to the photo question), as Web Chat's suggested actions
    const offered = message.choices ?? [];
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
      ...(offered.length > 0
        ? { suggestedActions: { to: [conversation.userId], actions: offered.map((c) => ({ type: 'imBack', title: c, value: c })) } }
        : {}),
    }, outboxId);
    return { providerId: id };
  };
}
