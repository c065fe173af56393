import { LOCALES } from '../../model/index.ts';
import { ReachElsewhereError, type SendResult } from '../connector.ts';
import type { OutboundMessage } from '../../model/index.ts';
import type { ConversationLog } from './conversation-log.ts';
import { BOT_ACCOUNT } from './parse.ts';

/**
 * A reply goes into its conversation's log (in the store), where the citizen's Web Chat reads it at its next poll,
 * or when they open the page again. Once per outbox entry, however often the outbox tries. A conversation no longer
 * kept (its citizen gone for longer than channels.webchat.keepDays) cannot be reached there: a status update or a
 * rating question goes by SMS or email instead, when the citizen gave a number or an address.
 */
const BRIDGE_STARTED: ReadonlySet<OutboundMessage['kind']> = new Set(['status', 'feedback_request', 'campaign', 'staff']);

export function createWebChatSender(log: ConversationLog, now: () => Date): (message: OutboundMessage, outboxId: number) => Promise<SendResult> {
  return async (message, outboxId) => {
    const conversation = await log.get(message.threadKey);
    if (!conversation)
      throw new ReachElsewhereError('web chat conversation is no longer kept (its citizen has not opened the chat for longer than channels.webchat.keepDays): they can no longer be reached on this chat', 'conversation-gone');
    // answers to tap (the rating scale, "no" to the photo question), as Web Chat's suggested actions
    const offered = message.choices ?? [];
    const replyToId = message.inReplyTo ? await log.activityIdOf(message.accountId, message.inReplyTo) : undefined;
    const id = await log.reply(conversation.id, outboxId, (activityId) => ({
      type: 'message',
      id: activityId,
      timestamp: now().toISOString(),
      channelId: 'webchat',
      conversation: { id: conversation.id },
      from: BOT_ACCOUNT,
      recipient: { id: conversation.userId, role: 'user' },
      text: message.text,
      // the bot's own words may carry links (a tel: link for the helpline)
      textFormat: 'markdown',
      locale: LOCALES[message.language],
      ...(replyToId ? { replyToId } : {}),
      ...(offered.length > 0
        ? { suggestedActions: { to: [conversation.userId], actions: offered.map((c) => ({ type: 'imBack', title: c, value: c })) } }
        : {}),
    }));
    // a reply keeps the chat for its citizen; news the bridge sends on its own does not keep an abandoned chat alive
    if (!BRIDGE_STARTED.has(message.kind)) await log.touch(conversation);
    return { providerId: id };
  };
}
