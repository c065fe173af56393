import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Contact, Language } from '../../src/model/index.ts';
import type { OptChange } from '../../src/store/campaign-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { draft, inbound, outbound } from '../contract/store-fixtures.ts';

const stores: { store: SqliteStore; dir: string }[] = [];
afterEach(async () => {
  for (const { store, dir } of stores.splice(0)) {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function open(): SqliteStore {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-campaign-'));
  const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  stores.push({ store, dir });
  return store;
}

let n = 0;
const phone = () => `+9198700${String(++n).padStart(5, '0')}`;
const AT = new Date('2026-12-02T05:30:00Z');

/** a citizen's STOP or START as the pipeline records it: archived first, then the choice */
async function opt(store: SqliteStore, who: string, choice: 'in' | 'out', language: Language = 'mr', confirm = true): Promise<{ contact: Contact; changed: boolean; outboxIds: number[] }> {
  const [archived] = await store.archiveInbound([inbound({ threadKey: who, sender: { id: who, phone: who }, text: choice === 'out' ? 'STOP' : 'START' })]);
  const change: OptChange = {
    inboundId: archived!.id,
    sighting: { channel: 'sms', channelUserId: who, phone: who },
    choice,
    via: { channel: 'sms', accountId: '+912025501000', threadKey: who, to: who, at: AT.toISOString() },
    ...(confirm ? { confirm: (_c: Contact, lang: Language) => outbound({ to: who, threadKey: who, language: lang, kind: 'info', text: `${choice} ${lang}`, idempotencyKey: `opt-${archived!.id}` }) } : {}),
    language,
    now: AT,
  };
  return store.campaigns.recordOpt(change);
}

const ALL: Language[] = ['mr', 'hi', 'en'];

describe('the campaign audience', () => {
  it('is the opted-in contacts, by the language they chose or their latest complaint’s, and their latest complaint’s ward', async () => {
    const store = open();
    // chose Hindi, complained in Marathi from Kothrud: Hindi, Kothrud
    const a = (await opt(store, phone(), 'in')).contact;
    await store.setPreferredLanguage(a.id, 'hi');
    await store.createTicket(draft(a, { language: 'mr', ward: 'kothrud' }));
    // an English complaint in Kothrud, then a Marathi one in Hadapsar: the latest counts
    const b = (await opt(store, phone(), 'in')).contact;
    await store.createTicket(draft(b, { language: 'en', ward: 'kothrud' }));
    await store.createTicket(draft(b, { language: 'mr', ward: 'hadapsar' }));
    // no complaint: the language they opted in with, no ward
    const c = (await opt(store, phone(), 'in', 'en')).contact;
    // opted out, and never asked: in no audience, whatever their complaints
    const d = (await opt(store, phone(), 'out')).contact;
    await store.createTicket(draft(d, { language: 'mr', ward: 'kothrud' }));
    const e = await store.upsertContact({ channel: 'sms', channelUserId: phone() });
    await store.createTicket(draft(e, { language: 'mr', ward: 'kothrud' }));

    const everyone = await store.campaigns.audience({ languages: ALL, defaultLanguage: 'mr' }, undefined, 100);
    expect(everyone.map((m) => [m.contactId, m.language, m.ward ?? null])).toEqual([
      [a.id, 'hi', 'kothrud'],
      [b.id, 'mr', 'hadapsar'],
      [c.id, 'en', null],
    ]);
    expect(everyone[0]!.phone).toBe(a.phone);
    expect(everyone[2]!.optedInVia).toMatchObject({ channel: 'sms', to: c.phone });

    const kothrud = await store.campaigns.audience({ languages: ALL, wards: ['kothrud'], defaultLanguage: 'mr' }, undefined, 100);
    expect(kothrud.map((m) => m.contactId)).toEqual([a.id]);
    const marathi = await store.campaigns.audience({ languages: ['mr'], defaultLanguage: 'mr' }, undefined, 100);
    expect(marathi.map((m) => m.contactId)).toEqual([b.id]);

    expect(await store.campaigns.audienceSize({ languages: ALL, defaultLanguage: 'mr' })).toEqual({
      mr: { contacts: 1, withPhone: 1 },
      hi: { contacts: 1, withPhone: 1 },
      en: { contacts: 1, withPhone: 1 },
    });
  });

  it('pages by contact id after a cursor, so a restart goes on where the last batch ended', async () => {
    const store = open();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await opt(store, phone(), 'in')).contact.id);
    const q = { languages: ALL, defaultLanguage: 'mr' as const };
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await store.campaigns.audience(q, cursor, 3);
      if (page.length === 0) break;
      seen.push(...page.map((m) => m.contactId));
      cursor = page.at(-1)!.contactId;
    }
    expect(seen).toEqual([...ids].sort());
  });
});

describe('the announcement choice', () => {
  it('STOP is confirmed once; a second STOP changes nothing and says nothing; START confirms again', async () => {
    const store = open();
    const who = phone();
    const first = await opt(store, who, 'out');
    expect(first.changed).toBe(true);
    expect(first.outboxIds).toHaveLength(1);
    const again = await opt(store, who, 'out');
    expect(again.changed).toBe(false);
    expect(again.outboxIds).toEqual([]);
    expect((await store.campaigns.optOf(first.contact.id)).state).toBe('out');
    const back = await opt(store, who, 'in');
    expect(back.changed).toBe(true);
    expect(back.outboxIds).toHaveLength(1);
    expect((await store.campaigns.optOf(first.contact.id)).state).toBe('in');
    // every STOP and START message is done, and none filed a ticket
    expect((await store.stats()).inbound).toMatchObject({ pending: 0, done: 3 });
    expect((await store.stats()).tickets).toBe(0);
  });

  it('is the contact’s, whatever channel it came by, and confirmed in their language', async () => {
    const store = open();
    const who = phone();
    const contact = await store.upsertContact({ channel: 'sms', channelUserId: who, phone: who });
    await store.createTicket(draft(contact, { language: 'hi' }));
    await store.upsertContact({ channel: 'facebook', channelUserId: 'psid-1', phone: who });
    await opt(store, who, 'in');
    // the same person sends बंद on Messenger: out everywhere
    const [archived] = await store.archiveInbound([inbound({ channel: 'facebook', accountId: 'page-1', threadKey: 'psid-1', sender: { id: 'psid-1' }, text: 'बंद' })]);
    const r = await store.campaigns.recordOpt({
      inboundId: archived!.id,
      sighting: { channel: 'facebook', channelUserId: 'psid-1' },
      choice: 'out',
      via: { channel: 'facebook', accountId: 'page-1', threadKey: 'psid-1', to: 'psid-1', at: AT.toISOString() },
      confirm: (_c, lang) => outbound({ channel: 'facebook', accountId: 'page-1', to: 'psid-1', threadKey: 'psid-1', language: lang, kind: 'info', text: lang, idempotencyKey: 'fb-opt' }),
      language: 'mr',
      now: AT,
    });
    expect(r.contact.id).toBe(contact.id);
    expect((await store.getOutbox(r.outboxIds[0]!))?.message.language).toBe('hi');
    expect(await store.campaigns.audience({ languages: ALL, defaultLanguage: 'mr' }, undefined, 10)).toEqual([]);
  });
});

describe('campaign batches', () => {
  it('write the entries with the cursor once: a stale cursor, or a campaign no longer sending, writes nothing', async () => {
    const store = open();
    const contact = (await opt(store, phone(), 'in')).contact;
    const c = await store.campaigns.create({ name: 'पाणी बचत', texts: { mr: 'पाणी जपून वापरा.' }, audience: {}, createdBy: 'test' }, AT);
    const message = outbound({ to: contact.phone!, kind: 'campaign', campaignId: c.id, idempotencyKey: `campaign:${c.id}:${contact.id}` });
    const batch = { from: undefined, to: contact.id, messages: [message], skipped: 0, done: false };
    expect(await store.campaigns.recordBatch(c.id, batch, AT)).toEqual({ outboxIds: [], applied: false }); // still a draft
    await store.campaigns.transition(c.id, ['draft'], 'scheduled', AT, AT);
    await store.campaigns.transition(c.id, ['scheduled'], 'sending', AT);
    const first = await store.campaigns.recordBatch(c.id, batch, AT);
    expect(first.applied).toBe(true);
    expect(first.outboxIds).toHaveLength(1);
    // the same batch again (a second process, a rerun after a crash): the cursor has moved, nothing is written
    expect(await store.campaigns.recordBatch(c.id, batch, AT)).toEqual({ outboxIds: [], applied: false });
    await store.campaigns.recordBatch(c.id, { from: contact.id, to: contact.id, messages: [], skipped: 2, done: true }, AT);
    expect(await store.campaigns.get(c.id)).toMatchObject({ state: 'done', cursor: contact.id, counts: { queued: 1, skipped: 2 } });
  });

  it('a queued message is deliverable until its contact opts out or the campaign is cancelled', async () => {
    const store = open();
    const who = phone();
    const contact = (await opt(store, who, 'in')).contact;
    const c = await store.campaigns.create({ name: 'Dengue', texts: { en: 'Empty standing water.' }, audience: {}, createdBy: 'test' }, AT);
    expect(await store.campaigns.deliverable(c.id, contact.id)).toBe('send');
    await opt(store, who, 'out');
    expect(await store.campaigns.deliverable(c.id, contact.id)).toBe('opted out');
    await opt(store, who, 'in');
    await store.campaigns.transition(c.id, ['draft'], 'cancelled', AT);
    expect(await store.campaigns.deliverable(c.id, contact.id)).toBe('cancelled');
    expect(await store.campaigns.transition(c.id, ['draft', 'scheduled', 'sending'], 'cancelled', AT)).toBeUndefined();
  });
});
