import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMessages } from '../../src/bots/messages.ts';
import { loadConfig } from '../../src/config/load.ts';
import { loadGazetteer } from '../../src/config/gazetteer.ts';
import { seedAdminRecords, seedSourceOf } from '../../src/admin/seed.ts';
import type { InboundMessage, OutboxEntry, Ticket } from '../../src/model/index.ts';
import { createNormalizer } from '../../src/normalizer/index.ts';
import { InProcessQueue } from '../../src/pipeline/in-process-queue.ts';
import { Pipeline } from '../../src/pipeline/pipeline.ts';
import { RoutingTable } from '../../src/router/routing-table.ts';
import { STATUS_CURSOR, tellChanges, type StatusUpdateDeps } from '../../src/notify/status-updates.ts';
import { afterQuietHours } from '../../src/notify/quiet-hours.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ROOT } from '../support/bridge-process.ts';
import { citizenSms, COMPLAINT, recordingSmsConnector, sourceOf } from '../support/pipeline-parts.ts';
import { until } from '../support/wait.ts';

const { config } = loadConfig({ env: {}, dir: join(ROOT, 'config') });
const MESSAGES = loadMessages(join(ROOT, 'config', 'messages'));
const SETTLE_MS = 60_000;
const QUIET = { from: '21:00', to: '08:00' };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** a store with tickets filed the way the bridge files them (an SMS each, acknowledged), and the updates' deps */
async function setUp(texts: string[]): Promise<{ file: string; store: SqliteStore; deps: StatusUpdateDeps; tickets: Ticket[]; messages: InboundMessage[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-status-'));
  const file = join(dir, 'bridge.db');
  const store = SqliteStore.open(file, { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close().catch(() => undefined));
  const sms = recordingSmsConnector();
  const logger = pino({ level: 'silent' });
  // the rules, SLA and priorities the bridge seeds from config/ (a drainage overflow is urgent)
  const configDir = join(ROOT, 'config');
  await seedAdminRecords(store, seedSourceOf(config, configDir, loadGazetteer(configDir), MESSAGES), new Date());
  const gazetteer = loadGazetteer(configDir);
  const routing = new RoutingTable({ store, defaults: config.defaults, logger, categories: gazetteer.categories, calendarPath: join(configDir, 'holidays.yaml') });
  const pipeline = new Pipeline({ store, queue: new InProcessQueue(), connectors: [sms.connector], logger, defaults: config.defaults, messages: MESSAGES, routing, normalize: createNormalizer({ wards: gazetteer.wards, categories: gazetteer.categories, ticketPrefix: 'PMC' }), retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10, keepTryingMs: 0 }, concurrency: 4, sweepIntervalMs: 50 });
  await pipeline.start();
  const messages = texts.map((t) => citizenSms(t));
  await pipeline.accept(messages);
  const tickets = await until('the tickets to be filed', async () => {
    const found = await Promise.all(messages.map((m) => store.findTicketBySource(sourceOf(m))));
    return found.every((t) => t !== undefined) ? (found as Ticket[]) : undefined;
  });
  await pipeline.stop();
  await store.admin.saveRecords([{ kind: 'ward', id: 'kothrud-bavdhan', data: { id: 'kothrud-bavdhan', name: { en: 'Kothrud-Bavdhan ward office', mr: 'कोथरूड-बावधन क्षेत्रीय कार्यालय' }, enabled: true }, action: 'create' }], 'test', new Date());
  const deps: StatusUpdateDeps = { store, messages: MESSAGES, routing, connectors: new Map([['sms', sms.connector]]), quietHours: QUIET, settleMs: SETTLE_MS, logger };
  return { file, store, deps, tickets, messages };
}

// 11:00 IST on a working day
const MORNING = new Date('2026-12-02T05:30:00Z');
const later = (at: Date, ms: number) => new Date(at.getTime() + ms);
const statusSent = async (store: SqliteStore, ticketNo: string): Promise<OutboxEntry[]> =>
  (await store.listOutbox({ ticketNo })).filter((e) => e.message.kind === 'status').sort((a, b) => a.id - b.id);

describe('status updates', () => {
  it('tell each change once, in the citizen’s language, on their channel; the officer’s note for them, never the internal one', async () => {
    const { store, deps, tickets, messages } = await setUp([COMPLAINT.mr, COMPLAINT.hi, COMPLAINT.en]);
    const [mr, hi, en] = tickets as [Ticket, Ticket, Ticket];
    await store.changeTicket(mr.ticketNo, { status: 'in_progress', note: 'कनिष्ठ अभियंता पवार यांना दिले', by: 'user:officer', at: MORNING });
    await store.changeTicket(hi.ticketNo, { status: 'resolved', note: 'ठेकेदार बदलला — अंतर्गत', publicNote: 'पाइपलाइन की मरम्मत हो गई है', by: 'user:officer', at: MORNING });
    await store.changeTicket(en.ticketNo, { status: 'rejected', publicNote: 'This road belongs to PWD, not PMC', by: 'user:officer', at: MORNING });

    expect(await tellChanges(deps, later(MORNING, 30_000))).toEqual([]); // not settled yet
    const queued = await tellChanges(deps, later(MORNING, SETTLE_MS));
    expect(queued).toHaveLength(3);

    const [toMr] = await statusSent(store, mr.ticketNo);
    expect(toMr!.message).toMatchObject({ channel: 'sms', to: messages[0]!.sender.id, language: 'mr', ticketNo: mr.ticketNo });
    expect(toMr!.message.text).toContain(`तक्रार क्रमांक ${mr.ticketNo} वर काम सुरू झाले आहे`);
    expect(toMr!.message.text).not.toContain('पवार'); // the internal note
    const [toHi] = await statusSent(store, hi.ticketNo);
    expect(toHi!.message.text).toContain('निवारण कर दिया गया है');
    expect(toHi!.message.text).toContain('पाइपलाइन की मरम्मत हो गई है');
    expect(toHi!.message.text).not.toContain('ठेकेदार');
    const [toEn] = await statusSent(store, en.ticketNo);
    expect(toEn!.message.text).toMatch(new RegExp(`complaint ${en.ticketNo} could not be taken up\\. Reason: This road belongs to PWD, not PMC`));

    // the next run finds nothing new
    expect(await tellChanges(deps, later(MORNING, 2 * SETTLE_MS))).toEqual([]);
    expect(await store.listOutbox({ ticketNo: mr.ticketNo })).toHaveLength(2); // the acknowledgement and the update
  });

  it('a burst of changes within the settle time gives the latest only; a change after it is told on its own', async () => {
    const { store, deps, tickets } = await setUp([COMPLAINT.mr]);
    const no = tickets[0]!.ticketNo;
    await store.changeTicket(no, { ward: 'kothrud-bavdhan', note: 'चुकीचे कार्यालय', by: 'user:a', at: MORNING });
    await store.changeTicket(no, { status: 'in_progress', note: 'सुरू', by: 'user:a', at: later(MORNING, 20_000) });
    await store.changeTicket(no, { status: 'resolved', note: 'झाले', publicNote: 'कचरा उचलला', by: 'user:a', at: later(MORNING, 40_000) });
    await tellChanges(deps, later(MORNING, 40_000 + SETTLE_MS));
    const told = await statusSent(store, no);
    expect(told.map((e) => e.message.text)).toEqual([expect.stringContaining('निकाली काढण्यात आली आहे. अधिकाऱ्यांची टीप: कचरा उचलला')]);

    await store.changeTicket(no, { status: 'reopened', note: 'नागरिकाने फोन केला', by: 'user:a', at: later(MORNING, 600_000) });
    await tellChanges(deps, later(MORNING, 600_000 + SETTLE_MS));
    expect((await statusSent(store, no)).map((e) => e.message.text)).toEqual([expect.stringContaining('निकाली'), expect.stringContaining('पुन्हा उघडली आहे')]);
  });

  it('names the ward office a forward sent the complaint to', async () => {
    const { store, deps, tickets } = await setUp([COMPLAINT.mr]);
    const no = tickets[0]!.ticketNo;
    await store.changeTicket(no, { ward: 'kothrud-bavdhan', note: 'हद्दीत येते', by: 'user:a', at: MORNING });
    await tellChanges(deps, later(MORNING, SETTLE_MS));
    expect((await statusSent(store, no))[0]!.message.text).toContain(`तक्रार क्रमांक ${no} पुढील कार्यवाहीसाठी कोथरूड-बावधन क्षेत्रीय कार्यालय यांच्याकडे पाठवली आहे`);
  });

  it('never tells a change twice: not when the cursor was lost in a crash, not after the store is reopened', async () => {
    const { file, store, deps, tickets } = await setUp([COMPLAINT.en]);
    const no = tickets[0]!.ticketNo;
    await store.changeTicket(no, { status: 'in_progress', note: 'assigned', by: 'user:a', at: MORNING });
    expect(await tellChanges(deps, later(MORNING, SETTLE_MS))).toHaveLength(1);
    // the outbox row was written, the cursor's move was not: the next run sees the change again
    await store.setCursor(STATUS_CURSOR, '0');
    expect(await tellChanges(deps, later(MORNING, SETTLE_MS + 1000))).toEqual([]);
    await store.close();
    const reopened = SqliteStore.open(file, { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    cleanups.push(() => reopened.close().catch(() => undefined));
    expect(await tellChanges({ ...deps, store: reopened }, later(MORNING, SETTLE_MS + 2000))).toEqual([]);
    expect(await statusSent(reopened, no)).toHaveLength(1);
  });

  it('tells a status another system wrote straight into the shared store', async () => {
    const { file, store, deps, tickets } = await setUp([COMPLAINT.hi]);
    const no = tickets[0]!.ticketNo;
    const other = new Database(file);
    other.prepare(`UPDATE tickets SET status = 'in_progress', updated_at = ? WHERE ticket_no = ?`).run(new Date().toISOString(), no);
    other.close();
    expect((await store.getTicket(no))!.history.at(-1)).toMatchObject({ by: 'store', from: 'received', to: 'in_progress' });
    // at whatever hour the test runs
    await tellChanges({ ...deps, quietHours: null }, later(new Date(), SETTLE_MS));
    const told = await statusSent(store, no);
    expect(told).toHaveLength(1);
    expect(told[0]!.message.text).toContain(`शिकायत नंबर ${no} पर काम शुरू हो गया है`);
  });

  it('holds updates in quiet hours and tells the night’s latest at 08:00 IST; an urgent complaint’s at once', async () => {
    const { store, deps, tickets } = await setUp([COMPLAINT.mr, 'कोथरूड मध्ये ड्रेनेज तुंबले आहे, रस्त्यावर घाण पाणी']);
    const [normal, other] = tickets as [Ticket, Ticket];
    const urgent = (await store.getTicket(other.ticketNo))!;
    expect(urgent.priority, 'config/routing.yaml makes a drainage overflow urgent').toBe('urgent');
    const night = new Date('2026-12-02T16:30:00Z'); // 22:00 IST
    await store.changeTicket(normal.ticketNo, { ward: 'kothrud-bavdhan', note: 'x', by: 'user:a', at: night });
    await store.changeTicket(urgent.ticketNo, { status: 'in_progress', note: 'x', by: 'user:a', at: later(night, 1000) });
    await store.changeTicket(normal.ticketNo, { status: 'in_progress', note: 'y', by: 'user:a', at: later(night, 3_600_000) }); // 23:00
    expect(await tellChanges(deps, later(night, SETTLE_MS + 1000))).toHaveLength(1);
    expect(await statusSent(store, urgent.ticketNo)).toHaveLength(1);
    expect(await tellChanges(deps, later(night, 2 * 3_600_000))).toEqual([]);
    expect(await statusSent(store, normal.ticketNo)).toEqual([]);
    // 08:00 IST: the forward is old news, the work that started after it is told
    await tellChanges(deps, new Date('2026-12-03T02:30:00.000Z'));
    expect((await statusSent(store, normal.ticketNo)).map((e) => e.message.text)).toEqual([expect.stringContaining('वर काम सुरू झाले आहे')]);
    expect(await statusSent(store, urgent.ticketNo)).toHaveLength(1);
    // nothing is left behind the cursor
    expect(await tellChanges(deps, new Date('2026-12-03T03:30:00.000Z'))).toEqual([]);
  });

  it('a change followed by one that is not told (a close, a note, the citizen’s own) is still told; a note on the same stage is not', async () => {
    const { store, deps, tickets } = await setUp([COMPLAINT.en, COMPLAINT.hi]);
    const [closed, noted] = tickets as [Ticket, Ticket];
    await store.changeTicket(closed.ticketNo, { status: 'resolved', publicNote: 'Light repaired', by: 'user:a', at: MORNING });
    await store.changeTicket(closed.ticketNo, { status: 'closed', note: 'verified', by: 'user:a', at: later(MORNING, 10_000) });
    await store.changeTicket(noted.ticketNo, { status: 'in_progress', note: 'assigned', by: 'user:a', at: MORNING });
    await store.changeTicket(noted.ticketNo, { status: 'in_progress', note: 'called the contractor', by: 'user:a', at: later(MORNING, 120_000) });
    await tellChanges(deps, later(MORNING, 120_000 + SETTLE_MS));
    expect((await statusSent(store, closed.ticketNo)).map((e) => e.message.text)).toEqual([expect.stringContaining('has been resolved. Officer\'s note: Light repaired')]);
    expect(await statusSent(store, noted.ticketNo)).toHaveLength(1);
  });

  it('gives the officer’s words room: an update with a note may take four SMS parts', async () => {
    const { store, deps, tickets } = await setUp([COMPLAINT.mr]);
    const no = tickets[0]!.ticketNo;
    const note = 'कचरा उचलला, परिसराची स्वच्छता केली आणि औषध फवारणी केली. पुढील आठवड्यापासून घंटागाडी रोज सकाळी आठ वाजता येईल.';
    await store.changeTicket(no, { status: 'resolved', publicNote: note, by: 'user:a', at: MORNING });
    await tellChanges(deps, later(MORNING, SETTLE_MS));
    expect((await statusSent(store, no))[0]!.message.text).toContain(note);
  });

  it('does not tell the citizen what they did themselves, or the filing they were answered for', async () => {
    const { store, deps, tickets } = await setUp([COMPLAINT.mr]);
    const no = tickets[0]!.ticketNo;
    await store.changeTicket(no, { status: 'resolved', note: 'x', by: 'user:a', at: new Date() });
    await store.updateTicketStatus(no, 'reopened', 'citizen', 'the citizen, rating 1: not solved');
    await tellChanges({ ...deps, quietHours: null }, later(new Date(), SETTLE_MS));
    // the resolution is news; the reopening was the citizen's own (answered in their conversation), the filing too
    expect((await statusSent(store, no)).map((e) => e.message.text)).toEqual([expect.stringContaining('निकाली')]);
    expect((await store.getTicket(no))!.history).toHaveLength(3);
    expect(await tellChanges({ ...deps, quietHours: null }, later(new Date(), 2 * SETTLE_MS))).toEqual([]);
  });
});

describe('afterQuietHours', () => {
  const at = (iso: string) => new Date(iso);
  it('holds what falls in quiet hours until they end, IST, across midnight and within a day', () => {
    const night = { from: '21:00', to: '08:00' };
    expect(afterQuietHours(at('2026-12-02T15:29:00Z'), night).toISOString()).toBe('2026-12-02T15:29:00.000Z'); // 20:59 IST
    expect(afterQuietHours(at('2026-12-02T15:30:00Z'), night).toISOString()).toBe('2026-12-03T02:30:00.000Z'); // 21:00 IST
    expect(afterQuietHours(at('2026-12-02T19:00:00Z'), night).toISOString()).toBe('2026-12-03T02:30:00.000Z'); // 00:30 IST
    expect(afterQuietHours(at('2026-12-03T02:30:00Z'), night).toISOString()).toBe('2026-12-03T02:30:00.000Z'); // 08:00 IST
    const lunch = { from: '13:00', to: '14:00' };
    expect(afterQuietHours(at('2026-12-02T07:45:00Z'), lunch).toISOString()).toBe('2026-12-02T08:30:00.000Z'); // 13:15 → 14:00 IST
    expect(afterQuietHours(at('2026-12-02T08:30:00Z'), lunch).toISOString()).toBe('2026-12-02T08:30:00.000Z');
    expect(afterQuietHours(at('2026-12-02T19:00:00Z'), null).toISOString()).toBe('2026-12-02T19:00:00.000Z');
    expect(afterQuietHours(at('2026-12-02T19:00:00Z'), { from: '08:00', to: '08:00' }).toISOString()).toBe('2026-12-02T19:00:00.000Z');
  });
});
