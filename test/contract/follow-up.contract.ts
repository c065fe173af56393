import { describe, expect, it } from 'vitest';
import type { Feedback } from '../../src/model/index.ts';
import { EtagConflictError, TicketNotFoundError } from '../../src/store/errors.ts';
import type { Store } from '../../src/store/store.ts';
import type { ContractContext } from './store.contract.ts';
import { draft, outbound, uid } from './store-fixtures.ts';

// What the bot needs after a ticket is filed: more messages on it, the citizen's rating, a call-back flag, the
// citizen's own tickets for a status query, and the language they chose.

const citizen = (store: Store, phone: string) => store.upsertContact({ channel: 'sms', channelUserId: phone, phone });
const rating = (n: Feedback['rating'], comment?: string): Feedback => ({
  rating: n,
  ...(comment ? { comment } : {}),
  at: '2026-11-27T10:00:00.000Z',
});

export function followUpContract(ctx: ContractContext): void {
  describe('after filing', () => {
    it('adds a further message to a ticket once, and never one that belongs to another ticket', async () => {
      const store = ctx.store();
      const c = await citizen(store, '+919876500001');
      const { ticket } = await store.createTicket(draft(c));
      const { ticket: other } = await store.createTicket(draft(c));
      const photo = { channel: 'sms' as const, accountId: '+912025501000', externalId: uid('SM-photo') };

      expect(await store.addTicketSource(ticket.ticketNo, photo)).toBe(true);
      expect(await store.addTicketSource(ticket.ticketNo, photo)).toBe(false);
      expect(await store.addTicketSource(other.ticketNo, photo)).toBe(false);
      expect(await store.addTicketSource(other.ticketNo, ticket.sources[0]!)).toBe(false);

      expect((await store.getTicket(ticket.ticketNo))?.sources).toEqual([ticket.sources[0], photo]);
      expect((await store.findTicketBySource(photo))?.ticketNo).toBe(ticket.ticketNo);
      expect((await store.getTicket(other.ticketNo))?.sources).toEqual(other.sources);
      await expect(store.addTicketSource('PMC1', photo)).rejects.toBeInstanceOf(TicketNotFoundError);
    });

    it('attaches a photo sent after filing once, with its message as a source, keeping the earlier attachments', async () => {
      const store = ctx.store();
      const c = await citizen(store, '+919876500002');
      const first = { kind: 'image' as const, mime: 'image/jpeg', url: 'https://api.twilio.com/media/ME1' };
      const { ticket } = await store.createTicket({ ...draft(c), attachments: [first] });
      const later = { channel: 'sms' as const, accountId: '+912025501000', externalId: uid('SM-later-photo') };
      const photo = { kind: 'image' as const, mime: 'image/png', url: 'https://api.twilio.com/media/ME2' };

      expect(await store.attachToTicket(ticket.ticketNo, later, [photo])).toBe(true);
      expect(await store.attachToTicket(ticket.ticketNo, later, [photo])).toBe(false);
      const after = await store.getTicket(ticket.ticketNo);
      expect(after?.attachments).toEqual([first, photo]);
      expect(after?.sources).toEqual([ticket.sources[0], later]);
      await expect(store.attachToTicket('PMC1', later, [photo])).rejects.toBeInstanceOf(TicketNotFoundError);
    });

    it('lists the resolved tickets whose citizen was neither asked for a rating nor gave one', async () => {
      const store = ctx.store();
      const c = await citizen(store, '+919876500009');
      const resolve = async () => {
        const { ticket } = await store.createTicket(draft(c));
        await store.updateTicketStatus(ticket.ticketNo, 'in_progress', 'staff:test');
        await store.updateTicketStatus(ticket.ticketNo, 'resolved', 'staff:test');
        return ticket.ticketNo;
      };
      const [asked, rated, waiting] = [await resolve(), await resolve(), await resolve()];
      await store.createTicket(draft(c)); // still open: not asked yet
      await store.markRatingRequested(asked, new Date('2026-11-27T09:00:00.000Z'));
      await store.recordFeedback(rated, rating(4));

      const due = await store.listTickets({ status: 'resolved', awaitingRating: true, order: 'asc' });
      expect(due.map((t) => t.ticketNo)).toEqual([waiting]);
      expect((await store.getTicket(asked))?.ratingRequestedAt).toBe('2026-11-27T09:00:00.000Z');
      await expect(store.markRatingRequested('PMC1', new Date())).rejects.toBeInstanceOf(TicketNotFoundError);
    });

    it('marks the ticket asked in the same step as a turn the bridge starts itself, and not when it conflicts', async () => {
      const store = ctx.store();
      const c = await citizen(store, '+919876500010');
      const { ticket } = await store.createTicket(draft(c));
      const key = 'sms/conversations/+919876500010';
      const now = new Date('2026-11-27T11:00:00.000Z');
      const ask = outbound({ text: `तक्रार क्र. ${ticket.ticketNo} सोडवली आहे. 1 ते 5 पैकी गुण द्या.`, kind: 'feedback_request', idempotencyKey: uid('rating') });

      const stale = await store.writeConversation(key, { step: 'intake' });
      await store.writeConversation(key, { step: 'intake', where: 'कोथरूड' }, stale);
      await expect(
        store.completeTurn({ state: [{ key, data: { step: 'rating' }, etag: stale }], replies: [ask], ratingRequested: ticket.ticketNo, now }),
      ).rejects.toBeInstanceOf(EtagConflictError);
      expect((await store.getTicket(ticket.ticketNo))?.ratingRequestedAt).toBeUndefined();
      expect(await store.listOutbox()).toEqual([]);

      const fresh = (await store.readConversations([key]))[0]!.etag;
      const { outboxIds } = await store.completeTurn({ state: [{ key, data: { step: 'rating' }, etag: fresh }], replies: [ask], ratingRequested: ticket.ticketNo, now });
      expect(outboxIds).toHaveLength(1);
      expect((await store.getTicket(ticket.ticketNo))?.ratingRequestedAt).toBe(now.toISOString());
      expect((await store.readConversations([key]))[0]?.data).toEqual({ step: 'rating' });
    });

    it('records a rating and gives the average of the other rated tickets before it', async () => {
      const store = ctx.store();
      const c = await citizen(store, '+919876500002');
      const [a, b, d] = await Promise.all([1, 2, 3].map(async () => (await store.createTicket(draft(c))).ticket));

      const first = await store.recordFeedback(a!.ticketNo, rating(5, 'खूप छान काम'));
      expect(first.averageBefore).toBeUndefined();
      expect(first.ticket.feedback).toEqual(rating(5, 'खूप छान काम'));
      expect((await store.recordFeedback(b!.ticketNo, rating(3))).averageBefore).toBe(5);

      const low = await store.recordFeedback(d!.ticketNo, rating(2));
      expect(low.averageBefore).toBe(4);
      // rating again replaces the first rating, and a ticket never counts in its own average
      const again = await store.recordFeedback(d!.ticketNo, rating(1));
      expect(again.averageBefore).toBe(4);
      expect((await store.getTicket(d!.ticketNo))?.feedback?.rating).toBe(1);
      await expect(store.recordFeedback('PMC1', rating(4))).rejects.toBeInstanceOf(TicketNotFoundError);
    });

    it('flags a ticket for a call back and clears the flag', async () => {
      const store = ctx.store();
      const { ticket } = await store.createTicket(draft(await citizen(store, '+919876500003')));
      expect(ticket.followUp).toBe(false);
      expect((await store.setFollowUp(ticket.ticketNo, true)).followUp).toBe(true);
      expect((await store.getTicket(ticket.ticketNo))?.followUp).toBe(true);
      expect((await store.listTickets())[0]?.followUp).toBe(true);
      expect((await store.setFollowUp(ticket.ticketNo, false)).followUp).toBe(false);
      await expect(store.setFollowUp('PMC1', true)).rejects.toBeInstanceOf(TicketNotFoundError);
    });

    it('lists one citizen’s tickets only, newest first, by status too', async () => {
      const store = ctx.store();
      const sunita = await citizen(store, '+919876500004');
      const ramesh = await citizen(store, '+919876500005');
      const s1 = (await store.createTicket(draft(sunita))).ticket;
      await store.createTicket(draft(ramesh));
      const s2 = (await store.createTicket(draft(sunita))).ticket;
      await store.updateTicketStatus(s1.ticketNo, 'in_progress', 'officer');

      expect((await store.listTickets({ contactId: sunita.id })).map((t) => t.ticketNo)).toEqual([s2.ticketNo, s1.ticketNo]);
      expect((await store.listTickets({ contactId: sunita.id, status: 'in_progress' })).map((t) => t.ticketNo)).toEqual([s1.ticketNo]);
      expect(await store.listTickets({ contactId: 'nobody' })).toEqual([]);
      expect(await store.listTickets({ contactId: sunita.id, limit: 1 })).toHaveLength(1);
    });

    it('keeps the language a citizen chose until they choose again', async () => {
      const store = ctx.store();
      const c = await citizen(store, '+919876500006');
      expect(c.preferredLanguage).toBeUndefined();
      await store.setPreferredLanguage(c.id, 'en');
      expect((await store.getContact(c.id))?.preferredLanguage).toBe('en');
      // a later message from them does not undo the choice
      expect((await store.upsertContact({ channel: 'sms', channelUserId: '+919876500006' })).preferredLanguage).toBe('en');
      await store.setPreferredLanguage(c.id, undefined);
      expect((await store.getContact(c.id))?.preferredLanguage).toBeUndefined();
    });
  });
}
