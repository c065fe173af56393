import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { Connector } from '../../src/connectors/connector.ts';
import type { Ticket, WardOffice } from '../../src/model/index.ts';
import { previousDay, wardDigests } from '../../src/notify/digest-figures.ts';
import { digestMail, overdueMail } from '../../src/notify/digest-text.ts';
import { DIGEST_CURSOR, staffDigestTask } from '../../src/notify/staff-digest.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ROOT } from '../support/bridge-process.ts';

const { config } = loadConfig({ env: {}, dir: join(ROOT, 'config') });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function openStore(): SqliteStore {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-digest-'));
  const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

const KOTHRUD: WardOffice = { id: 'kothrud-bavdhan', name: { en: 'Kothrud-Bavdhan', mr: 'कोथरूड-बावधन' }, enabled: true };
const HADAPSAR: WardOffice = { id: 'hadapsar-mundhwa', name: { en: 'Hadapsar-Mundhwa', mr: 'हडपसर-मुंढवा' }, enabled: true };
const TEXTS = ['कोथरूड येथे कचरा उचलला नाही', 'हडपसर में पानी नहीं आ रहा', 'Streetlight not working on Karve Road'];

let seq = 0;
async function file(store: SqliteStore, o: { ward?: string; department?: string; slaDueAt?: string } = {}): Promise<Ticket> {
  seq++;
  const phone = `+9198230${String(seq).padStart(5, '0')}`;
  const contact = await store.upsertContact({ channel: 'sms', channelUserId: phone, phone });
  const text = TEXTS[seq % TEXTS.length]!;
  const { ticket } = await store.createTicket({
    source: { channel: 'sms', accountId: '+912066000000', externalId: `SM-digest-${seq}` },
    contact,
    language: 'mr',
    description: { original: text, normalized: text },
    department: o.department ?? 'SWM',
    ...(o.ward ? { ward: o.ward } : {}),
    attachments: [],
    slaDueAt: o.slaDueAt ?? new Date(Date.now() + 86_400_000).toISOString(),
    by: 'test',
  });
  return ticket;
}

describe('the staff digest', () => {
  it('counts a ward office’s tickets filed, forwarded and resolved in the period, each once, and those flagged for follow-up now', async () => {
    const store = openStore();
    const from = new Date(Date.now() - 3600_000);
    const to = new Date(Date.now() + 3600_000);
    const a = await file(store, { ward: KOTHRUD.id });
    const b = await file(store, { ward: KOTHRUD.id });
    const c = await file(store, { ward: KOTHRUD.id });
    const d = await file(store, { ward: HADAPSAR.id });
    await file(store);
    // forwarded twice in the period: one ticket forwarded; the second forward moves it to another office
    await store.changeTicket(a.ticketNo, { department: 'WATER', by: 'user:ganesh', at: from });
    await store.changeTicket(d.ticketNo, { ward: KOTHRUD.id, by: 'user:ganesh', at: new Date(from.getTime() + 60_000) });
    await store.changeTicket(d.ticketNo, { department: 'SWM', by: 'user:ganesh', at: new Date(from.getTime() + 120_000) });
    await store.changeTicket(b.ticketNo, { status: 'resolved', note: 'कचरा उचलला', by: 'user:ganesh', at: new Date(from.getTime() + 180_000) });
    // at `to` is the next period's
    await store.changeTicket(c.ticketNo, { status: 'resolved', note: 'done', by: 'user:ganesh', at: to });
    // flagged: b (resolved) and c (open) count; a closed one needs no call back
    await store.setFollowUp(b.ticketNo, true);
    await store.setFollowUp(c.ticketNo, true);
    const e = await file(store, { ward: KOTHRUD.id });
    await store.changeTicket(e.ticketNo, { status: 'resolved', note: 'ok', by: 'user:ganesh', at: new Date(to.getTime() + 1) });
    await store.changeTicket(e.ticketNo, { status: 'closed', by: 'user:ganesh', at: new Date(to.getTime() + 2) });
    await store.setFollowUp(e.ticketNo, true);

    const counts = await store.countHistory({ from, to, listed: 1 });
    const kothrud = counts.find((x) => x.ward === KOTHRUD.id);
    // a, b, c, d (now Kothrud's) and e were filed in the period; d was forwarded twice, a once
    expect(kothrud).toEqual({ ward: KOTHRUD.id, received: 5, forwarded: 2, resolved: 1, followUp: 2, followUpTicketNos: [b.ticketNo] });
    expect(counts.find((x) => x.ward === HADAPSAR.id)).toBeUndefined();
    expect(counts.find((x) => x.ward === null)).toMatchObject({ received: 1, forwarded: 0, resolved: 0, followUp: 0 });
    // nothing in a period before any of it
    expect(await store.countHistory({ from: new Date(from.getTime() - 7_200_000), to: new Date(from.getTime() - 3_600_000), listed: 5 })).toEqual([
      { ward: KOTHRUD.id, received: 0, forwarded: 0, resolved: 0, followUp: 2, followUpTicketNos: [b.ticketNo, c.ticketNo] },
    ]);
  });

  it('reports the India day before, from midnight to midnight IST', () => {
    // 07:30 IST on 4 March
    expect(previousDay(new Date('2026-03-04T02:00:00Z'))).toEqual({ day: '2026-03-03', from: new Date('2026-03-02T18:30:00Z'), to: new Date('2026-03-03T18:30:00Z') });
    // 23:59 IST on 3 March, and 00:00 IST on 4 March
    expect(previousDay(new Date('2026-03-03T18:29:59Z')).day).toBe('2026-03-02');
    expect(previousDay(new Date('2026-03-03T18:30:00Z')).day).toBe('2026-03-03');
  });

  it('lists the overdue tickets of each office oldest first, and says how many more there are past twenty', async () => {
    const store = openStore();
    const now = new Date(Date.now() + 3 * 86_400_000);
    const late = [];
    for (let i = 0; i < 22; i++) late.push(await file(store, { ward: HADAPSAR.id }));
    const resolved = await file(store, { ward: HADAPSAR.id });
    await store.changeTicket(resolved.ticketNo, { status: 'resolved', note: 'पाणी आले', by: 'user:asha', at: new Date() });
    const [digest] = await wardDigests(store, [HADAPSAR], now);
    expect(digest!.overdue.count).toBe(22);
    expect(digest!.overdue.ticketNos).toEqual(late.slice(0, 20).map((t) => t.ticketNo));

    const mail = digestMail(digest!);
    const [mr, en] = mail.text.split('\n\n');
    expect(mr).toContain('हडपसर-मुंढवा क्षेत्रीय कार्यालय');
    expect(mr).toContain(`मुदत संपलेल्या (आज उघड्या): 22 — ${late[0]!.ticketNo}, `);
    expect(mr).toContain(`${late[19]!.ticketNo} आणि आणखी 2`);
    expect(en).toContain('Hadapsar-Mundhwa ward office');
    expect(en).toContain(`${late[19]!.ticketNo} and 2 more`);
    expect(en).not.toContain(late[20]!.ticketNo);
    expect(mail.subject).toBe(`दैनिक अहवाल हडपसर-मुंढवा / Daily digest Hadapsar-Mundhwa, ${digest!.day}`);

    // an office with nothing to say says zero, in both languages
    const quiet = digestMail({ ward: KOTHRUD, day: '2026-03-03', received: 0, forwarded: 0, resolved: 0, overdue: { count: 0, ticketNos: [] }, followUp: { count: 0, ticketNos: [] } });
    expect(quiet.text).toContain('कोथरूड-बावधन क्षेत्रीय कार्यालय: 3 मार्च 2026 चा तक्रार अहवाल\nप्राप्त तक्रारी: 0\n');
    expect(quiet.text).toContain('Kothrud-Bavdhan ward office: complaints on 3 March 2026\nReceived: 0\n');
    expect(quiet.text).toContain('Overdue (open now): 0\n');
  });

  it('writes an overdue alert in Marathi, then English, with nothing of the citizen', () => {
    const ticket = {
      ticketNo: 'PMC10042', status: 'forwarded', slaDueAt: '2026-03-03T12:30:00.000Z', priority: 'urgent',
      citizen: { contactId: 'c1', name: 'सुनीता जाधव', phone: '+919822012345', identities: [] },
      description: { original: 'माझा नंबर 9822012345, कचरा', normalized: 'कचरा' },
    } as unknown as Ticket;
    const mail = overdueMail(ticket, { id: 'SWM', name: { en: 'Solid Waste Management', mr: 'घनकचरा व्यवस्थापन विभाग' }, enabled: true }, KOTHRUD);
    expect(mail.subject).toBe('मुदत संपली / Overdue: PMC10042');
    const [mr, en] = mail.text.split('\n\n');
    expect(mr).toContain('तक्रार PMC10042 ची मुदत 3 मार्च 2026, 18:00 भा.प्र.वे. रोजी संपली');
    expect(mr).toContain('विभाग: घनकचरा व्यवस्थापन विभाग; क्षेत्रीय कार्यालय: कोथरूड-बावधन; स्थिती: पुढे पाठवली; तातडीची.');
    expect(en).toContain('Complaint PMC10042 was due on 3 March 2026, 18:00 IST');
    expect(mail.text).not.toMatch(/9822012345|सुनीता/);
  });

  it('waits for the digest hour, sends nothing without email, and counts the day once', async () => {
    const store = openStore();
    await store.admin.saveRecords([{ kind: 'ward', id: KOTHRUD.id, data: { ...KOTHRUD, email: 'kothrud@pmc.example.in' }, action: 'seed' }], 'test', new Date());
    const noEmail: Connector[] = [];
    const task = staffDigestTask({ store, config, connectors: noEmail, logger: pino({ level: 'silent' }) });
    // 07:59 IST, then 08:00 IST (the default digest hour)
    expect(await task.run(new Date('2026-03-04T02:29:00Z'))).toEqual([]);
    expect(await store.getCursor(DIGEST_CURSOR)).toBeUndefined();
    expect(await task.run(new Date('2026-03-04T02:30:00Z'))).toEqual([]);
    expect(await store.getCursor(DIGEST_CURSOR)).toBe('2026-03-03');
    expect(await store.listOutbox()).toEqual([]);

    const off = staffDigestTask({ store, config: { ...config, notify: { ...config.notify, digestHour: null } }, connectors: noEmail, logger: pino({ level: 'silent' }) });
    expect(await off.run(new Date('2026-03-05T06:00:00Z'))).toEqual([]);
    expect(await store.getCursor(DIGEST_CURSOR)).toBe('2026-03-03');
  });
});

