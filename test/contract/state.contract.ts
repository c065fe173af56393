import { describe, expect, it } from 'vitest';
import type { ChannelMapping } from '../../src/model/index.ts';
import { EtagConflictError } from '../../src/store/errors.ts';
import type { ContractContext } from './store.contract.ts';
import { draft, inbound, numberOf, outbound, sleep, TEXTS } from './store-fixtures.ts';

const mapping = (over: Partial<ChannelMapping> = {}): ChannelMapping => ({
  id: 'sms-main',
  channel: 'sms',
  accountId: '+912025501000',
  department: 'call-centre',
  defaultLanguage: 'mr',
  replyPolicy: 'conversational',
  slaHours: 72,
  enabled: true,
  ...over,
});

export function stateContract(ctx: ContractContext): void {
  describe('conversations', () => {
    it('writes, reads and guards with eTags', async () => {
      const store = ctx.store();
      const data = { dialogStack: [{ id: 'intake', state: { text: TEXTS.mr } }], lang: 'mr', n: 1 };
      const e1 = await store.writeConversation('sms/+919876543210', data);
      expect(typeof e1).toBe('string');
      expect(await store.readConversations(['sms/+919876543210'])).toEqual([
        { key: 'sms/+919876543210', data, etag: e1 },
      ]);

      const e2 = await store.writeConversation('sms/+919876543210', { ...data, n: 2 }, e1);
      expect(e2).not.toBe(e1);
      await expect(store.writeConversation('sms/+919876543210', { n: 'stale' }, e1)).rejects.toBeInstanceOf(
        EtagConflictError,
      );
      const [kept] = await store.readConversations(['sms/+919876543210']);
      expect(kept).toEqual({ key: 'sms/+919876543210', data: { ...data, n: 2 }, etag: e2 });

      const e3 = await store.writeConversation('sms/+919876543210', { n: 3 }, '*');
      expect(e3).not.toBe(e2);
      expect((await store.readConversations(['sms/+919876543210']))[0]?.data).toEqual({ n: 3 });
    });

    it('treats a specific eTag on a missing key as a conflict', async () => {
      const store = ctx.store();
      await expect(store.writeConversation('fb/psid-9', { a: 1 }, 'some-etag')).rejects.toBeInstanceOf(
        EtagConflictError,
      );
      expect(await store.readConversations(['fb/psid-9'])).toEqual([]);
      await store.writeConversation('fb/psid-9', { a: 1 }, '*');
      expect(await store.readConversations(['fb/psid-9'])).toHaveLength(1);
    });

    it('reads only the keys that exist and deletes', async () => {
      const store = ctx.store();
      await store.writeConversation('a', { v: 'a' });
      await store.writeConversation('b', { v: 'b' });
      const read = await store.readConversations(['a', 'missing', 'b']);
      expect(read.map((c) => c.key).sort()).toEqual(['a', 'b']);
      await store.deleteConversation('a');
      await store.deleteConversation('never-there');
      expect((await store.readConversations(['a', 'b'])).map((c) => c.key)).toEqual(['b']);
    });
  });

  describe('cursors and mappings', () => {
    it('keeps poll cursors', async () => {
      const store = ctx.store();
      expect(await store.getCursor('email/complaints@pmc')).toBeUndefined();
      await store.setCursor('email/complaints@pmc', JSON.stringify({ uidValidity: '1', lastUid: 41 }));
      await store.setCursor('email/complaints@pmc', JSON.stringify({ uidValidity: '1', lastUid: 42 }));
      await store.setCursor('twitter/mentions', '1880000000000000001');
      expect(await store.getCursor('email/complaints@pmc')).toBe('{"uidValidity":"1","lastUid":42}');
      expect(await store.getCursor('twitter/mentions')).toBe('1880000000000000001');
    });

    it('upserts, lists and deletes channel mappings', async () => {
      const store = ctx.store();
      expect(await store.listMappings()).toEqual([]);
      await store.upsertMapping(mapping());
      await store.upsertMapping(mapping({ id: 'fb-page', channel: 'facebook', accountId: '1234', replyPolicy: 'one-shot' }));
      await store.upsertMapping(mapping({ department: 'water', ward: 'kothrud', enabled: false }));
      const list = await store.listMappings();
      expect(list).toHaveLength(2);
      expect(list.find((m) => m.id === 'sms-main')).toEqual(mapping({ department: 'water', ward: 'kothrud', enabled: false }));
      expect(list.find((m) => m.id === 'fb-page')?.replyPolicy).toBe('one-shot');

      expect(await store.deleteMapping('sms-main')).toBe(true);
      expect(await store.deleteMapping('sms-main')).toBe(false);
      expect((await store.listMappings()).map((m) => m.id)).toEqual(['fb-page']);
    });
  });

  describe('dead letters, stats and health', () => {
    it('lists dead inbound and outbound entries, newest first', async () => {
      const store = ctx.store();
      const [i] = await store.archiveInbound([inbound({ channel: 'email', externalId: '<abc@mail>' })]);
      const [o] = await store.enqueueOutbound([outbound({ kind: 'feedback_request' })]);
      await store.markInboundDead(i!.id, 'unparseable');
      await sleep(5);
      await store.claimOutbox(o!.id);
      await store.markOutboxDead(o!.id, 'invalid number');
      const dead = await store.listDeadLetters();
      expect(dead.map((d) => [d.kind, d.id, d.error])).toEqual([
        ['outbound', o!.id, 'invalid number'],
        ['inbound', i!.id, 'unparseable'],
      ]);
      expect(dead[0]!.summary).toContain('sms');
      expect(dead[1]!.summary).toContain('<abc@mail>');
      expect(dead[0]!.at >= dead[1]!.at).toBe(true);
    });

    it('counts an empty store as zeros and answers ping', async () => {
      const store = ctx.store();
      await expect(store.ping()).resolves.toBeUndefined();
      expect(typeof store.kind).toBe('string');
      expect(await store.stats()).toEqual({
        inbound: { pending: 0, done: 0, dead: 0 },
        duplicatesDropped: 0,
        tickets: 0,
        outbox: { pending: 0, sending: 0, sent: 0, delivered: 0, undelivered: 0, dead: 0 },
      });
    });
  });

  describe('persistence', () => {
    it('keeps everything across close and reopen', async (test) => {
      if (!ctx.canReopen()) test.skip();
      let store = ctx.store();
      const m = inbound({ text: TEXTS.emoji });
      const [archived] = await store.archiveInbound([m]);
      const contact = await store.upsertContact({ channel: 'sms', channelUserId: '+919876543210', phone: '+919876543210' });
      const { ticket } = await store.createTicket(draft(contact));
      await store.updateTicketStatus(ticket.ticketNo, 'forwarded', 'officer-1');
      const [out] = await store.enqueueOutbound([outbound()]);
      const etag = await store.writeConversation('k', { text: TEXTS.hi });
      await store.setCursor('c', 'v');
      await store.upsertMapping(mapping());

      store = await ctx.reopen();
      expect((await store.getInbound(archived!.id))?.message).toEqual(m);
      expect((await store.archiveInbound([m]))[0]).toEqual({ id: archived!.id, duplicate: true });
      expect(await store.getContact(contact.id)).toEqual(contact);
      const back = await store.getTicket(ticket.ticketNo);
      expect(back?.status).toBe('forwarded');
      expect(back?.history).toHaveLength(2);
      const next = await store.createTicket(draft(contact));
      expect(numberOf(next.ticket.ticketNo)).toBeGreaterThan(numberOf(ticket.ticketNo));
      expect((await store.createTicket({ ...draft(contact), source: ticket.sources[0]! })).created).toBe(false);
      expect((await store.getOutbox(out!.id))?.state).toBe('pending');
      expect(await store.readConversations(['k'])).toEqual([{ key: 'k', data: { text: TEXTS.hi }, etag }]);
      expect(await store.getCursor('c')).toBe('v');
      expect(await store.listMappings()).toEqual([mapping()]);
    });
  });
}
