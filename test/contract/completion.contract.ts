import { describe, expect, it } from 'vitest';
import type { Contact, OutboundMessage, Ticket } from '../../src/model/index.ts';
import type { InboundCompletion } from '../../src/store/store.ts';
import type { ContractContext } from './store.contract.ts';
import { draft, inbound, outbound, TEXTS } from './store-fixtures.ts';

/** A completion as the pipeline makes it: the ticket and the reply depend on the citizen and the ticket number. */
function completion(inboundId: number, externalId: string, phone: string, text: string, withTicket = true): InboundCompletion {
  return {
    inboundId,
    now: new Date('2025-01-15T10:21:00.000Z'),
    sighting: { channel: 'sms', channelUserId: phone, phone },
    decide: (contact: Contact) => ({
      ...(withTicket
        ? { ticket: draft(contact, { source: { channel: 'sms', accountId: '+912025501000', externalId }, description: { original: text, normalized: text } }) }
        : {}),
      replies: (ticket: Ticket | undefined): OutboundMessage[] => [
        outbound({ to: phone, text: ticket ? `आपली तक्रार क्रमांक ${ticket.ticketNo}` : 'आपली तक्रार लिहून पाठवा', ticketNo: ticket?.ticketNo, idempotencyKey: `ack:${externalId}` }),
      ],
    }),
  };
}

export function completionContract(ctx: ContractContext): void {
  describe('completing an inbound message', () => {
    it('finds the citizen, files the ticket, queues the reply with its number and marks the message done', async () => {
      const store = ctx.store();
      const m = inbound({ text: TEXTS.mr });
      const [a] = await store.archiveInbound([m]);
      const [done] = await store.completeInbound([completion(a!.id, m.externalId, '+919800000101', TEXTS.mr)]);

      expect(done!.contact.phone).toBe('+919800000101');
      expect(done!.ticket?.description.original).toBe(TEXTS.mr);
      expect(done!.ticket?.citizen.contactId).toBe(done!.contact.id);
      expect(done!.outboxIds).toHaveLength(1);
      const entry = await store.getOutbox(done!.outboxIds[0]!);
      expect(entry?.message.text).toContain(done!.ticket!.ticketNo);
      expect((await store.getInbound(a!.id))?.state).toBe('done');
      expect(await store.getTicket(done!.ticket!.ticketNo)).toEqual(done!.ticket);
    });

    it('changes nothing when run again for the same message (a repeat after a crash)', async () => {
      const store = ctx.store();
      const m = inbound({ text: TEXTS.hi });
      const [a] = await store.archiveInbound([m]);
      const first = await store.completeInbound([completion(a!.id, m.externalId, '+919800000102', TEXTS.hi)]);
      const again = await store.completeInbound([completion(a!.id, m.externalId, '+919800000102', TEXTS.hi)]);

      expect(again[0]!.ticket?.ticketNo).toBe(first[0]!.ticket?.ticketNo);
      expect(again[0]!.outboxIds).toEqual(first[0]!.outboxIds);
      expect(again[0]!.contact.id).toBe(first[0]!.contact.id);
      expect(await store.listTickets()).toHaveLength(1);
      expect(await store.listOutbox()).toHaveLength(1);
    });

    it('completes many messages in one call, each with its own ticket, and one without a ticket', async () => {
      const store = ctx.store();
      const ms = [inbound({ text: TEXTS.mr }), inbound({ text: TEXTS.hi }), inbound({ text: TEXTS.en }), inbound({ text: '' })];
      const archived = await store.archiveInbound(ms);
      const results = await store.completeInbound(
        ms.map((m, i) => completion(archived[i]!.id, m.externalId, `+91980000020${i}`, m.text, m.text !== '')),
      );
      const numbers = results.map((r) => r.ticket?.ticketNo);
      expect(numbers.filter(Boolean)).toHaveLength(3);
      expect(new Set(numbers.filter(Boolean)).size).toBe(3);
      expect(results[3]!.ticket).toBeUndefined();
      expect((await store.getOutbox(results[3]!.outboxIds[0]!))?.message.text).toBe('आपली तक्रार लिहून पाठवा');
      for (const a of archived) expect((await store.getInbound(a.id))?.state).toBe('done');
    });

    it('gives the decision the citizen already known, with their language choice', async () => {
      const store = ctx.store();
      const known = await store.upsertContact({ channel: 'facebook', channelUserId: 'psid-77', phone: '+919800000301' });
      const m = inbound({ text: TEXTS.en });
      const [a] = await store.archiveInbound([m]);
      let seen: Contact | undefined;
      const c = completion(a!.id, m.externalId, '+919800000301', TEXTS.en);
      const [done] = await store.completeInbound([{ ...c, decide: (contact) => ((seen = contact), c.decide(contact)) }]);
      expect(seen?.id).toBe(known.id);
      expect(done!.contact.identities).toEqual(expect.arrayContaining([{ channel: 'facebook', id: 'psid-77' }, { channel: 'sms', id: '+919800000301' }]));
    });
  });
}
