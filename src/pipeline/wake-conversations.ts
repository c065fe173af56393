import type { Conversations } from '../bots/conversations.ts';
import type { Messages } from '../bots/messages.ts';
import type { Connector } from '../connectors/connector.ts';
import type { Logger } from '../http/logger.ts';
import type { Normalize } from '../normalizer/index.ts';
import { routeForMessage, type Routing } from '../router/routing-table.ts';
import { EtagConflictError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';
import { toOutbox } from './converse.ts';

export interface WakeDeps {
  store: Store;
  conversations: Conversations;
  connectors: ReadonlyMap<string, Connector>;
  routing: Routing;
  normalize: Normalize;
  ticketPrefix: string;
  messages: Messages;
  logger: Logger;
  now: () => Date;
}

const PER_SWEEP = 200;

/**
 * Runs the bot's own turn on every conversation whose wake-up time has come (a citizen promised a photo and sent
 * none: the complaint is filed without it). The turn's state, replies and the cleared wake-up are one
 * Store.completeTurn, so a crash neither loses the complaint nor files it twice; a citizen who wrote meanwhile
 * (an eTag conflict) has moved the conversation on, and it is looked at again next sweep.
 */
export async function wakeConversations(deps: WakeDeps): Promise<{ outboxIds: number[]; woken: number }> {
  const out = { outboxIds: [] as number[], woken: 0 };
  for (const due of await deps.store.listDueWakeups(deps.now(), PER_SWEEP)) {
    const message = (await deps.store.getInbound(due.inboundId))?.message;
    const contact = message && (await deps.store.upsertContact({ channel: message.channel, channelUserId: message.sender.id }));
    const now = deps.now();
    if (!message || !contact) {
      await deps.store.completeTurn({ state: [], replies: [], wake: { conversation: due.conversation, at: null }, now });
      continue;
    }
    const mapping = deps.routing.mappingFor(message.channel, message.accountId);
    const carries = deps.connectors.get(message.channel)?.limits.carries;
    const input = { message, normalized: deps.normalize(message), contact, mapping, route: routeForMessage(deps.routing, mapping, message), ...(carries ? { carries } : {}) };
    const turn = await deps.conversations.wake(input);
    const replies = toOutbox(message, turn.replies, turn.language, (i) => `wake:${due.conversation}:${due.at}:${i}`, deps);
    try {
      const { outboxIds } = await deps.store.completeTurn({ state: turn.state, replies, wake: { conversation: due.conversation, at: turn.wakeAt ?? null }, now });
      out.outboxIds.push(...outboxIds);
      out.woken++;
    } catch (err) {
      if (!(err instanceof EtagConflictError)) throw err;
      deps.logger.info({ conversation: due.conversation }, 'a woken conversation moved on meanwhile; looked at again next sweep');
    }
  }
  return out;
}
