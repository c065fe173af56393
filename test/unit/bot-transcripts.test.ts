import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ComplaintBot } from '../../src/bots/complaint-bot.ts';
import { loadMessages } from '../../src/bots/messages.ts';
import { TurnStorage } from '../../src/bots/turn-storage.ts';
import { loadGazetteer } from '../../src/config/gazetteer.ts';
import { ChannelMapping, type InboundMessage } from '../../src/model/index.ts';
import { createNormalizer } from '../../src/normalizer/index.ts';
import { routeComplaint } from '../../src/router/route.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ROOT } from '../support/bridge-process.ts';
import { citizenSms, OUR_NUMBER } from '../support/pipeline-parts.ts';

// Conversations as a citizen has them, through the real bot, botbuilder and a SQLite store; each turn is committed
// the way the pipeline will (Store.completeTurn), so state survives between turns only through the store.
const messages = loadMessages(join(ROOT, 'config', 'messages'));
const { wards, categories } = loadGazetteer(join(ROOT, 'config'));
const normalize = createNormalizer({ wards, categories });
const mapping = ChannelMapping.parse({
  id: 'sms-main',
  channel: 'sms',
  accountId: OUR_NUMBER,
  department: 'SWM',
  defaultLanguage: 'mr',
  replyPolicy: 'conversational',
  slaHours: 72,
});

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pmc-transcript-'));
  store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A citizen on SMS; `says` runs one turn and returns the bot's replies. `bot` may be swapped (a restart). */
function citizen(phone: string) {
  let n = 0;
  return {
    bot: new ComplaintBot(store, messages),
    async says(text: string, over: Partial<InboundMessage> = {}): Promise<string[]> {
      const message = citizenSms(text, { threadKey: phone, sender: { id: phone, phone }, externalId: `SM-${phone}-${++n}`, ...over });
      const [archived] = await store.archiveInbound([message]);
      const contact = await store.upsertContact({ channel: 'sms', channelUserId: phone, phone });
      const storage = new TurnStorage(store);
      const input = { message, normalized: normalize(message), contact, mapping, route: routeComplaint(mapping, new Date(message.receivedAt)) };
      const { replies } = await this.bot.turn(input, storage);
      await store.completeTurn({ inboundId: archived!.id, state: storage.held(), replies: [], now: new Date() });
      return replies.map((r) => r.text);
    },
  };
}

/** the notifier's turn for a resolved ticket, committed as the pipeline commits it */
async function askForRating(bot: ComplaintBot, phone: string, ticketNo: string) {
  const contact = await store.upsertContact({ channel: 'sms', channelUserId: phone });
  const language = (await store.getTicket(ticketNo))?.language ?? 'mr';
  const message = citizenSms('', { threadKey: phone, sender: { id: phone, phone }, externalId: `first-${phone}` });
  const storage = new TurnStorage(store);
  const input = { message, normalized: normalize(message), contact, mapping, route: routeComplaint(mapping, new Date()) };
  const asked = await bot.askForRating(input, { ticketNo, language }, storage);
  if (asked) await store.completeTurn({ state: storage.held(), replies: [], ratingRequested: ticketNo, now: new Date() });
  return asked;
}

/** an officer takes the ticket up and resolves it */
async function resolve(ticketNo: string): Promise<void> {
  await store.updateTicketStatus(ticketNo, 'in_progress', 'officer');
  await store.updateTicketStatus(ticketNo, 'resolved', 'officer');
}

const ticketIn = (reply: string | undefined) => /PMC\d+/.exec(reply ?? '')?.[0];

describe('intake', () => {
  it('files at once, with no questions, when the first message says what and where (Marathi)', async () => {
    const sunita = citizen('+919876501001');
    const [reply, ...more] = await sunita.says('कोथरूड डेपोजवळ तीन दिवसांपासून कचरा उचलला नाही');
    expect(more).toEqual([]);
    expect(reply).toMatch(/^आपली तक्रार नोंदवली आहे\. तक्रार क्र\. PMC\d+\. विभाग: घनकचरा व्यवस्थापन विभाग\./);
    const ticket = await store.getTicket(ticketIn(reply)!);
    expect(ticket).toMatchObject({ language: 'mr', ward: 'kothrud-bavdhan', category: 'garbage', department: 'SWM' });
  });

  it('asks only for the missing ward, then a photo, and files with every message as a source (romanised Marathi)', async () => {
    const ramesh = citizen('+919876501002');
    expect(await ramesh.says('amchya galli madhe 3 divas pani nahi')).toEqual([messages.mr.askWhere]);
    expect(await ramesh.says('Karve Nagar, Kothrud')).toEqual([messages.mr.askPhoto]);
    const [filed] = await ramesh.says('nahi');
    expect(filed).toContain('तक्रार क्र.');
    const ticket = await store.getTicket(ticketIn(filed)!);
    expect(ticket?.ward).toBe('warje-karvenagar');
    expect(ticket?.sources).toHaveLength(3);
    expect(ticket?.description.original).toContain('pani nahi');
  });

  it('starts from a photo alone: asks what, then where, and keeps the photo (Hindi)', async () => {
    const asha = citizen('+919876501003');
    const photo = { attachments: [{ kind: 'image' as const, mime: 'image/jpeg', url: 'https://media.example.org/p.jpg' }] };
    expect(await asha.says('', photo)).toEqual([messages.mr.askWhat]); // nothing to tell the language: the mapping's
    expect(await asha.says('यहाँ कूड़े का ढेर लगा है')).toEqual([messages.hi.askWhere]);
    const [filed] = await asha.says('हडपसर गाडीतळ के पास');
    expect(filed).toMatch(/^आपकी शिकायत दर्ज हो गई है/);
    expect((await store.getTicket(ticketIn(filed)!))?.attachments).toHaveLength(1);
  });

  it('continues where it was after a restart: the next turn runs on a new bot (English)', async () => {
    const john = citizen('+919876501004');
    expect(await john.says('Streetlight not working since last week')).toEqual([messages.en.askWhere]);
    john.bot = new ComplaintBot(store, messages); // another process, the same store
    expect(await john.says('near Baner gaon bus stop')).toEqual([messages.en.askPhoto]);
    expect((await john.says('no'))[0]).toMatch(/^Your complaint is registered\. Complaint no\. PMC\d+/);
  });
});

describe('language', () => {
  it('switches mid-conversation, asks the pending question again in the new language, and remembers', async () => {
    const meera = citizen('+919876501005');
    expect(await meera.says('आमच्या भागात पाणी येत नाही')).toEqual([messages.mr.askWhere]);
    expect(await meera.says('English please')).toEqual([messages.en.languageSet, messages.en.askWhere]);
    expect(await meera.says('Aundh')).toEqual([messages.en.askPhoto]);
    const contact = await store.upsertContact({ channel: 'sms', channelUserId: '+919876501005' });
    expect(contact.preferredLanguage).toBe('en');
  });
});

describe('status', () => {
  it('answers the owner, and gives anyone else the safe answer', async () => {
    const owner = citizen('+919876501006');
    const [filed] = await owner.says('Kothrud madhe rastyavar khup khadde aahet');
    const ticketNo = ticketIn(filed)!;
    expect((await owner.says(`status ${ticketNo.slice(3)}`))[0]).toMatch(new RegExp(`^तक्रार क्र\\. ${ticketNo}: नोंदवली आहे`));
    const other = citizen('+919876501007');
    expect(await other.says(`मेरी शिकायत ${ticketNo} का क्या हुआ?`)).toEqual([messages.hi.statusNotFound]);
  });
});

describe('feedback', () => {
  it('asks for a rating when a ticket is resolved and reads "५" as 5', async () => {
    const sunita = citizen('+919876501008');
    const [filed] = await sunita.says('कोथरूड डेपोजवळ कचरा उचलला नाही');
    const ticketNo = ticketIn(filed)!;
    await resolve(ticketNo);
    // the notifier's turn: asked on the citizen's conversation, the ticket marked asked in the same step
    const asked = await askForRating(new ComplaintBot(store, messages), '+919876501008', ticketNo);
    expect(asked?.replies.map((r) => r.text)).toEqual([messages.mr.askRating.replace('{ticketNo}', ticketNo)]);
    expect(asked?.replies[0]?.choices).toEqual(['1', '2', '3', '4', '5']); // buttons where the channel has them
    expect((await store.getTicket(ticketNo))?.ratingRequestedAt).toBeDefined();

    expect(await sunita.says('५')).toEqual([messages.mr.thanksRating]);
    expect((await store.getTicket(ticketNo))?.feedback?.rating).toBe(5);
  });
});

describe('feedback in English and romanised Marathi', () => {
  it('thanks a "five", and promises a call for a "don" below the average, flagging the ticket', async () => {
    const john = citizen('+919876501014');
    const [filedEn] = await john.says('Streetlight not working near Karve Road bus stop for a week');
    const ticketEn = ticketIn(filedEn)!;
    const raju = citizen('+919876501015');
    const [filedMr] = await raju.says('Hadapsar madhe rastyavar khup khadde ahet, lavkar durust kara');
    const ticketMr = ticketIn(filedMr)!;
    for (const no of [ticketEn, ticketMr]) {
      await resolve(no);
    }
    expect((await askForRating(john.bot, '+919876501014', ticketEn))?.language).toBe('en');
    expect(await john.says('five')).toEqual([messages.en.thanksRating]);
    expect((await askForRating(raju.bot, '+919876501015', ticketMr))?.replies.map((r) => r.text)).toEqual([messages.mr.askRating.replace('{ticketNo}', ticketMr)]);
    expect(await raju.says('don')).toEqual([messages.mr.followUp]);
    expect(await store.getTicket(ticketMr)).toMatchObject({ feedback: { rating: 2 }, followUp: true });
    expect(await store.getTicket(ticketEn)).toMatchObject({ feedback: { rating: 5 }, followUp: false });
  });
});

describe('a new complaint instead of a rating', () => {
  it('is taken as a complaint, not answered with "send a number from 1 to 5"', async () => {
    const ganesh = citizen('+919876501017');
    const [filed] = await ganesh.says('बिबवेवाडी येथे पथदिवा बंद आहे');
    const first = ticketIn(filed)!;
    await resolve(first);
    await askForRating(ganesh.bot, '+919876501017', first);
    expect(await ganesh.says('ठीक')).toEqual([messages.mr.ratingAgain]); // short, not a rating: asked again
    const [second] = await ganesh.says('वारजे येथे तीन दिवसांपासून पाणी येत नाही');
    expect(ticketIn(second)).toBeDefined();
    expect(ticketIn(second)).not.toBe(first);
    expect((await store.getTicket(first))?.feedback).toBeUndefined();
  });
});

describe('status in English and romanised Marathi', () => {
  it('"status PMC…" and "maza takrar kuthe ahe" answer the owner', async () => {
    const asha = citizen('+919876501016');
    const [filed] = await asha.says('Garbage not collected near Kothrud depot for three days');
    const ticketNo = ticketIn(filed)!;
    const [en] = await asha.says(`status ${ticketNo}`);
    expect(en).toMatch(new RegExp(`^Complaint no\\. ${ticketNo}: ${messages.en.statuses.received}`, 'u'));
    const [mr] = await asha.says('maza takrar kuthe ahe?');
    expect(mr).toContain(ticketNo);
  });
});

describe('a citizen in the middle of something', () => {
  it('is not asked for a rating until the complaint they are telling is filed', async () => {
    const asha = citizen('+919876501011');
    const [filed] = await asha.says('वारजे येथे पथदिवा बंद आहे');
    const ticketNo = ticketIn(filed)!;
    await resolve(ticketNo);
    expect(await asha.says('आमच्या गल्लीत पाणी येत नाही')).toEqual([messages.mr.askWhere]);
    expect(await askForRating(asha.bot, '+919876501011', ticketNo)).toBeUndefined();
    expect((await store.getTicket(ticketNo))?.ratingRequestedAt).toBeUndefined();
    expect(await asha.says('सिंहगड रोड')).toEqual([messages.mr.askPhoto]);
    const [second] = await asha.says('नाही');
    expect(second).toContain('तक्रार क्र.');
    expect((await askForRating(asha.bot, '+919876501011', ticketNo))?.replies).toHaveLength(1);
  });

  it('forgets a question left unanswered for a day: the next message is a new start', async () => {
    let now = new Date('2026-11-20T09:00:00.000Z');
    const vijay = citizen('+919876501012');
    vijay.bot = new ComplaintBot(store, messages, () => now);
    expect(await vijay.says('रस्त्यावर खड्डे पडले आहेत')).toEqual([messages.mr.askWhere]);
    now = new Date('2026-11-21T10:00:00.000Z');
    // a day later "कचरा उचलला नाही, कोथरूड" is a complaint of its own, not the answer to "where?"
    const [filed] = await vijay.says('कोथरूड डेपोजवळ कचरा उचलला नाही');
    const ticket = await store.getTicket(ticketIn(filed)!);
    expect(ticket?.description.original).not.toContain('खड्डे');
    expect(ticket?.category).toBe('garbage');
  });
});

describe('information', () => {
  it('answers an FAQ question in the citizen\'s language, even in the middle of a complaint, then asks again', async () => {
    const meera = citizen('+919876501013');
    expect(await meera.says('ईमेल से शिकायत कैसे करें?')).toEqual([messages.hi.faq.email!.answer]);
    expect(await meera.says('आमच्या सोसायटीसमोर कचऱ्याचा ढीग साचला आहे')).toEqual([messages.mr.askWhere]);
    expect(await meera.says('location kasa pathvu?')).toEqual([messages.mr.faq.photo!.answer, messages.mr.askWhere]);
    const [filed] = await meera.says('बाणेर, बालेवाडी फाटा');
    expect(filed).toBe(messages.mr.askPhoto);
    expect(await store.listTickets()).toEqual([]); // the questions filed nothing
  });

  it('gives the helpline and office hours', async () => {
    const [reply] = await citizen('+919876501009').says('helpline number?');
    expect(reply).toContain('1800 1030 222');
  });
});
