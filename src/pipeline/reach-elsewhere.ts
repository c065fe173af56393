import type { Connector } from '../connectors/connector.ts';
import type { OutboundMessage, OutboxEntry } from '../model/index.ts';
import { shapeReply } from '../render/shape-text.ts';
import type { Store } from '../store/store.ts';

export type Elsewhere = { kind: 'sent-by'; channel: string; outboxId: number } | { kind: 'unreachable'; why: string };

/**
 * A reply its channel can no longer carry (Messenger's window closed, no message tag): the same words by SMS when
 * the citizen gave us a number, queued as its own outbox entry (once: its key is the original's); otherwise the
 * reply is unreachable, and says why, for the dead letters.
 */
export async function reachElsewhere(entry: OutboxEntry, reason: string, deps: { store: Store; connectors: ReadonlyMap<string, Connector>; now: () => Date }): Promise<Elsewhere> {
  const msg = entry.message;
  const contact = await deps.store.findContactByIdentity(msg.channel, msg.to);
  const sms = deps.connectors.get('sms');
  const from = sms?.accountIds[0];
  if (!contact?.phone) return { kind: 'unreachable', why: `${reason}; unreachable: the citizen gave no phone number for an SMS instead` };
  if (!sms || !from) return { kind: 'unreachable', why: `${reason}; unreachable: the citizen has a phone number, but SMS is off` };
  const copy: OutboundMessage = {
    channel: 'sms',
    accountId: from,
    threadKey: contact.phone,
    to: contact.phone,
    // shaped again for SMS (segments), the ticket number kept
    text: shapeReply(msg.text, sms.limits, msg.ticketNo),
    language: msg.language,
    kind: msg.kind,
    ...(msg.ticketNo ? { ticketNo: msg.ticketNo } : {}),
    idempotencyKey: `elsewhere:sms:${msg.idempotencyKey}`,
  };
  const [queued] = await deps.store.enqueueOutbound([copy], deps.now());
  return { kind: 'sent-by', channel: 'sms', outboxId: queued!.id };
}
