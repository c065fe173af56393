import type { BotReply, Conversations } from '../bots/conversations.ts';
import type { Messages } from '../bots/messages.ts';
import { renderReply } from '../render/render-reply.ts';
import type { Connector } from '../connectors/connector.ts';
import type { InboundMessage, Language, OutboundMessage } from '../model/index.ts';
import { extractTicketNumbers } from '../normalizer/ticket-number.ts';
import type { ArchivedInbound, CompletedTurn, Store } from '../store/store.ts';
import { replyTo, sightingOf, type ConversationalInbound } from './process-inbound.ts';
import { offHoursKey, offHoursText } from '../router/office-hours.ts';
import type { WorkingCalendar } from '../router/working-calendar.ts';

export interface ConverseDeps {
  store: Store;
  conversations: Conversations;
  connectors: ReadonlyMap<string, Connector>;
  ticketPrefix: string;
  messages: Messages;
  /** the city's working calendar: an office closed on a holiday says so */
  calendar?: () => WorkingCalendar | undefined;
  now: () => Date;
}

/**
 * A conversational message through the bot: find the citizen, run the turn, and shape what it said into outbox
 * entries, idempotent on (message, position), with the ticket number kept when a reply must be shortened. The
 * result is one Store.completeTurn; if the conversation moved on meanwhile that throws, and the job is retried.
 */
export async function converse(archived: ArchivedInbound, prepared: ConversationalInbound, deps: ConverseDeps): Promise<CompletedTurn> {
  const msg = archived.message;
  const { normalized, mapping, route } = prepared.converse;
  const contact = await deps.store.upsertContact(sightingOf(msg));
  const carries = deps.connectors.get(msg.channel)?.limits.carries;
  const turn = await deps.conversations.turn({ message: msg, normalized, contact, mapping, route, ...(carries ? { carries } : {}) });
  const key = (i: number) => `reply:${msg.channel}:${msg.accountId}:${msg.externalId}:${i}`;
  // written while the office is closed: said once a day in a conversation, after the bot's own answer
  const closed = offHoursText(mapping, new Date(msg.receivedAt), turn.language, deps.calendar?.());
  const day = offHoursKey(msg);
  return {
    inboundId: archived.id,
    state: turn.state,
    replies: [...toOutbox(msg, turn.replies, turn.language, key, deps), ...(closed ? toOutbox(msg, [{ text: closed }], turn.language, () => day, deps, 'info') : [])],
    ...(turn.wakeAt !== undefined ? { wake: { conversation: conversationOf(msg), inboundId: archived.id, at: turn.wakeAt } } : {}),
    now: deps.now(),
  };
}

/** one citizen's conversation on one channel: its turns run in order, and it is what a wake-up is kept for */
export function conversationOf(message: Pick<InboundMessage, 'channel' | 'threadKey'>): string {
  return `${message.channel}:${message.threadKey}`;
}

/**
 * What the bot said, as outbox entries on the conversation of `msg`: shaped to the channel, the ticket number kept
 * when a reply must be shortened, each idempotent on its key.
 */
export function toOutbox(
  msg: InboundMessage,
  replies: readonly BotReply[],
  language: Language,
  key: (i: number) => string,
  deps: Pick<ConverseDeps, 'connectors' | 'ticketPrefix' | 'messages'>,
  kind?: OutboundMessage['kind'],
): OutboundMessage[] {
  const limits = deps.connectors.get(msg.channel)?.limits ?? {};
  return replies.map((reply, i) => {
    const ticketNo = extractTicketNumbers(reply.text, deps.ticketPrefix)[0];
    const rendered = renderReply(reply, { channel: msg.channel, limits, language, messages: deps.messages, ticketNo, subject: msg.subject, public: msg.public });
    return replyTo(msg, {
      ...rendered,
      kind: kind ?? reply.kind ?? 'reply',
      language,
      key: key(i),
      ticketNo,
    });
  });
}
