import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountAdmin } from '../../src/admin/index.ts';
import { FileAttachmentStore } from '../../src/attachments/file-attachment-store.ts';
import { loadMessages } from '../../src/bots/messages.ts';
import { loadGazetteer } from '../../src/config/gazetteer.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Connector } from '../../src/connectors/connector.ts';
import { createEmailConnector, emailOptionsFromConfig, type EmailConnectorOptions } from '../../src/connectors/email/index.ts';
import { registerBodyParsers } from '../../src/http/form-body.ts';
import type { Ticket } from '../../src/model/index.ts';
import { previousDay } from '../../src/notify/digest-figures.ts';
import { overdueAlertTask } from '../../src/notify/overdue-alerts.ts';
import { DIGEST_CURSOR, staffDigestTask } from '../../src/notify/staff-digest.ts';
import { ChannelHealth } from '../../src/pipeline/channel-health.ts';
import { InProcessQueue } from '../../src/pipeline/in-process-queue.ts';
import { Pipeline } from '../../src/pipeline/pipeline.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { addStaff, getPage, signIn } from '../support/admin-staff.ts';
import { ROOT } from '../support/bridge-process.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../support/smtp-sink.ts';
import { until } from '../support/wait.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const logger = pino({ level: 'silent' });
const MESSAGES = loadMessages(join(ROOT, 'config', 'messages'));
const CATEGORIES = loadGazetteer(join(ROOT, 'config')).categories;

const name = (en: string, mr: string) => ({ en, mr });
const RECORDS = [
  { kind: 'department' as const, id: 'SWM', data: { id: 'SWM', name: name('Solid Waste Management', 'घनकचरा व्यवस्थापन विभाग'), email: 'swm@pmc.example.in', enabled: true } },
  // no address: its overdue tickets alert nobody
  { kind: 'department' as const, id: 'WATER', data: { id: 'WATER', name: name('Water Supply', 'पाणीपुरवठा विभाग'), enabled: true } },
  { kind: 'ward' as const, id: 'kothrud-bavdhan', data: { id: 'kothrud-bavdhan', name: name('Kothrud-Bavdhan', 'कोथरूड-बावधन'), email: 'kothrud@pmc.example.in', enabled: true } },
  { kind: 'ward' as const, id: 'hadapsar-mundhwa', data: { id: 'hadapsar-mundhwa', name: name('Hadapsar-Mundhwa', 'हडपसर-मुंढवा'), email: 'hadapsar@pmc.example.in', enabled: true } },
  { kind: 'ward' as const, id: 'aundh-baner', data: { id: 'aundh-baner', name: name('Aundh-Baner', 'औंध-बाणेर'), enabled: true } },
  { kind: 'ward' as const, id: 'yerawada', data: { id: 'yerawada', name: name('Yerawada-Kalas-Dhanori', 'येरवडा-कळस-धानोरी'), email: 'yerawada@pmc.example.in', enabled: false } },
];

/** the bridge's parts that send staff mail: a real store, the email connector to a real SMTP server, the pipeline */
interface Bridge {
  store: SqliteStore;
  pipeline: Pipeline;
  email: Connector;
  close(): Promise<void>;
}

describe('staff are told: the daily digest and overdue alerts', () => {
  let dir: string;
  let sink: SmtpSink;
  let bridge: Bridge;
  let clock: Date;
  const t: Record<string, Ticket> = {};
  let morning: Date;

  async function startBridge(): Promise<Bridge> {
    const { config } = loadConfig({ env: { IMAP_URL: 'imap://bridge:secret@127.0.0.1:9', SMTP_URL: sink.url, MAIL_FROM: 'PMC तक्रार <complaints@pmc.example.in>' }, dir: join(ROOT, 'config') });
    const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    const email = createEmailConnector(emailOptionsFromConfig(config) as EmailConnectorOptions, {
      store, attachments: new FileAttachmentStore(join(dir, 'files')), health: new ChannelHealth(), logger, subjects: { mr: 'तक्रार', hi: 'शिकायत', en: 'Complaint' },
    });
    const deps = { store, config, connectors: [email], logger };
    const pipeline = new Pipeline({
      store, queue: new InProcessQueue(), connectors: [email], logger, defaults: config.defaults, messages: MESSAGES, categories: CATEGORIES,
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, keepTryingMs: 0 }, concurrency: 2,
      // swept by the test only, at the time it says
      sweepIntervalMs: HOUR, now: () => clock,
      tasks: [staffDigestTask(deps), overdueAlertTask(deps)],
    });
    await pipeline.start();
    return { store, pipeline, email, close: async () => { await pipeline.stop(); await email.close?.(); await store.close(); } };
  }

  let seq = 0;
  async function file(key: string, o: { department: string; ward?: string; dueIn: number; text: string }): Promise<Ticket> {
    const phone = `+9198220${String(++seq).padStart(5, '0')}`;
    const contact = await bridge.store.upsertContact({ channel: 'sms', channelUserId: phone, phone });
    const { ticket } = await bridge.store.createTicket({
      source: { channel: 'sms', accountId: '+912066000000', externalId: `SM-staff-${seq}` }, contact, language: 'mr',
      description: { original: o.text, normalized: o.text }, department: o.department, ...(o.ward ? { ward: o.ward } : {}), attachments: [],
      slaDueAt: new Date(morning.getTime() + o.dueIn).toISOString(), by: 'test',
    });
    t[key] = ticket;
    return ticket;
  }

  const staffEntries = async () => (await bridge.store.listOutbox()).filter((e) => e.message.kind === 'staff');
  /** every staff mail queued so far was taken by the SMTP server */
  const allSent = async (n: number) => {
    await until(`${n} staff mails sent`, async () => (await staffEntries()).filter((e) => e.state === 'sent').length === n);
    return sink.waitFor(n);
  };
  const mailsTo = (address: string): ReceivedMail[] => sink.received.filter((m) => m.to.includes(address));
  const sweepAt = async (at: Date) => {
    clock = at;
    await bridge.pipeline.sweep();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-staff-digest-'));
    sink = await startSmtpSink();
    // the tickets are filed now (the store's clock); the digest goes the next India morning, 08:05 IST
    morning = new Date(previousDay(new Date(Date.now() + DAY)).to.getTime() + 8 * HOUR + 5 * 60_000);
    // started at 07:35 IST, before anything is filed
    clock = new Date(morning.getTime() - 30 * 60_000);
    bridge = await startBridge();
    await bridge.store.admin.saveRecords(RECORDS.map((r) => ({ ...r, action: 'seed' })), 'config', new Date());
    await file('k1', { department: 'SWM', ward: 'kothrud-bavdhan', dueIn: -2 * HOUR, text: 'कोथरूड येथे तीन दिवसांपासून कचरा उचलला नाही' });
    await file('k2', { department: 'SWM', ward: 'kothrud-bavdhan', dueIn: -HOUR, text: 'कर्वे रस्त्यावर कचराकुंडी भरून वाहते आहे' });
    await file('k3', { department: 'WATER', ward: 'kothrud-bavdhan', dueIn: DAY, text: 'Low water pressure in Kothrud since Monday' });
    await file('k4', { department: 'SWM', ward: 'kothrud-bavdhan', dueIn: 7 * 60_000, text: 'बावधन में कचरा नहीं उठाया गया' });
    await file('old', { department: 'SWM', ward: 'kothrud-bavdhan', dueIn: -5 * DAY, text: 'पौड रस्त्यावर जुना कचरा' });
    await file('h1', { department: 'SWM', ward: 'hadapsar-mundhwa', dueIn: 2 * DAY, text: 'हडपसर गाडीतळ येथे कचरा' });
    await file('a1', { department: 'WATER', ward: 'aundh-baner', dueIn: -3 * HOUR, text: 'बाणेर रस्त्यावर पाईपलाईन फुटली आहे' });
    await file('y1', { department: 'SWM', ward: 'yerawada', dueIn: DAY, text: 'Garbage not collected near Yerawada' });
    const during = new Date();
    await bridge.store.changeTicket(t.k1!.ticketNo, { department: 'SWM', note: 'घनकचरा विभागाकडे', by: 'user:ganesh', at: during });
    // resolved before it fell due: never overdue, never alerted; the citizen's low rating flags it
    await bridge.store.changeTicket(t.k2!.ticketNo, { status: 'resolved', note: 'कचराकुंडी रिकामी केली', by: 'user:ganesh', at: during });
    await bridge.store.setFollowUp(t.k2!.ticketNo, true);
    await bridge.store.setFollowUp(t.k3!.ticketNo, true);
    await bridge.store.changeTicket(t.h1!.ticketNo, { status: 'resolved', note: 'कचरा उचलला', by: 'user:asha', at: during });
  });

  afterAll(async () => {
    await bridge?.close();
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('alerts a department of its overdue ticket once, and mails each ward office with an address its digest once, at the digest hour', async () => {
    // 07:45 IST: the ticket past due alerts its department at once; the digest waits for 08:00
    await sweepAt(new Date(morning.getTime() - 20 * 60_000));
    await allSent(1);
    const { day } = previousDay(morning);
    expect((await staffEntries()).map((e) => e.message.idempotencyKey)).toEqual([`overdue:${t.k1!.ticketNo}`]);

    await sweepAt(morning);
    await allSent(3);
    const [kothrud] = mailsTo('kothrud@pmc.example.in');
    expect(kothrud!.parsed.subject).toBe(`दैनिक अहवाल कोथरूड-बावधन / Daily digest Kothrud-Bavdhan, ${day}`);
    expect(kothrud!.parsed.from?.value[0]?.address).toBe('complaints@pmc.example.in');
    const [mr, en] = kothrud!.parsed.text!.split('\n\n');
    expect(mr).toMatch(/^कोथरूड-बावधन क्षेत्रीय कार्यालय: \d{1,2} \S+ \d{4} चा तक्रार अहवाल\n/);
    expect(mr).toContain('प्राप्त तक्रारी: 5\nपुढे पाठवलेल्या: 1\nनिकाली काढलेल्या: 1\n');
    expect(mr).toContain(`मुदत संपलेल्या (आज उघड्या): 2 — ${t.k1!.ticketNo}, ${t.old!.ticketNo}\n`);
    expect(mr).toContain(`पाठपुराव्यासाठी खूण केलेल्या: 2 — ${t.k2!.ticketNo}, ${t.k3!.ticketNo}\n`);
    expect(en).toContain('Received: 5\nForwarded: 1\nResolved: 1\n');
    expect(en).toContain(`Overdue (open now): 2 — ${t.k1!.ticketNo}, ${t.old!.ticketNo}\n`);
    // nothing of the citizens
    expect(kothrud!.parsed.text).not.toMatch(/\+9198220|कचराकुंडी/);
    const [hadapsar] = mailsTo('hadapsar@pmc.example.in');
    expect(hadapsar!.parsed.text).toContain('प्राप्त तक्रारी: 1\nपुढे पाठवलेल्या: 0\nनिकाली काढलेल्या: 1\nमुदत संपलेल्या (आज उघड्या): 0\n');
    // no address, or the office is disabled: no mail
    expect(sink.received.flatMap((m) => m.to).sort()).toEqual(['hadapsar@pmc.example.in', 'kothrud@pmc.example.in', 'swm@pmc.example.in']);

    // the department hears of its ticket past due; not of the one resolved in time, nor the one overdue for days
    const [alert] = mailsTo('swm@pmc.example.in');
    expect(alert!.parsed.subject).toBe(`मुदत संपली / Overdue: ${t.k1!.ticketNo}`);
    expect(alert!.parsed.text).toContain(`तक्रार ${t.k1!.ticketNo} ची मुदत`);
    expect(alert!.parsed.text).toContain('विभाग: घनकचरा व्यवस्थापन विभाग; क्षेत्रीय कार्यालय: कोथरूड-बावधन; स्थिती: पुढे पाठवली.');
    expect(alert!.parsed.text).toContain(`Complaint ${t.k1!.ticketNo} was due on`);
    expect((await staffEntries()).map((e) => e.message.idempotencyKey).sort()).toEqual([`digest:hadapsar-mundhwa:${day}`, `digest:kothrud-bavdhan:${day}`, `overdue:${t.k1!.ticketNo}`]);

    // ten minutes on: the ticket that fell due meanwhile alerts; the first does not again, nor does the digest
    await sweepAt(new Date(morning.getTime() + 10 * 60_000));
    await allSent(4);
    expect(mailsTo('swm@pmc.example.in').map((m) => m.parsed.subject)).toEqual([`मुदत संपली / Overdue: ${t.k1!.ticketNo}`, `मुदत संपली / Overdue: ${t.k4!.ticketNo}`]);
    expect(mailsTo('kothrud@pmc.example.in')).toHaveLength(1);
    expect(await staffEntries()).toHaveLength(4);
  });

  it('sends nothing again after a restart the same day, even one that lost the digest’s cursor', async () => {
    await bridge.close();
    // a crash after the digests were queued and before their day was written down
    clock = new Date(morning.getTime() + HOUR);
    bridge = await startBridge();
    await bridge.store.setCursor(DIGEST_CURSOR, '');
    await sweepAt(new Date(morning.getTime() + 2 * HOUR));
    expect(await staffEntries()).toHaveLength(4);
    expect((await staffEntries()).every((e) => e.state === 'sent')).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.received).toHaveLength(4);
  });

  it('shows a ward office with no address its figures on the admin home page, and each officer only their own', async () => {
    await addStaff(bridge.store, [
      { id: 'meera', name: 'मीरा कुलकर्णी', role: 'officer', wards: ['aundh-baner'] },
      { id: 'sunita', name: 'सुनीता देशमुख', role: 'supervisor' },
    ]);
    const server = Fastify();
    registerBodyParsers(server);
    mountAdmin(server, { store: bridge.store, categories: ['garbage'], channels: () => [], health: () => [], changed: async () => undefined, retried: () => undefined, logger, now: () => clock });
    const base = await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      // the digest at the top of the home page, before the queue
      const digestOf = (page: string) => page.slice(page.indexOf('<section class="digest"'), page.indexOf('</section>', page.indexOf('<section class="digest"')));
      const officer = digestOf(await (await getPage(base, '/admin/tickets', await signIn(base, 'meera'))).text());
      const row = (ward: string) => new RegExp(`<td data-label="क्षेत्रीय कार्यालय">${ward}</td>\\s*<td data-label="प्राप्त">(\\d+)</td>\\s*<td data-label="पुढे पाठवलेल्या">(\\d+)</td>\\s*<td data-label="निकाली">(\\d+)</td>\\s*<td data-label="मुदत संपलेल्या"[^>]*><b>(\\d+)</b>`);
      expect(officer).toContain('<h2 id="digest-title">काल, ');
      expect(officer.match(row('औंध-बाणेर'))?.slice(1)).toEqual(['1', '0', '0', '1']);
      expect(officer).toContain(`href="/admin/tickets/${t.a1!.ticketNo}"`);
      expect(officer).not.toContain('कोथरूड-बावधन</td>');

      const supervisor = digestOf(await (await getPage(base, '/admin/tickets', await signIn(base, 'sunita'))).text());
      expect(supervisor.match(row('कोथरूड-बावधन'))?.slice(1)).toEqual(['5', '1', '1', '3']);
      expect(supervisor.match(row('हडपसर-मुंढवा'))?.slice(1)).toEqual(['1', '0', '1', '0']);
      expect(supervisor.match(row('औंध-बाणेर'))?.slice(1)).toEqual(['1', '0', '0', '1']);
      // a disabled ward office has nobody to read it
      expect(supervisor).not.toContain('येरवडा');
      // the queue filtered is no home page
      expect(await (await getPage(base, '/admin/tickets?overdue=true', await signIn(base, 'sunita'))).text()).not.toContain('digest-title');
    } finally {
      await server.close();
    }
  });

  it('sends the next day’s digest the next morning', async () => {
    const next = new Date(morning.getTime() + DAY);
    await sweepAt(next);
    await allSent(6);
    const { day } = previousDay(next);
    expect(mailsTo('kothrud@pmc.example.in').map((m) => m.parsed.subject)).toEqual([
      `दैनिक अहवाल कोथरूड-बावधन / Daily digest Kothrud-Bavdhan, ${previousDay(morning).day}`,
      `दैनिक अहवाल कोथरूड-बावधन / Daily digest Kothrud-Bavdhan, ${day}`,
    ]);
    // a day with nothing filed; what is still overdue is still listed
    const text = mailsTo('kothrud@pmc.example.in')[1]!.parsed.text!;
    expect(text).toContain('प्राप्त तक्रारी: 0\n');
    expect(text).toContain(`Overdue (open now): 3 — ${t.k1!.ticketNo}, ${t.k4!.ticketNo}, ${t.old!.ticketNo}\n`);
  });
});
