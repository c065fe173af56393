import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerStatus } from '../../src/bots/answer-status.ts';
import { formatDate } from '../../src/bots/format-date.ts';
import { loadMessages } from '../../src/bots/messages.ts';
import { recordRating } from '../../src/bots/record-rating.ts';
import type { Contact } from '../../src/model/index.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { TicketDraft } from '../../src/store/store.ts';
import { ROOT } from '../support/bridge-process.ts';

const messages = loadMessages(join(ROOT, 'config', 'messages'));
let dir: string;
let store: SqliteStore;
let seq = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pmc-bot-answers-'));
  store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const citizen = (phone: string) => store.upsertContact({ channel: 'sms', channelUserId: phone, phone });
const draft = (contact: Contact): TicketDraft => ({
  source: { channel: 'sms', accountId: '+912066000000', externalId: `SM${++seq}` },
  contact,
  language: 'mr',
  description: { original: 'कचरा उचलला नाही', normalized: 'कचरा उचलला नाही' },
  department: 'SWM',
  attachments: [],
  slaDueAt: '2026-11-30T06:30:00.000Z',
  by: 'test',
});

const SMS = { here: messages.mr.here.sms };

describe('answerStatus', () => {
  it('tells the owner the status and due date of the ticket they quote, in their language, a date as written in a letter', async () => {
    const sunita = await citizen('+919876500011');
    const { ticket } = await store.createTicket(draft(sunita));
    await store.updateTicketStatus(ticket.ticketNo, 'in_progress', 'officer');
    expect(await answerStatus(store, sunita, [ticket.ticketNo], messages, 'mr', SMS)).toEqual([
      `तक्रार क्रमांक ${ticket.ticketNo}: काम सुरू आहे. अपेक्षित मुदत: 30 नोव्हेंबर 2026.`,
    ]);
    expect((await answerStatus(store, sunita, [ticket.ticketNo], messages, 'hi', SMS))[0]).toBe(`शिकायत नंबर ${ticket.ticketNo}: काम चल रहा है। अपेक्षित समय-सीमा: 30 नवंबर 2026।`);
    expect((await answerStatus(store, sunita, [ticket.ticketNo], messages, 'en', SMS))[0]).toBe(`Complaint ${ticket.ticketNo}: work in progress. Due by 30 November 2026.`);
  });

  it('names the department only when the category chose it: the mapping default tells the citizen nothing', async () => {
    const sunita = await citizen('+919876500016');
    const { ticket: byCategory } = await store.createTicket({ ...draft(sunita), category: 'garbage' });
    const { ticket: byMapping } = await store.createTicket(draft(sunita));
    expect((await answerStatus(store, sunita, [byCategory.ticketNo], messages, 'mr', SMS))[0]).toContain('विभाग: घनकचरा व्यवस्थापन विभाग.');
    expect((await answerStatus(store, sunita, [byMapping.ticketNo], messages, 'mr', SMS))[0]).not.toContain('विभाग');
  });

  it('says when a resolved ticket was resolved, not when it was due', async () => {
    const sunita = await citizen('+919876500017');
    const { ticket } = await store.createTicket(draft(sunita));
    await store.updateTicketStatus(ticket.ticketNo, 'resolved', 'officer', 'cleared the heap');
    const resolvedOn = (await store.getTicket(ticket.ticketNo))!.history.at(-1)!.at;
    for (const lang of ['mr', 'hi', 'en'] as const) {
      const [answer] = await answerStatus(store, sunita, [ticket.ticketNo], messages, lang, SMS);
      expect(answer).toContain(messages[lang].statuses.resolved);
      expect(answer).toContain(formatDate(resolvedOn, lang));
      expect(answer).not.toMatch(/30 (नोव्हेंबर|नवंबर|November)/);
    }
  });

  it('gives anyone else the same answer as for a number that does not exist', async () => {
    const sunita = await citizen('+919876500012');
    const ramesh = await citizen('+919876500013');
    const { ticket } = await store.createTicket(draft(sunita));
    const someoneElses = await answerStatus(store, ramesh, [ticket.ticketNo], messages, 'en', SMS);
    const noSuch = await answerStatus(store, ramesh, ['PMC99999'], messages, 'en', SMS);
    expect(someoneElses).toEqual(noSuch);
    expect(someoneElses[0]).not.toContain(ticket.ticketNo);
    expect(someoneElses[0]).not.toContain(messages.en.departments.SWM!);
  });

  it('without a number, lists the citizen’s open tickets, newest first, or says there are none', async () => {
    const sunita = await citizen('+919876500014');
    const first = (await store.createTicket(draft(sunita))).ticket;
    const second = (await store.createTicket(draft(sunita))).ticket;
    const closed = (await store.createTicket(draft(sunita))).ticket;
    await store.updateTicketStatus(closed.ticketNo, 'rejected', 'officer');
    const answers = await answerStatus(store, sunita, [], messages, 'en', SMS);
    expect(answers.map((a) => a.match(/PMC\d+/)?.[0])).toEqual([second.ticketNo, first.ticketNo]);
    const nobody = await citizen('+919876500015');
    expect(await answerStatus(store, nobody, [], messages, 'mr', SMS)).toEqual([messages.mr.statusNone.replace('{here}', messages.mr.here.sms)]);
  });
});

describe('recordRating', () => {
  const resolvedTicket = async (phone: string) => (await store.createTicket(draft(await citizen(phone)))).ticket;

  it('thanks a rating at or above the running average, and flags one below it for a call back', async () => {
    const now = new Date('2026-11-27T10:00:00Z');
    const a = await resolvedTicket('+919876500021');
    const b = await resolvedTicket('+919876500022');
    const c = await resolvedTicket('+919876500023');
    expect(await recordRating(store, a.ticketNo, 5, messages, 'mr', now)).toEqual({ text: messages.mr.thanksRating, followUp: false, reopened: false });
    expect(await recordRating(store, b.ticketNo, 5, messages, 'hi', now)).toEqual({ text: messages.hi.thanksRating, followUp: false, reopened: false });
    const low = await recordRating(store, c.ticketNo, 3, messages, 'en', now);
    expect(low).toEqual({ text: messages.en.followUp, followUp: true, reopened: false });
    expect((await store.getTicket(c.ticketNo))?.followUp).toBe(true);
    expect((await store.getTicket(a.ticketNo))?.followUp).toBe(false);
  });

  it('reopens a resolved ticket whose citizen says the problem is still there, and says so', async () => {
    const now = new Date('2026-11-27T10:00:00Z');
    const t = await resolvedTicket('+919876500025');
    await store.updateTicketStatus(t.ticketNo, 'resolved', 'officer');
    const outcome = await recordRating(store, t.ticketNo, 1, messages, 'en', now, { persists: true, comment: 'Nothing was done, the light is still off' });
    expect(outcome).toEqual({ text: messages.en.reopened.replace('{ticketNo}', t.ticketNo), followUp: true, reopened: true });
    const after = await store.getTicket(t.ticketNo);
    expect(after).toMatchObject({ status: 'reopened', followUp: true, feedback: { rating: 1 } });
    expect(after?.history.at(-1)).toMatchObject({ by: 'citizen', to: 'reopened', note: expect.stringContaining('light is still off') });
  });

  it('with no rating yet, takes 2 or less as unhappy', async () => {
    const now = new Date('2026-11-27T10:00:00Z');
    const t = await resolvedTicket('+919876500024');
    expect((await recordRating(store, t.ticketNo, 2, messages, 'mr', now)).followUp).toBe(true);
  });
});
