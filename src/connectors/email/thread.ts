import { createHash } from 'node:crypto';
import type { InboundMessage } from '../../model/index.ts';
import { findTicketNumbers } from '../../normalizer/ticket-number.ts';
import { senderVerdict } from './verify.ts';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The Message-ID of a reply we send: the ticket number first, so a citizen's answer to it (In-Reply-To, References)
 * names the ticket even when their client keeps no other trace of the thread; `n.` marks a notice that needs no
 * answer ("your message was added"), so an auto-responder answering it cannot start a loop. The same outbox entry
 * always gets the same id: a resend after an unknown outcome is the same message to the mail systems that collapse
 * duplicates.
 */
export function ourMessageId(o: { ticketNo?: string | undefined; outboxId: number; key: string; domain: string; notice?: boolean }): string {
  const tag = createHash('sha256').update(o.key).digest('hex').slice(0, 12);
  return `${o.ticketNo ?? 'reply'}.${o.outboxId}.${o.notice ? 'n.' : ''}${tag}@${o.domain}`;
}

const ourIdPattern = (prefix: string) => new RegExp(`^(${escape(prefix)}\\d+|reply)\\.\\d+\\.(n\\.)?[0-9a-f]{12}@(.+)$`, 'i');

/** the mail answers a notice of ours that needs no answer: it joins its ticket, and is not answered again */
export function answersOurNotice(msg: InboundMessage, o: { prefix: string; ourDomains: readonly string[] }): boolean {
  // the mail it answers: In-Reply-To, or the last of References for clients that keep only those
  const parent = msg.inReplyTo ?? (msg.raw as { references?: string[] } | undefined)?.references?.at(-1);
  const m = parent ? ourIdPattern(o.prefix).exec(parent) : null;
  return m !== null && m[2] !== undefined && o.ourDomains.includes(m[3]!.toLowerCase());
}

/** the domain of a mailbox address, for the Message-IDs of its replies */
export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);

/**
 * The ticket a mail says it belongs to: one of our replies it answers (In-Reply-To, References), else a number in
 * its subject ("Re: [PMC10001] …", "PMC10001 still not fixed"). Mail whose sender may be forged names none.
 */
export function ticketRefOf(msg: InboundMessage, o: { prefix: string; ourDomains: readonly string[] }): string | undefined {
  if (senderVerdict(msg.headers) === 'fail') return undefined;
  const raw = msg.raw as { references?: string[] } | undefined;
  const ours = ourIdPattern(o.prefix);
  for (const id of [msg.inReplyTo, ...(raw?.references ?? [])].reverse()) {
    const m = id ? ours.exec(id) : null;
    if (m && m[1]!.toLowerCase() !== 'reply' && o.ourDomains.includes(m[3]!.toLowerCase())) return m[1]!.toUpperCase();
  }
  // one number only: a subject naming two tickets says which to join no more than one naming none
  const named = msg.subject ? findTicketNumbers(msg.subject, o.prefix) : [];
  const distinct = new Set(named.map((n) => n.ticketNo));
  return distinct.size === 1 ? [...distinct][0] : undefined;
}
