import type { OutboundMessage } from '../../model/index.ts';
import type { SendResult } from '../connector.ts';
import { graphFailure } from './graph.ts';
import type { PageSender } from './send.ts';

type Listed = { id?: unknown; message?: unknown; created_time?: unknown; from?: { id?: unknown } };

/**
 * Whether Meta already has a reply whose send went unanswered: the page's recent messages in the citizen's
 * conversation, or its replies under the comment, with the same text since the unsure attempt. A private reply
 * needs no look-up: Meta refuses a second one to the same comment (10900), which the sender takes as sent.
 */
export async function findSentOnFacebook(sender: PageSender, msg: OutboundMessage, since: Date): Promise<SendResult | undefined> {
  if (msg.privateReplyTo) return undefined;
  const pageId = sender.page.id;
  const same = (m: Listed): boolean =>
    m.message === msg.text && m.from?.id === pageId && typeof m.created_time === 'string' && Date.parse(m.created_time) >= since.getTime() - 60_000;
  try {
    if (msg.public) {
      if (!msg.inReplyTo) return undefined;
      const listed = await sender.api.call<{ data?: Listed[] }>('GET', [msg.inReplyTo, 'comments'], { fields: 'id,message,from,created_time', limit: 50, order: 'reverse_chronological' });
      const found = (listed.data ?? []).find(same);
      return found && typeof found.id === 'string' ? { providerId: found.id } : undefined;
    }
    const listed = await sender.api.call<{ data?: { messages?: { data?: Listed[] } }[] }>('GET', [pageId, 'conversations'], {
      platform: 'messenger',
      user_id: msg.to,
      fields: 'messages.limit(20){id,message,created_time,from}',
    });
    for (const conversation of listed.data ?? []) {
      const found = (conversation.messages?.data ?? []).find(same);
      if (found && typeof found.id === 'string') return { providerId: found.id };
    }
    return undefined;
  } catch (err) {
    // the look-up failing must not count as "not sent": the outbox tries the look-up again later (the sender says why)
    throw new LookupFailed(err);
  }
}

/** A look-up Graph did not answer, carrying its error for the sender to judge (a refused token holds the page). */
export class LookupFailed extends Error {
  override readonly name = 'LookupFailed';
  constructor(override readonly cause: unknown) {
    const f = graphFailure(cause);
    super(`could not look up the earlier send at Graph (${f.status ?? 'no answer'}${f.code ? ` #${f.code}` : ''}): ${f.message}`);
  }
}
