import { describe, expect, it } from 'vitest';
import type { ContractContext } from './store.contract.ts';
import { inbound, TEXTS } from './store-fixtures.ts';

const later = (ms: number) => new Date(Date.now() + ms);

export function inboundContract(ctx: ContractContext): void {
  describe('inbound archive', () => {
    it('keeps one row per (channel, accountId, externalId) and counts the redeliveries', async () => {
      const store = ctx.store();
      const m = inbound();
      const [first] = await store.archiveInbound([m]);
      const again = await store.archiveInbound([{ ...m, text: 'redelivered' }, m]);

      expect(first?.duplicate).toBe(false);
      expect(again.map((r) => r.duplicate)).toEqual([true, true]);
      expect(again.map((r) => r.id)).toEqual([first!.id, first!.id]);
      const row = await store.getInbound(first!.id);
      expect(row?.duplicates).toBe(2);
      expect(row?.message.text).toBe(m.text); // the first copy is the one kept
      const source = { channel: m.channel, accountId: m.accountId, externalId: m.externalId };
      expect(await store.getInboundBySource(source)).toEqual(row);
      expect(await store.getInboundBySource({ ...source, accountId: 'other' })).toBeUndefined();
      const stats = await store.stats();
      expect(stats.inbound.pending).toBe(1);
      expect(stats.duplicatesDropped).toBe(2);
    });

    it('treats the same externalId on another account or channel as a different message', async () => {
      const store = ctx.store();
      const m = inbound();
      const results = await store.archiveInbound([
        m,
        { ...m, accountId: '+912025509999' },
        { ...m, channel: 'webchat' },
      ]);
      expect(results.map((r) => r.duplicate)).toEqual([false, false, false]);
      expect(new Set(results.map((r) => r.id)).size).toBe(3);
    });

    it('returns one result per message, in order, with duplicates inside one batch too', async () => {
      const store = ctx.store();
      const a = inbound();
      const b = inbound();
      const results = await store.archiveInbound([a, b, a]);
      expect(results).toHaveLength(3);
      expect(results[2]).toEqual({ id: results[0]!.id, duplicate: true });
      expect(results[1]!.id).not.toBe(results[0]!.id);
      expect(await store.archiveInbound([])).toEqual([]);
    });

    it('round-trips the raw payload and every field exactly', async () => {
      const store = ctx.store();
      const raw = {
        object: 'page',
        entry: [{ id: '1234', time: 1736936430123, messaging: [{ message: { mid: 'm_1', text: TEXTS.mr } }] }],
        nested: { nul: null, t: true, f: false, zero: 0, neg: -1.5, big: 9007199254740991, empty: '', arr: [] },
        'key with spaces & ünïcödé': '\u0000 control \t tab \n newline "quote" \\ backslash',
      };
      const m = inbound({
        channel: 'facebook',
        sender: { id: 'psid-1', name: 'सुनीता पाटील' },
        subject: TEXTS.emoji,
        html: '<p>माझ्या&nbsp;भागात</p>',
        attachments: [{ kind: 'image', mime: 'image/jpeg', size: 1, url: 'https://x.test/i.jpg' }],
        location: { lat: 18.52, lon: 73.85, label: 'शनिवार वाडा' },
        inReplyTo: 'm_0',
        raw,
      });
      const stringRaw = inbound({ raw: 'Body=%E0%A4%95&From=%2B919876543210&Extra=a+b' });
      const [r1, r2] = await store.archiveInbound([m, stringRaw]);

      expect((await store.getInbound(r1!.id))?.message).toEqual(m);
      const back = await store.getInbound(r2!.id);
      expect(back?.message.raw).toBe('Body=%E0%A4%95&From=%2B919876543210&Extra=a+b');
      expect(back?.message).toEqual(stringRaw);
    });

    it('round-trips Marathi, Hindi, English and emoji text', async () => {
      const store = ctx.store();
      const messages = Object.values(TEXTS).map((text) => inbound({ text, raw: { Body: text } }));
      const results = await store.archiveInbound(messages);
      for (const [i, r] of results.entries()) {
        const back = await store.getInbound(r.id);
        expect(back?.message.text).toBe(messages[i]!.text);
        expect(back?.message.raw).toEqual({ Body: messages[i]!.text });
      }
    });

    it('starts pending, due now, with no attempts; unknown ids read as undefined', async () => {
      const store = ctx.store();
      const before = new Date().toISOString();
      const [r] = await store.archiveInbound([inbound()]);
      const row = await store.getInbound(r!.id);
      expect(row).toMatchObject({ id: r!.id, state: 'pending', attempts: 0, duplicates: 0 });
      expect(row?.lastError).toBeUndefined();
      expect(row!.archivedAt >= before).toBe(true);
      expect(row!.nextAttemptAt <= new Date().toISOString()).toBe(true);
      expect(await store.getInbound(987654321)).toBeUndefined();
    });

    it('lists due messages oldest first, within the limit, and not done ones', async () => {
      const store = ctx.store();
      const rs = await store.archiveInbound([inbound(), inbound(), inbound()]);
      const ids = rs.map((r) => r.id);
      expect(await store.listDueInbound(later(1000), 10)).toEqual(ids);
      expect(await store.listDueInbound(later(1000), 2)).toEqual(ids.slice(0, 2));
      expect(await store.listDueInbound(new Date(Date.now() - 60_000), 10)).toEqual([]);

      await store.markInboundDone(ids[0]!);
      expect((await store.getInbound(ids[0]!))?.state).toBe('done');
      expect(await store.listDueInbound(later(1000), 10)).toEqual(ids.slice(1));
    });

    it('retries later, then goes dead, and staff can retry a dead message', async () => {
      const store = ctx.store();
      const [r] = await store.archiveInbound([inbound({ externalId: 'dead-one' })]);
      const id = r!.id;
      const next = later(60_000);

      await store.markInboundRetry(id, 'normalizer exploded', next);
      let row = await store.getInbound(id);
      expect(row).toMatchObject({ state: 'pending', attempts: 1, lastError: 'normalizer exploded' });
      expect(row?.nextAttemptAt).toBe(next.toISOString());
      expect(await store.listDueInbound(later(1000), 10)).not.toContain(id);
      expect(await store.listDueInbound(later(61_000), 10)).toContain(id);

      await store.markInboundDead(id, 'gave up');
      row = await store.getInbound(id);
      expect(row).toMatchObject({ state: 'dead', attempts: 2, lastError: 'gave up' });
      expect(await store.listDueInbound(later(120_000), 10)).not.toContain(id);
      const dead = (await store.listDeadLetters()).find((d) => d.kind === 'inbound' && d.id === id);
      expect(dead).toMatchObject({ error: 'gave up', attempts: 2 });
      expect(dead?.summary).toContain('dead-one');
      expect((await store.stats()).inbound.dead).toBe(1);

      expect(await store.retryInbound(id)).toBe(true);
      row = await store.getInbound(id);
      expect(row).toMatchObject({ state: 'pending', attempts: 0 });
      expect(await store.listDueInbound(later(1000), 10)).toContain(id);
      expect((await store.listDeadLetters()).some((d) => d.kind === 'inbound' && d.id === id)).toBe(false);
    });

    it('refuses to retry a message that is not dead, or does not exist', async () => {
      const store = ctx.store();
      const [a, b] = await store.archiveInbound([inbound(), inbound()]);
      await store.markInboundDone(a!.id);
      expect(await store.retryInbound(a!.id)).toBe(false);
      expect((await store.getInbound(a!.id))?.state).toBe('done');
      expect(await store.retryInbound(b!.id)).toBe(false); // pending already
      expect(await store.retryInbound(987654321)).toBe(false);
    });
  });
}
