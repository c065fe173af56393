import { describe, expect, it } from 'vitest';
import type { ContractContext } from './store.contract.ts';
import { uid } from './store-fixtures.ts';

const later = (ms: number) => new Date(Date.now() + ms).toISOString();
const say = (text: string) => ({ type: 'message', text });

export function chatContract(ctx: ContractContext): void {
  describe('web chat conversations', () => {
    it('opens a conversation once, keeps it longer on each open, never gives it to another user', async () => {
      const store = ctx.store();
      const id = uid('wc');
      expect(await store.openChat({ id, userId: 'dl_asha', keptUntil: later(60_000) }, 100)).toEqual({ opened: true, created: true });
      expect(await store.openChat({ id, userId: 'dl_other', keptUntil: later(120_000) }, 100)).toEqual({ opened: true, created: false });
      const kept = await store.getChat(id, new Date());
      expect(kept?.userId).toBe('dl_asha');
      expect(Date.parse(kept!.keptUntil)).toBeGreaterThan(Date.now() + 100_000);
      expect(await store.getChat(id, new Date(Date.now() + 200_000))).toBeUndefined();
      expect(await store.getChat(uid('wc-none'), new Date())).toBeUndefined();
    });

    it('refuses a new conversation while the most it keeps are kept, and takes one again once some have gone', async () => {
      const store = ctx.store();
      const now = Date.now();
      await store.dropExpiredChats(new Date(now + 10 * 86_400_000));
      for (let i = 0; i < 3; i++) expect((await store.openChat({ id: uid('wc-cap'), userId: `dl_${i}`, keptUntil: later(1000) }, 3)).opened).toBe(true);
      expect(await store.openChat({ id: uid('wc-cap'), userId: 'dl_4', keptUntil: later(1000) }, 3)).toEqual({ opened: false, created: false });
      expect(await store.dropExpiredChats(new Date(now + 5000))).toBeGreaterThanOrEqual(3);
      expect((await store.openChat({ id: uid('wc-cap'), userId: 'dl_4', keptUntil: later(1000) }, 3)).opened).toBe(true);
    });

    it("finds a citizen's most recent conversation still kept", async () => {
      const store = ctx.store();
      const user = uid('dl_');
      const older = uid('wc');
      const newer = uid('wc');
      await store.openChat({ id: older, userId: user, keptUntil: later(60_000) }, 100);
      await store.openChat({ id: newer, userId: user, keptUntil: later(120_000) }, 100);
      expect((await store.latestChatOf(user, new Date()))?.id).toBe(newer);
      expect(await store.latestChatOf(uid('dl_'), new Date())).toBeUndefined();
    });

    it('reads in order, stops before a reserved entry until it is put, and skips one cancelled', async () => {
      const store = ctx.store();
      const id = uid('wc');
      await store.openChat({ id, userId: 'dl_x', keptUntil: later(60_000) }, 100);
      const first = await store.reserveChatEntry(id);
      const reply = await store.appendChatReply(id, 9_000_001 + Math.floor(Math.random() * 1e6), () => say('ही अडचण नेमकी कुठे आहे?'));
      expect(reply.seq).toBeGreaterThan(first);
      // the reply is behind the citizen's message, which is still being archived
      expect(await store.readChat(id, 0, 50)).toEqual({ entries: [], through: 0 });
      await store.putChatEntry(id, first, say('रस्त्यावर खड्डे'));
      expect(await store.readChat(id, 0, 50)).toEqual({ entries: [{ seq: first, activity: say('रस्त्यावर खड्डे') }, { seq: reply.seq, activity: say('ही अडचण नेमकी कुठे आहे?') }], through: reply.seq });
      const refused = await store.reserveChatEntry(id);
      await store.cancelChatEntry(id, refused);
      const after = await store.reserveChatEntry(id);
      await store.putChatEntry(id, after, say('कोथरूड'));
      expect(await store.readChat(id, reply.seq, 50)).toEqual({ entries: [{ seq: after, activity: say('कोथरूड') }], through: after });
      expect((await store.readChat(id, 0, 1)).entries).toHaveLength(1);
    });

    it('appends a reply once per outbox entry, and never to a conversation it does not keep', async () => {
      const store = ctx.store();
      const id = uid('wc');
      await store.openChat({ id, userId: 'dl_y', keptUntil: later(60_000) }, 100);
      const outboxId = 8_000_001 + Math.floor(Math.random() * 1e6);
      const a = await store.appendChatReply(id, outboxId, (seq) => ({ ...say('Your complaint has been registered.'), seq }));
      const b = await store.appendChatReply(id, outboxId, (seq) => ({ ...say('again'), seq }));
      expect(a.created).toBe(true);
      expect(b).toEqual({ seq: a.seq, created: false });
      expect((await store.readChat(id, 0, 10)).entries.map((e) => e.activity.text)).toEqual(['Your complaint has been registered.']);
      await expect(store.appendChatReply(uid('wc-none'), outboxId + 1, () => say('x'))).rejects.toThrow(/not kept/);
    });

    it('drops conversations no longer kept, with their logs', async () => {
      const store = ctx.store();
      const id = uid('wc');
      await store.openChat({ id, userId: 'dl_z', keptUntil: later(1000) }, 100);
      const seq = await store.reserveChatEntry(id);
      await store.putChatEntry(id, seq, say('x'));
      expect(await store.dropExpiredChats(new Date(Date.now() + 2000))).toBeGreaterThanOrEqual(1);
      expect(await store.getChat(id, new Date(0))).toBeUndefined();
      expect((await store.readChat(id, 0, 10)).entries).toEqual([]);
    });
  });
}
