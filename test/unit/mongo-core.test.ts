import { describe, expect, it } from 'vitest';
import { Ticket, type InboundMessage } from '../../src/model/index.ts';
import { CampaignSchema } from '../../src/store/mongo/campaigns.ts';
import { contactModel, ContactSchema, identityKey, toContact } from '../../src/store/mongo/contacts.ts';
import { ConversationSchema, WakeupSchema } from '../../src/store/mongo/conversations.ts';
import { inboundDoc, inboundModel, InboundSchema, toArchived } from '../../src/store/mongo/inbound.ts';
import { offlineConnection } from '../../src/store/mongo/offline-connection.ts';
import { outboxDoc, outboxModel, OutboxSchema, toOutboxEntry } from '../../src/store/mongo/outbox.ts';
import { historyModel, HistorySchema, sourceKey, ticketDoc, ticketModel, TicketSchema, toTicket, type TicketRead } from '../../src/store/mongo/ticket-docs.ts';
import { TEXTS, inbound, outbound } from '../contract/store-fixtures.ts';

// Real mongoose models on a connection that never connects: validation, casting and index definitions are
// mongoose's own work, done without a server.
const conn = offlineConnection();
const NOW = '2026-11-27T10:00:00.000Z';

/** each index as [keys, options] */
const indexes = (schema: { indexes(): unknown[] }) => schema.indexes() as [Record<string, unknown>, Record<string, unknown>][];
/** the paths validation refuses (mongoose's own validate; none for a valid document) */
async function refused(doc: { validate(): Promise<void> }): Promise<string[]> {
  try {
    await doc.validate();
    return [];
  } catch (err) {
    return Object.keys((err as { errors?: Record<string, unknown> }).errors ?? {}).sort();
  }
}
const indexOn = (schema: { indexes(): unknown[] }, keys: Record<string, unknown>) => indexes(schema).find(([k]) => JSON.stringify(k) === JSON.stringify(keys));

function filedTicket(over: Partial<Ticket> = {}): Ticket {
  return Ticket.parse({
    ticketNo: 'PMC100001',
    status: 'received',
    history: [{ at: NOW, by: 'bridge', from: null, to: 'received' }],
    citizen: { contactId: 'c-1', name: 'सुनीता पाटील', phone: '+919876543210', identities: [{ channel: 'sms', id: '+919876543210' }] },
    language: 'mr',
    description: { original: TEXTS.mr, normalized: TEXTS.mr },
    category: 'garbage',
    department: 'solid-waste',
    ward: 'kothrud',
    location: { lat: 18.5074, lon: 73.8077, label: 'कोथरूड डेपो' },
    attachments: [{ kind: 'image', mime: 'image/jpeg', size: 2048, url: 'https://example.test/a.jpg' }],
    sources: [{ channel: 'sms', accountId: '+912025501000', externalId: 'SM1' }],
    slaDueAt: '2026-11-30T10:00:00.000Z',
    followUp: false,
    createdAt: NOW,
    updatedAt: NOW,
    ...over,
  });
}

describe('MongoDB schemas: the unique keys and indexes the store relies on', () => {
  it('archives one message per (channel, accountId, externalId) and finds due ones by state and time', () => {
    expect(indexOn(InboundSchema, { channel: 1, accountId: 1, externalId: 1 })?.[1]).toMatchObject({ unique: true });
    expect(indexOn(InboundSchema, { state: 1, nextAttemptAt: 1 })).toBeDefined();
  });

  it('keeps one contact per channel identity, per phone and per email (absent ones not indexed)', () => {
    // absent, not [], on a contact without an identity: a unique multikey index files [] under one key
    expect(indexOn(ContactSchema, { identityKeys: 1 })?.[1]).toMatchObject({ unique: true, partialFilterExpression: { identityKeys: { $exists: true } } });
    expect(indexOn(ContactSchema, { phone: 1 })?.[1]).toMatchObject({ unique: true, partialFilterExpression: { phone: { $exists: true } } });
    expect(indexOn(ContactSchema, { email: 1 })?.[1]).toMatchObject({ unique: true, partialFilterExpression: { email: { $exists: true } } });
    expect(indexOn(ContactSchema, { announcements: 1, _id: 1 })).toBeDefined();
    // two such contacts (a claimed sender whose identity another holds) are both outside the index
    const bare = new (contactModel(conn))({ _id: 'c-bare', name: 'सुनीता', identities: [], createdAt: '2026-12-02T08:00:00.000Z', updatedAt: '2026-12-02T08:00:00.000Z' });
    expect(bare.toObject()).not.toHaveProperty('identityKeys');
  });

  it('files one ticket per source, numbers them uniquely, and indexes status, ward, department, due and location', () => {
    expect(indexOn(TicketSchema, { sourceKeys: 1 })?.[1]).toMatchObject({ unique: true });
    expect(indexOn(TicketSchema, { ticketNo: 1 })?.[1]).toMatchObject({ unique: true });
    expect(indexOn(TicketSchema, { status: 1, _id: 1 })).toBeDefined();
    expect(indexOn(TicketSchema, { ward: 1, status: 1 })).toBeDefined();
    expect(indexOn(TicketSchema, { department: 1, status: 1 })).toBeDefined();
    expect(indexOn(TicketSchema, { slaDueAt: 1, status: 1 })).toBeDefined();
    expect(indexOn(TicketSchema, { point: '2dsphere' })).toBeDefined();
    expect(indexOn(HistorySchema, { ticket: 1, _id: 1 })).toBeDefined();
    expect(indexOn(HistorySchema, { at: 1 })).toBeDefined();
  });

  it('queues once per idempotency key, finds receipts by provider id and due entries by state and time', () => {
    expect(indexOn(OutboxSchema, { idempotencyKey: 1 })?.[1]).toMatchObject({ unique: true });
    expect(indexOn(OutboxSchema, { providerId: 1 })?.[1]).toMatchObject({ partialFilterExpression: { providerId: { $exists: true } } });
    expect(indexOn(OutboxSchema, { state: 1, nextAttemptAt: 1 })).toBeDefined();
    expect(indexOn(WakeupSchema, { wakeAt: 1 })).toBeDefined();
    expect(indexOn(CampaignSchema, { state: 1, scheduledAt: 1 })).toBeDefined();
    // a conversation's key is its _id: no other index to keep
    expect(indexes(ConversationSchema)).toEqual([]);
  });
});

describe('MongoDB documents: validation and casting', () => {
  it('a filed ticket makes a valid document, with a GeoJSON point (lon, lat) for the 2dsphere index', async () => {
    const t = filedTicket();
    const doc = ticketDoc(100001, t);
    expect(await refused(new (ticketModel(conn))(doc))).toEqual([]);
    expect(doc.point).toEqual({ type: 'Point', coordinates: [73.8077, 18.5074] });
    expect(doc.sourceKeys).toEqual([sourceKey(t.sources[0]!)]);
    expect(ticketDoc(100002, filedTicket({ location: undefined })).point).toBeUndefined();
  });

  it('refuses a status the model does not know, a latitude off the globe and a ticket number in lower case', async () => {
    const Tickets = ticketModel(conn);
    expect(await refused(new Tickets({ ...ticketDoc(1, filedTicket()), status: 'lost', ticketNo: 'pmc1', location: { lat: 95, lon: 73.8 } }))).toEqual(['location.lat', 'status', 'ticketNo']);
    expect(await refused(new Tickets({ _id: 2, ticketNo: 'PMC2' }))).toEqual(expect.arrayContaining(['status', 'department', 'slaDueAt', 'language', 'description.original']));
  });

  it('casts numbers and booleans written as text, as a query from a form would give them', async () => {
    const d = new (inboundModel(conn))({ ...inboundDoc(1, inbound(), NOW), _id: '42', attempts: '3', public: 'true' });
    expect(await refused(d)).toEqual([]);
    expect([d._id, d.attempts, d.public]).toEqual([42, 3, true]);
    expect(await refused(new (inboundModel(conn))({ ...inboundDoc(1, inbound(), NOW), state: 'lost' }))).toEqual(['state']);
    const h = new (historyModel(conn))({ _id: '7', ticket: '100001', ticketNo: 'PMC100001', at: NOW, by: 'user:ravi', to: 'forwarded' });
    expect(await refused(h)).toEqual([]);
    expect([h._id, h.ticket, h.from]).toEqual([7, 100001, null]); // the filing's "from" is null, never absent
  });

  it('refuses a contact phone that is not E.164 and lower-cases an email', async () => {
    const Contacts = contactModel(conn);
    const base = { _id: 'c-1', identities: [{ channel: 'sms', id: '+919876543210' }], identityKeys: [identityKey('sms', '+919876543210')], createdAt: NOW, updatedAt: NOW };
    expect(await refused(new Contacts({ ...base, phone: '09876543210' }))).toEqual(['phone']);
    expect(await refused(new Contacts({ ...base, identities: [{ channel: 'pager', id: 'x' }] }))).toContain('identities.0.channel');
    const ok = new Contacts({ ...base, phone: '+919876543210', email: 'Sunita.Patil@Example.IN' });
    expect(await refused(ok)).toEqual([]);
    expect(ok.email).toBe('sunita.patil@example.in');
  });

  it('an outbox entry is valid and reads back as the message queued, in Hindi', async () => {
    const m = outbound({ text: 'हमारी टीम काम कर रही है', language: 'hi', kind: 'status' });
    const doc = outboxDoc(5, m, NOW);
    expect(await refused(new (outboxModel(conn))(doc))).toEqual([]);
    expect(doc).toMatchObject({ channel: 'sms', accountId: m.accountId, threadKey: m.threadKey, ticketNo: m.ticketNo, kind: 'status' });
    expect(toOutboxEntry(doc)).toEqual({ id: 5, message: m, state: 'pending', attempts: 0, nextAttemptAt: NOW, createdAt: NOW, updatedAt: NOW });
  });
});

describe('MongoDB documents: what is read back', () => {
  it('keeps a raw payload exactly, keys MongoDB would refuse included (JSON text)', () => {
    const raw = { 'a.b': 1, $where: 'x', nested: { nul: null, big: 9007199254740991 }, 'key with ünïcödé': '\u0000 tab\t' };
    const m: InboundMessage = inbound({ channel: 'facebook', text: TEXTS.emoji, raw, public: true, sender: { id: 'psid-1', name: 'राम' } });
    const doc = inboundDoc(9, m, NOW);
    expect(doc).toMatchObject({ senderId: 'psid-1', public: true, threadKey: m.threadKey, receivedAt: m.receivedAt });
    expect(toArchived(doc)).toEqual({ id: 9, message: m, state: 'pending', attempts: 0, nextAttemptAt: NOW, duplicates: 0, archivedAt: NOW });
  });

  it('shows the ticket with the live contact, its history in order, and optional fields absent', () => {
    const t = filedTicket({ ward: undefined, category: undefined });
    const read: TicketRead = {
      ...ticketDoc(100001, t),
      history: [
        { _id: 12, ticket: 100001, ticketNo: t.ticketNo, at: '2026-11-28T10:00:00.000Z', by: 'user:ravi', from: 'received', to: 'forwarded', note: 'पाणीपुरवठा विभागाकडे' },
        { _id: 3, ticket: 100001, ticketNo: t.ticketNo, at: NOW, by: 'bridge', from: null, to: 'received' },
      ],
      contact: [{ _id: 'c-1', name: 'Sunita', email: 'sunita@example.in', identities: [{ channel: 'sms', id: '+919876543210' }, { channel: 'email', id: 'sunita@example.in' }], identityKeys: [], createdAt: NOW, updatedAt: NOW }],
    };
    const back = toTicket(read);
    expect(Ticket.parse(back)).toEqual(back);
    expect(back.history.map((h) => h.to)).toEqual(['received', 'forwarded']);
    expect(back.citizen).toEqual({ contactId: 'c-1', name: 'Sunita', email: 'sunita@example.in', identities: read.contact[0]!.identities });
    expect('ward' in back || 'category' in back).toBe(false);
    // without the contact (deleted), the filing's snapshot
    expect(toTicket({ ...read, contact: [] }).citizen).toEqual(t.citizen);
  });

  it('gives a contact with only what it has', () => {
    const c = toContact({ _id: 'c-2', identities: [{ channel: 'twitter', id: '88' }], identityKeys: [identityKey('twitter', '88')], createdAt: NOW, updatedAt: NOW });
    expect(c).toEqual({ id: 'c-2', identities: [{ channel: 'twitter', id: '88' }], createdAt: NOW, updatedAt: NOW });
  });

  it('keys sources and identities so that no two different ones collide', () => {
    expect(sourceKey({ channel: 'email', accountId: 'a:b', externalId: 'c' })).not.toBe(sourceKey({ channel: 'email', accountId: 'a', externalId: 'b:c' }));
    expect(identityKey('sms', '+919876543210')).not.toBe(identityKey('phone', '+919876543210'));
  });
});
