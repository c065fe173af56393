import { describe, expect, it } from 'vitest';
import { EtagConflictError } from '../../src/store/errors.ts';
import type { ContractContext } from './store.contract.ts';
import { inbound, outbound, TEXTS } from './store-fixtures.ts';

const NOW = new Date('2025-01-15T10:21:00.000Z');
const KEY = 'sms/conversations/+919876543210';

export function turnContract(ctx: ContractContext): void {
  describe('completing a bot turn', () => {
    it('writes the state, queues the replies and marks the message done, together', async () => {
      const store = ctx.store();
      const m = inbound({ text: TEXTS.mr });
      const [a] = await store.archiveInbound([m]);
      const reply = outbound({ text: 'ही समस्या नेमकी कुठे आहे?', kind: 'reply', idempotencyKey: `reply:${m.externalId}:0` });
      const { outboxIds } = await store.completeTurn({
        inboundId: a!.id,
        state: [{ key: KEY, data: { step: 'ask-where', what: TEXTS.mr } }],
        replies: [reply],
        now: NOW,
      });
      expect(outboxIds).toHaveLength(1);
      expect((await store.getOutbox(outboxIds[0]!))?.message.text).toBe('ही समस्या नेमकी कुठे आहे?');
      expect((await store.getInbound(a!.id))?.state).toBe('done');
      expect((await store.readConversations([KEY]))[0]?.data).toEqual({ step: 'ask-where', what: TEXTS.mr });

      // the same turn again (a retry after a crash) queues nothing new
      const again = await store.completeTurn({ inboundId: a!.id, state: [], replies: [reply], now: NOW });
      expect(again.outboxIds).toEqual(outboxIds);
      expect(await store.listOutbox()).toHaveLength(1);
    });

    it('keeps a wake-up a turn asks for, with its message, until a later turn clears it; a conflict writes none', async () => {
      const store = ctx.store();
      const conversation = `sms:+91987650${Math.floor(Math.random() * 9000 + 1000)}`;
      const [a] = await store.archiveInbound([inbound({ text: 'हो, फोटो पाठवतो' })]);
      const at = new Date(NOW.getTime() + 15 * 60_000);
      await store.completeTurn({ inboundId: a!.id, state: [], replies: [], wake: { conversation, at }, now: NOW });
      expect(await store.listDueWakeups(NOW, 10)).toEqual([]);
      expect(await store.listDueWakeups(at, 10)).toContainEqual({ conversation, inboundId: a!.id, at: at.toISOString() });

      // a later turn moves it, keeping the message it was asked on
      const later = new Date(at.getTime() + 60_000);
      await store.completeTurn({ state: [], replies: [], wake: { conversation, at: later }, now: NOW });
      expect((await store.listDueWakeups(later, 10)).find((w) => w.conversation === conversation)).toEqual({ conversation, inboundId: a!.id, at: later.toISOString() });

      const read = await store.writeConversation(`${KEY}-wake`, { step: 1 });
      await store.writeConversation(`${KEY}-wake`, { step: 2 }, read);
      await expect(store.completeTurn({ state: [{ key: `${KEY}-wake`, data: {}, etag: read }], replies: [], wake: { conversation, at: null }, now: NOW })).rejects.toBeInstanceOf(EtagConflictError);
      expect((await store.listDueWakeups(later, 10)).some((w) => w.conversation === conversation)).toBe(true);

      await store.completeTurn({ state: [], replies: [], wake: { conversation, at: null }, now: NOW });
      expect((await store.listDueWakeups(later, 10)).some((w) => w.conversation === conversation)).toBe(false);
    });

    it('writes nothing at all when the state changed since the turn read it', async () => {
      const store = ctx.store();
      const read = await store.writeConversation(KEY, { step: 'ask-what' });
      await store.writeConversation(KEY, { step: 'ask-where' }, read); // another turn got there first
      const m = inbound({ text: TEXTS.hi });
      const [a] = await store.archiveInbound([m]);
      await expect(
        store.completeTurn({
          inboundId: a!.id,
          state: [
            { key: 'sms/users/+919876543210', data: { lang: 'hi' }, etag: '*' },
            { key: KEY, data: { step: 'stale' }, etag: read },
          ],
          replies: [outbound({ idempotencyKey: `reply:${m.externalId}:0` })],
          now: NOW,
        }),
      ).rejects.toBeInstanceOf(EtagConflictError);
      expect(await store.listOutbox()).toEqual([]);
      expect((await store.getInbound(a!.id))?.state).toBe('pending');
      expect((await store.readConversations([KEY]))[0]?.data).toEqual({ step: 'ask-where' });
      expect(await store.readConversations(['sms/users/+919876543210'])).toEqual([]);
    });
  });
}
