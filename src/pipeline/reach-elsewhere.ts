import type { Connector } from '../connectors/connector.ts';
import type { OutboundMessage, OutboxEntry } from '../model/index.ts';
import { extractPhones } from '../normalizer/phone.ts';
import { shapeReply } from '../render/shape-text.ts';
import type { Store } from '../store/store.ts';

export type Elsewhere = { kind: 'sent-by'; channel: string; outboxIds: number[] } | { kind: 'unreachable'; why: string };

// "my number 98…", "माझा नंबर …", "मेरा मो. नं. …", "maza contact no …": the citizen introduces their own number; the
// words must stand alone (not "arMY NO.", "my nose") and the number must follow them closely
const OWN_NUMBER =
  /(?<![\p{L}\p{M}])(?:my|माझा|माझे|माझी|मेरा|मेरे|मेरी|mera|mere|maza|majha|maja|mazha)\s+(?:[\p{L}\p{M}]+\.?\s+)?(?:mobile|mob|phone|contact|number|no|नंबर|नं|क्रमांक|मोबाईल|मोबाइल|मो|फोन|फ़ोन|संपर्क)(?![\p{L}\p{M}])\.?/giu;
// how far after those words the number may start ("my number is +91 98…", "माझा नंबर आहे : 98…")
const NEAR = 24;
const INDIAN_MOBILE = /^\+91[6-9]\d{9}$/;

/**
 * The number a citizen gave for themselves in their complaint ("…, my number 98123 99012"): one mobile number right
 * after words that say it is theirs. It is read for this reply only and never becomes the contact's number: a
 * number typed in a message proves nothing, and a contact's number is what finds a citizen (a number that is
 * someone else's would join two people's records).
 */
export function numberGivenIn(text: string): string | undefined {
  const found = new Set<string>();
  for (const m of text.matchAll(OWN_NUMBER)) {
    const end = m.index + m[0].length;
    const after = text.slice(end, end + NEAR + 16);
    const first = /[+0-9०-९]/u.exec(after);
    if (!first || first.index > NEAR) continue;
    const mobile = extractPhones(after.slice(first.index, first.index + 18)).find((p) => INDIAN_MOBILE.test(p));
    if (mobile) found.add(mobile);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/**
 * A reply its channel cannot carry (Messenger's window closed with no message tag; a channel with no way back, as an
 * agent-filed call or a Lokshahi application): the same words by SMS to the citizen's own number (an SMS contact's,
 * or the number they gave in the complaint), and by email when the citizen gave an address and email is on; each
 * queued as its own outbox entry (once: its key is the original's). Otherwise the reply is unreachable, and says
 * why, for the dead letters.
 */
export async function reachElsewhere(entry: OutboxEntry, reason: string, deps: { store: Store; connectors: ReadonlyMap<string, Connector>; now: () => Date }): Promise<Elsewhere> {
  const msg = entry.message;
  const contact = await deps.store.findContactByIdentity(msg.channel, msg.to);
  const ticket = msg.ticketNo ? await deps.store.getTicket(msg.ticketNo) : undefined;
  // the number and address the message itself gave (a Lokshahi form, an agent's call) are where the citizen asked
  // to be told; they are not the contact's, so they serve this reply only
  const answered = msg.inReplyTo ? await deps.store.getInboundBySource({ channel: msg.channel, accountId: msg.accountId, externalId: msg.inReplyTo }) : undefined;
  const given = answered?.message.sender;
  const phone = given?.phone ?? contact?.phone ?? (ticket && ticket.citizen.contactId === contact?.id ? numberGivenIn(ticket.description.original) : undefined);
  const email = msg.channel === 'email' ? undefined : (given?.email ?? contact?.email);
  const sms = deps.connectors.get('sms');
  const mail = deps.connectors.get('email');
  const copies: OutboundMessage[] = [];
  const same = { language: msg.language, kind: msg.kind, ...(msg.ticketNo ? { ticketNo: msg.ticketNo } : {}) };
  if (phone && sms?.accountIds[0])
    // shaped again for SMS (segments), the ticket number kept
    copies.push({ channel: 'sms', accountId: sms.accountIds[0], threadKey: phone, to: phone, text: shapeReply(msg.text, sms.limits, msg.ticketNo), ...same, idempotencyKey: `elsewhere:sms:${msg.idempotencyKey}` });
  if (email && mail?.accountIds[0])
    copies.push({ channel: 'email', accountId: mail.accountIds[0], threadKey: `to:${email}`, to: email, text: msg.text, ...same, idempotencyKey: `elsewhere:email:${msg.idempotencyKey}` });
  if (copies.length === 0) {
    if (!phone && !email) return { kind: 'unreachable', why: `${reason}; unreachable: the citizen gave no phone number or email address to write to instead` };
    return { kind: 'unreachable', why: `${reason}; unreachable: the citizen has ${phone ? 'a phone number, but SMS' : 'an email address, but email'} is off` };
  }
  const queued = await deps.store.enqueueOutbound(copies, deps.now());
  return { kind: 'sent-by', channel: copies.map((c) => c.channel).join('+'), outboxIds: queued.map((q) => q.id) };
}
