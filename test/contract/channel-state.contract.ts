import { describe, expect, it } from 'vitest';
import type { ContractContext } from './store.contract.ts';
import { draft, outbound } from './store-fixtures.ts';

/** What pull channels and channel health keep in the store: cursors by prefix, held replies, contacts by identity. */
export function channelStateContract(ctx: ContractContext): void {
  describe('channel state', () => {
    it('lists cursors by prefix, whatever characters the prefix holds', async () => {
      const store = ctx.store();
      await store.setCursor('health:facebook:104', '{"state":"ok"}');
      await store.setCursor('health:twitter:17', '{"state":"unauthorised"}');
      await store.setCursor('health_x', 'not under the prefix');
      await store.setCursor('poll:twitter:17:mentions', '1799');
      expect(await store.listCursors('health:')).toEqual([
        { key: 'health:facebook:104', value: '{"state":"ok"}' },
        { key: 'health:twitter:17', value: '{"state":"unauthorised"}' },
      ]);
      expect(await store.listCursors('health_')).toEqual([{ key: 'health_x', value: 'not under the prefix' }]);
      expect(await store.listCursors('nothing:')).toEqual([]);
    });

    it("makes an account's held replies due at once, and only that account's pending ones", async () => {
      const store = ctx.store();
      const later = new Date(Date.now() + 3_600_000);
      const [a, b, c] = await store.enqueueOutbound([
        outbound({ channel: 'facebook', accountId: '104', to: '71', idempotencyKey: 'held-a' }),
        outbound({ channel: 'facebook', accountId: '105', to: '72', idempotencyKey: 'held-b' }),
        outbound({ channel: 'facebook', accountId: '104', to: '73', idempotencyKey: 'held-c' }),
      ]);
      const [d] = await store.enqueueOutbound([outbound({ channel: 'facebook', accountId: '104', to: '74', idempotencyKey: 'limited-d' })]);
      for (const e of [a!, b!, c!]) {
        expect(await store.claimOutbox(e.id)).toBe(true);
        // a held attempt is given back: it costs the reply nothing
        await store.markOutboxRetry(e.id, 'HeldSendError: page 104 is waiting to be re-authorised', later, { uncounted: true });
      }
      // one of the same page waits for Meta's rate limit: a working token does not make it due
      expect(await store.claimOutbox(d!.id)).toBe(true);
      await store.markOutboxRetry(d!.id, 'RetryableSendError: Graph 400 (#613): calls within one hour exceeded', later);
      await store.markOutboxSent(c!.id, 'm_1');
      const now = new Date();
      expect(await store.listDueOutbox(now, 10)).toEqual([]);
      expect((await store.getOutbox(a!.id))?.attempts).toBe(0);
      expect((await store.getOutbox(d!.id))?.attempts).toBe(1);
      expect(await store.releaseOutbox('facebook', '104', now)).toBe(1);
      expect(await store.listDueOutbox(new Date(now.getTime() + 1), 10)).toEqual([a!.id]);
    });

    it('finds a citizen by the id a channel knows them by', async () => {
      const store = ctx.store();
      const made = await store.upsertContact({ channel: 'facebook', channelUserId: '7100000000000001', phone: '+919812300011' });
      expect((await store.findContactByIdentity('facebook', '7100000000000001'))?.id).toBe(made.id);
      expect((await store.findContactByIdentity('facebook', '7100000000000001'))?.phone).toBe('+919812300011');
      expect(await store.findContactByIdentity('twitter', '7100000000000001')).toBeUndefined();
    });

    it('lets what another system only claims find a citizen, but never add a number or address to one', async () => {
      const store = ctx.store();
      const victim = await store.upsertContact({ channel: 'email', channelUserId: 'sunita@example.org', email: 'sunita@example.org' });
      // an API filing with her address and someone else's number: found by the address, the number not added
      const claimed = await store.upsertContact({ channel: 'api', channelUserId: '+919800000999', phone: '+919800000999', email: 'sunita@example.org', claimed: true });
      expect(claimed.id).toBe(victim.id);
      expect(claimed.phone).toBeUndefined();
      expect(await store.findContactByIdentity('api', '+919800000999')).toBeUndefined();
      // the number's real owner, by SMS, and then through the API: theirs, never hers
      const owner = await store.upsertContact({ channel: 'sms', channelUserId: '+919800000999', phone: '+919800000999' });
      expect(owner.id).not.toBe(victim.id);
      const later = await store.upsertContact({ channel: 'api', channelUserId: '+919800000999', phone: '+919800000999', claimed: true });
      expect(later.id).toBe(owner.id);
      expect((await store.findContactByIdentity('api', '+919800000999'))?.id).toBe(owner.id);
      // a claimed sender nobody knows yet is a new citizen with what they gave
      const fresh = await store.upsertContact({ channel: 'api', channelUserId: '+919800000777', phone: '+919800000777', email: 'new@example.org', claimed: true });
      expect(fresh).toMatchObject({ phone: '+919800000777', email: 'new@example.org' });
    });

    it("files one ticket for a citizen's posts in one public thread, and joins the later ones to it", async () => {
      const store = ctx.store();
      const contact = await store.upsertContact({ channel: 'twitter', channelUserId: '88' });
      const thread = { channel: 'twitter' as const, accountId: '17', externalId: 'thread:500:88' };
      const first = await store.createTicket(draft(contact, { source: { channel: 'twitter', accountId: '17', externalId: '501' }, thread }));
      const later = await store.createTicket(draft(contact, { source: { channel: 'twitter', accountId: '17', externalId: '502' }, thread }));
      expect(first.created).toBe(true);
      expect(later).toMatchObject({ created: false, ticket: { ticketNo: first.ticket.ticketNo } });
      expect((await store.getTicket(first.ticket.ticketNo))?.sources.map((s) => s.externalId).sort()).toEqual(['501', '502', 'thread:500:88']);
      // another citizen's post in the same tweet's replies is another thread
      const other = await store.upsertContact({ channel: 'twitter', channelUserId: '89' });
      const theirs = await store.createTicket(draft(other, { source: { channel: 'twitter', accountId: '17', externalId: '503' }, thread: { ...thread, externalId: 'thread:500:89' } }));
      expect(theirs.created).toBe(true);
      // settled, the complaint's thread takes a new complaint ("still not fixed"), and what follows joins that one
      await store.updateTicketStatus(first.ticket.ticketNo, 'resolved', 'test:officer');
      const reopened = await store.createTicket(draft(contact, { source: { channel: 'twitter', accountId: '17', externalId: '504' }, thread }));
      expect(reopened.created).toBe(true);
      const after = await store.createTicket(draft(contact, { source: { channel: 'twitter', accountId: '17', externalId: '505' }, thread }));
      expect(after).toMatchObject({ created: false, ticket: { ticketNo: reopened.ticket.ticketNo } });
      expect((await store.getTicket(first.ticket.ticketNo))?.sources.map((s) => s.externalId).sort()).toEqual(['501', '502']);
    });
  });
}
