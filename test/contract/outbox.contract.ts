import { describe, expect, it } from 'vitest';
import { OutboxEntry } from '../../src/model/index.ts';
import type { ContractContext } from './store.contract.ts';
import { outbound } from './store-fixtures.ts';

const at = (ms: number) => new Date(Date.now() + ms);

export function outboxContract(ctx: ContractContext): void {
  describe('outbox', () => {
    it('enqueues once per idempotency key, also inside one batch', async () => {
      const store = ctx.store();
      const a = outbound();
      const b = outbound({ kind: 'status', text: 'हमारी टीम काम कर रही है', language: 'hi' });
      const first = await store.enqueueOutbound([a, b, a]);
      expect(first.map((r) => r.created)).toEqual([true, true, false]);
      expect(first[2]!.id).toBe(first[0]!.id);
      expect(first[1]!.id).not.toBe(first[0]!.id);

      const again = await store.enqueueOutbound([{ ...a, text: 'changed' }]);
      expect(again).toEqual([{ id: first[0]!.id, created: false }]);
      expect((await store.getOutbox(first[0]!.id))?.message).toEqual(a);
      expect(await store.listOutbox()).toHaveLength(2);
      expect(await store.enqueueOutbound([])).toEqual([]);
    });

    it('stores a pending entry due at the given time, with no attempts', async () => {
      const store = ctx.store();
      const due = at(60_000);
      const [r] = await store.enqueueOutbound([outbound()], due);
      const entry = await store.getOutbox(r!.id);
      expect(OutboxEntry.parse(entry)).toEqual(entry);
      expect(entry).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: due.toISOString() });
      expect(entry?.providerId).toBeUndefined();
      expect(await store.listDueOutbox(new Date(), 10)).toEqual([]);
      expect(await store.listDueOutbox(at(61_000), 10)).toEqual([r!.id]);
      expect(await store.getOutbox(987654321)).toBeUndefined();
    });

    it('claims a pending entry once and hands a crashed `sending` entry out again', async () => {
      const store = ctx.store();
      const [a, b, c] = await store.enqueueOutbound([outbound(), outbound(), outbound()]);
      expect(await store.listDueOutbox(at(1000), 2)).toEqual([a!.id, b!.id]);

      expect(await store.claimOutbox(a!.id)).toBe(true);
      expect(await store.getOutbox(a!.id)).toMatchObject({ state: 'sending', attempts: 1 });
      // a worker died mid-send: the entry is still listed, oldest first, and can be claimed again
      expect(await store.listDueOutbox(at(1000), 10)).toEqual([a!.id, b!.id, c!.id]);
      expect(await store.claimOutbox(a!.id)).toBe(true);
      expect((await store.getOutbox(a!.id))?.attempts).toBe(2);

      await store.markOutboxSent(a!.id, 'SM-a');
      expect(await store.getOutbox(a!.id)).toMatchObject({ state: 'sent', providerId: 'SM-a' });
      expect(await store.claimOutbox(a!.id)).toBe(false);
      expect(await store.listDueOutbox(at(1000), 10)).toEqual([b!.id, c!.id]);
      expect(await store.claimOutbox(987654321)).toBe(false);
    });

    it('retries later with the error kept, then dies, and staff can retry it', async () => {
      const store = ctx.store();
      const [r] = await store.enqueueOutbound([outbound({ channel: 'twitter', kind: 'reply', ticketNo: 'PMC100042' })]);
      const id = r!.id;
      await store.claimOutbox(id);
      const next = at(30_000);
      await store.markOutboxRetry(id, '429 rate limited', next);
      expect(await store.getOutbox(id)).toMatchObject({
        state: 'pending',
        attempts: 1,
        lastError: '429 rate limited',
        nextAttemptAt: next.toISOString(),
      });
      expect(await store.listDueOutbox(at(1000), 10)).toEqual([]);
      expect(await store.listDueOutbox(at(31_000), 10)).toEqual([id]);

      await store.claimOutbox(id);
      await store.markOutboxDead(id, 'account suspended');
      expect(await store.getOutbox(id)).toMatchObject({ state: 'dead', attempts: 2, lastError: 'account suspended' });
      expect(await store.claimOutbox(id)).toBe(false);
      expect(await store.listDueOutbox(at(120_000), 10)).toEqual([]);
      const dead = (await store.listDeadLetters()).find((d) => d.kind === 'outbound' && d.id === id);
      expect(dead).toMatchObject({ error: 'account suspended', attempts: 2 });
      expect(dead?.summary).toContain('twitter');
      expect((await store.stats()).outbox.dead).toBe(1);

      expect(await store.retryOutbox(id)).toBe(true);
      expect(await store.getOutbox(id)).toMatchObject({ state: 'pending', attempts: 0 });
      expect(await store.listDueOutbox(at(1000), 10)).toEqual([id]);
      expect((await store.listDeadLetters()).some((d) => d.kind === 'outbound')).toBe(false);
      expect(await store.retryOutbox(id)).toBe(false); // pending already
    });

    it('keeps the earliest attempt of unknown outcome until the entry is sent; a dead one keeps it for a staff retry', async () => {
      const store = ctx.store();
      const [r, u] = await store.enqueueOutbound([outbound(), outbound()]);
      const id = r!.id;
      const first = new Date(Date.now() - 5000);
      await store.claimOutbox(id);
      await store.markOutboxRetry(id, 'ECONNRESET', at(0));
      expect((await store.getOutbox(id))?.unsureSince).toBeUndefined();
      await store.claimOutbox(id);
      await store.markOutboxRetry(id, 'ECONNRESET', at(0), { unsureSince: first });
      await store.claimOutbox(id);
      await store.markOutboxRetry(id, 'timeout', at(0), { unsureSince: new Date() });
      expect((await store.getOutbox(id))?.unsureSince).toBe(first.toISOString());
      await store.claimOutbox(id);
      await store.markOutboxDead(id, 'gave up');
      expect(await store.getOutbox(id)).toMatchObject({ state: 'dead', unsureSince: first.toISOString() });
      expect(await store.retryOutbox(id)).toBe(true);
      expect(await store.getOutbox(id)).toMatchObject({ state: 'pending', unsureSince: first.toISOString() });

      // an undelivered entry's outcome is known (the provider said so): a staff retry sends without a lookup
      await store.claimOutbox(u!.id);
      await store.markOutboxRetry(u!.id, 'timeout', at(0), { unsureSince: first });
      await store.claimOutbox(u!.id);
      await store.markOutboxSent(u!.id, 'SM-u');
      await store.recordDelivery('SM-u', 'undelivered', '30003');
      expect(await store.retryOutbox(u!.id)).toBe(true);
      expect((await store.getOutbox(u!.id))?.unsureSince).toBeUndefined();
    });

    it('applies delivery receipts by provider id, never going back from delivered', async () => {
      const store = ctx.store();
      const [a, b] = await store.enqueueOutbound([outbound(), outbound()]);
      for (const [r, pid] of [[a!, 'SM-a'], [b!, 'SM-b']] as const) {
        await store.claimOutbox(r.id);
        await store.markOutboxSent(r.id, pid);
      }
      expect(await store.recordDelivery('SM-a', 'delivered')).toBe(true);
      expect((await store.getOutbox(a!.id))?.state).toBe('delivered');
      expect(await store.recordDelivery('SM-a', 'sent')).toBe(true); // late, out of order
      expect((await store.getOutbox(a!.id))?.state).toBe('delivered');
      expect(await store.retryOutbox(a!.id)).toBe(false);

      expect(await store.recordDelivery('SM-b', 'undelivered', '30003 unreachable handset')).toBe(true);
      expect(await store.getOutbox(b!.id)).toMatchObject({ state: 'undelivered', lastError: '30003 unreachable handset' });
      expect(await store.recordDelivery('SM-unknown', 'delivered')).toBe(false);

      expect(await store.retryOutbox(b!.id)).toBe(true);
      expect(await store.getOutbox(b!.id)).toMatchObject({ state: 'pending', attempts: 0 });
      expect(await store.listDueOutbox(at(1000), 10)).toEqual([b!.id]);
      const stats = await store.stats();
      expect(stats.outbox).toMatchObject({ delivered: 1, pending: 1, undelivered: 0, sent: 0 });
    });

    it('lists newest first, by state, within a limit, and all without one', async () => {
      const store = ctx.store();
      const results = await store.enqueueOutbound(Array.from({ length: 105 }, () => outbound()));
      const ids = results.map((r) => r.id);
      await store.claimOutbox(ids[5]!);
      const all = await store.listOutbox();
      expect(all.map((e) => e.id)).toEqual([...ids].reverse());
      expect((await store.listOutbox({ limit: 2 })).map((e) => e.id)).toEqual([ids[104], ids[103]]);
      expect((await store.listOutbox({ state: 'sending' })).map((e) => e.id)).toEqual([ids[5]]);
      expect(await store.listOutbox({ state: 'dead' })).toEqual([]);
      expect((await store.stats()).outbox).toMatchObject({ pending: 104, sending: 1 });
    });

    // Messenger's read receipts name a time: the web process finds the replies a worker sent by this
    it("lists one conversation's sent entries, newest first, each dated when it was marked sent", async () => {
      const store = ctx.store();
      const psid = `71${Date.now()}`;
      const reply = (text: string, threadKey = psid) => outbound({ channel: 'facebook', accountId: '104000000000001', threadKey, to: threadKey, text });
      const [a, b, c, other] = await store.enqueueOutbound([reply('पहिला फोटो पाठवा'), reply('तक्रार PMC100002 नोंदवली'), reply('धन्यवाद'), reply('Complaint registered', `${psid}9`)]);
      const before = Date.now();
      for (const [r, mid] of [[a, 'm_a'], [b, 'm_b'], [other, 'm_o']] as const) {
        await store.claimOutbox(r!.id);
        await store.markOutboxSent(r!.id, mid);
      }
      const after = Date.now();
      const sent = await store.listOutbox({ threadKey: psid, state: 'sent' });
      expect(sent.map((e) => e.providerId)).toEqual(['m_b', 'm_a']);
      for (const e of sent) expect(Date.parse(e.updatedAt)).toBeGreaterThanOrEqual(before);
      for (const e of sent) expect(Date.parse(e.updatedAt)).toBeLessThanOrEqual(after);
      expect((await store.listOutbox({ threadKey: psid, state: 'pending' })).map((e) => e.id)).toEqual([c!.id]);
      await store.recordDelivery('m_a', 'delivered');
      expect((await store.listOutbox({ threadKey: psid, state: 'sent', limit: 5 })).map((e) => e.providerId)).toEqual(['m_b']);
    });
  });
}
