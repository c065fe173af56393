import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ComplaintBot } from '../../src/bots/complaint-bot.ts';
import type { Feedback } from '../../src/model/index.ts';
import { messages, text, ticketIn, transcriptWorld, type TranscriptWorld } from '../support/transcript.ts';

// The rating as a citizen gives it, through the real bot and a SQLite store: compared with the running average of
// the ticket's department in its ward office (5 ratings there), else its department's (5), else all tickets';
// then one optional "why?".
let w: TranscriptWorld;
beforeEach(() => {
  w = transcriptWorld();
});
afterEach(() => w.close());

let seeded = 0;
/** other citizens' rated tickets of a department and ward office, as earlier ratings left them */
async function ratedElsewhere(department: string, ward: string, values: readonly Feedback['rating'][]): Promise<void> {
  for (const rating of values) {
    const phone = `+9198777${String(++seeded).padStart(5, '0')}`;
    const contact = await w.store.upsertContact({ channel: 'sms', channelUserId: phone, phone });
    const { ticket } = await w.store.createTicket({
      source: { channel: 'sms', accountId: '+912066000000', externalId: `SM-earlier-${seeded}` },
      contact,
      language: 'mr',
      description: { original: 'कचरा', normalized: 'कचरा' },
      department,
      ward,
      attachments: [],
      slaDueAt: '2026-11-30T06:30:00.000Z',
      by: 'test',
    });
    await w.store.recordFeedback(ticket.ticketNo, { rating, at: '2026-11-30T06:30:00.000Z' });
  }
}

/** a citizen's complaint filed through the bot, resolved, and the rating asked for */
async function askedToRate(phone: string, complaint: string, opts: { reopenBelowAverage?: boolean } = {}) {
  const citizen = w.citizen(phone);
  if (opts.reopenBelowAverage) citizen.bot = new ComplaintBot(w.botOptions({ reopenBelowAverage: true }));
  const ticketNo = ticketIn((await citizen.says(complaint))[0])!;
  await w.resolve(ticketNo);
  expect(await citizen.askedToRate(ticketNo)).toHaveLength(1);
  return { citizen, ticketNo, ticket: (await w.store.getTicket(ticketNo))! };
}

describe('a rating against the running average', () => {
  it('flags "२" below its department’s average for a call back, and still asks why (Marathi)', async () => {
    const { citizen, ticketNo, ticket } = await askedToRate('+919876502001', 'कोथरूड डेपोजवळ कचरा उचलला नाही');
    expect(ticket).toMatchObject({ department: 'SWM', ward: 'kothrud-bavdhan' });
    await ratedElsewhere('SWM', 'hadapsar-mundhwa', [4, 4, 3, 4, 5]); // 4.0 in the department, none in Kothrud
    await ratedElsewhere('ROADS', 'kothrud-bavdhan', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]); // 2.0 overall: 2 is not below that
    expect(await citizen.says('२')).toEqual([messages.mr.followUp, messages.mr.askComment]);
    expect(await w.store.getTicket(ticketNo)).toMatchObject({ status: 'resolved', followUp: true, feedback: { rating: 2 } });
  });

  it('goes by the ward office’s average once 5 are rated there in its department (Hindi)', async () => {
    const { citizen, ticketNo, ticket } = await askedToRate('+919876502002', 'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है');
    expect(ticket.ward).toBeDefined();
    await ratedElsewhere(ticket.department, ticket.ward!, [1, 2, 1, 2, 1]); // 1.4 here
    await ratedElsewhere(ticket.department, 'some-other-ward', [5, 5, 5, 5, 5]); // 3.2 in the whole department
    expect(await citizen.says('दो')).toEqual([messages.hi.askComment]);
    expect(await w.store.getTicket(ticketNo)).toMatchObject({ followUp: false, feedback: { rating: 2 } });
  });

  it('reopens the resolved ticket for a rating below the average when feedback.reopenBelowAverage is on (English)', async () => {
    const { citizen, ticketNo, ticket } = await askedToRate('+919876502003', 'Streetlight not working near Karve Road bus stop for a week', { reopenBelowAverage: true });
    await ratedElsewhere(ticket.department, 'elsewhere', [4, 5, 4, 5, 4]);
    expect(await citizen.says('2')).toEqual([messages.en.followUp, messages.en.askComment]);
    const after = (await w.store.getTicket(ticketNo))!;
    expect(after).toMatchObject({ status: 'reopened', followUp: true, feedback: { rating: 2 } });
    expect(after.history.at(-1)).toMatchObject({ by: 'citizen', from: 'resolved', to: 'reopened', note: expect.stringContaining('below the average') });
  });

  it('leaves a rating at the average alone, reopen or not (romanised Marathi)', async () => {
    const { citizen, ticketNo, ticket } = await askedToRate('+919876502004', 'Hadapsar madhe rastyavar khup khadde ahet, lavkar durust kara', { reopenBelowAverage: true });
    await ratedElsewhere(ticket.department, 'elsewhere', [4, 4, 4, 4, 4]);
    expect(await citizen.says('chaar')).toEqual([messages.mr.askComment]);
    expect(await w.store.getTicket(ticketNo)).toMatchObject({ status: 'resolved', followUp: false });
  });
});

describe('the comment after a rating', () => {
  it('takes the next message as the comment, even when it names the rated problem, and thanks for it (Marathi)', async () => {
    const { citizen, ticketNo } = await askedToRate('+919876502011', 'कोथरूड डेपोजवळ कचरा उचलला नाही');
    expect(await citizen.says('४')).toEqual([messages.mr.askComment]);
    expect(await citizen.says('गाडी उशिरा आली, पण कचरा उचलला')).toEqual([messages.mr.thanksComment]);
    expect((await w.store.getTicket(ticketNo))?.feedback).toMatchObject({ rating: 4, comment: 'गाडी उशिरा आली, पण कचरा उचलला' });
    expect(await w.tickets()).toHaveLength(1); // no new complaint filed from the comment
  });

  it.each([
    ['mr', 'कोथरूड डेपोजवळ कचरा उचलला नाही', '५', 'नाही'],
    ['mr', 'कोथरूड डेपोजवळ कचरा उचलला नाही', '5', 'काही नाही'],
    ['hi', 'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है', 'चार', 'नहीं'],
    ['hi', 'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है', '४', 'nahi ji'],
    ['en', 'Streetlight not working near Karve Road bus stop for a week', 'five', 'no thanks'],
    ['en', 'Streetlight not working near Karve Road bus stop for a week', '4', 'skip'],
  ] as const)('%s: a "%s" rating, then "%s", keeps no comment and says a plain thanks', async (lang, complaint, rating, refusal) => {
    const { citizen, ticketNo } = await askedToRate(`+9198765021${String(seeded++).padStart(2, '0')}`, complaint);
    expect(await citizen.says(rating)).toEqual([messages[lang].askComment]);
    expect(await citizen.says(refusal)).toEqual([messages[lang].thanks]);
    const feedback = (await w.store.getTicket(ticketNo))?.feedback;
    expect(feedback?.rating).toBeGreaterThanOrEqual(4);
    expect(feedback?.comment).toBeUndefined();
    expect(await w.tickets()).toHaveLength(1);
  });

  it('keeps a comment in Hindi and in English', async () => {
    const hi = await askedToRate('+919876502021', 'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है');
    expect(await hi.citizen.says('3')).toEqual([messages.hi.askComment]);
    expect(await hi.citizen.says('पानी आया लेकिन दबाव बहुत कम है')).toEqual([messages.hi.thanksComment]);
    expect((await w.store.getTicket(hi.ticketNo))?.feedback?.comment).toBe('पानी आया लेकिन दबाव बहुत कम है');

    const en = await askedToRate('+919876502022', 'Streetlight not working near Karve Road bus stop for a week');
    expect(await en.citizen.says('5')).toEqual([messages.en.askComment]);
    expect(await en.citizen.says('The crew came the next morning and were polite')).toEqual([messages.en.thanksComment]);
    expect((await w.store.getTicket(en.ticketNo))?.feedback?.comment).toBe('The crew came the next morning and were polite');
  });

  it('does not ask why when the rating already says it ("2, …", "५, …")', async () => {
    const en = await askedToRate('+919876502031', 'Streetlight not working near Karve Road bus stop for a week');
    // nobody rated before: 2 or less is unhappy
    expect(await en.citizen.says('2, the light was fixed only after ten days')).toEqual([messages.en.followUp]);
    expect((await w.store.getTicket(en.ticketNo))?.feedback).toMatchObject({ rating: 2, comment: 'the light was fixed only after ten days' });

    const mr = await askedToRate('+919876502032', 'कोथरूड डेपोजवळ कचरा उचलला नाही');
    expect(await mr.citizen.says('५, दुसऱ्याच दिवशी कचरा उचलला')).toEqual([messages.mr.thanksRating]);
    expect((await w.store.getTicket(mr.ticketNo))?.feedback).toMatchObject({ rating: 5, comment: 'दुसऱ्याच दिवशी कचरा उचलला' });
    // the conversation is free again: a new message is not taken as a comment
    const [filed] = await mr.citizen.says('वारजे येथे तीन दिवसांपासून पाणी येत नाही');
    expect(ticketIn(filed)).toBeDefined();
  });

  it('answers a status question sent instead of the comment, and files a new complaint sent instead of it', async () => {
    const { citizen, ticketNo } = await askedToRate('+919876502041', 'कोथरूड डेपोजवळ कचरा उचलला नाही');
    expect(await citizen.says('४')).toEqual([messages.mr.askComment]);
    const [status, ...more] = await citizen.says(`${ticketNo} cha kay zala`);
    expect(status).toContain(ticketNo);
    expect(status).toContain(messages.mr.statuses.resolved);
    expect(more).toEqual([]); // "why?" is not asked again
    expect((await w.store.getTicket(ticketNo))?.feedback?.comment).toBeUndefined();

    const second = await askedToRate('+919876502042', 'कोथरूड डेपोजवळ कचरा उचलला नाही');
    expect(await second.citizen.says('४')).toEqual([messages.mr.askComment]);
    const [filed] = await second.citizen.says('वारजे येथे तीन दिवसांपासून पाणी येत नाही');
    const newTicket = ticketIn(filed);
    expect(newTicket).toBeDefined();
    expect(newTicket).not.toBe(second.ticketNo);
    expect((await w.store.getTicket(second.ticketNo))?.feedback?.comment).toBeUndefined();
  });

  it('takes a complaint about the same problem hours after "why?" for a new complaint, not the comment', async () => {
    const { citizen, ticketNo } = await askedToRate('+919876502061', 'कोथरूड डेपोजवळ कचरा उचलला नाही');
    expect(await citizen.says('४')).toEqual([messages.mr.askComment]);
    w.clock.now = new Date(w.clock.now.getTime() + 3 * 3_600_000);
    const [filed] = await citizen.says('सिंहगड रोडला कचरा उचलला नाही');
    expect(ticketIn(filed)).toBeDefined();
    expect(ticketIn(filed)).not.toBe(ticketNo);
    expect((await w.store.getTicket(ticketNo))?.feedback?.comment).toBeUndefined();
  });

  it('forgets "why?" after a day: a message then is a new start', async () => {
    const { citizen, ticketNo } = await askedToRate('+919876502051', 'कोथरूड डेपोजवळ कचरा उचलला नाही');
    expect(await citizen.says('४')).toEqual([messages.mr.askComment]);
    w.clock.now = new Date(w.clock.now.getTime() + 25 * 3_600_000);
    expect(await citizen.says('नमस्कार')).toEqual([text('mr', 'greeting')]);
    expect((await w.store.getTicket(ticketNo))?.feedback?.comment).toBeUndefined();
  });
});

describe('a rating put off ("रेटिंग नंतर देतो")', () => {
  it('records nothing, and files what is said instead as a new complaint (mr, hi, en)', async () => {
    const cases = [
      ['+919876502071', 'कोथरूड डेपोजवळ कचरा उचलला नाही', 'गुण नंतर देतो, आधी हे ऐका — वारजे माळवाडीत दोन दिवस पाणी येत नाही'],
      ['+919876502072', 'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है', 'रेटिंग बाद में दूंगी, पहले ये सुनिए — कोंढवा में नाली जाम है'],
      ['+919876502073', 'Streetlight not working near Karve Road bus stop for a week', 'Will rate it later. Right now garbage is piling up near Baner gaon'],
    ] as const;
    for (const [phone, complaint, putOff] of cases) {
      const { citizen, ticketNo } = await askedToRate(phone, complaint);
      const [filed, ...more] = await citizen.says(putOff);
      const rated = (await w.store.getTicket(ticketNo))!;
      expect(rated.feedback).toBeUndefined();
      expect(rated.status).toBe('resolved');
      expect(ticketIn(filed)).toBeDefined();
      expect(ticketIn(filed)).not.toBe(ticketNo);
      expect(more.join(' ')).not.toContain(text(phone.endsWith('73') ? 'en' : phone.endsWith('72') ? 'hi' : 'mr', 'ratingAgain'));
    }
  });

  it('answers a status query sent with it, and does not ask for the rating again then', async () => {
    const { citizen, ticketNo } = await askedToRate('+919876502074', 'कोथरूड डेपोजवळ कचरा उचलला नाही');
    const replies = await citizen.says(`रेटिंग नंतर देतो, आधी सांगा ${ticketNo} चे काय झाले`);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(ticketNo);
    expect(replies[0]).not.toBe(messages.mr.ratingAgain);
    expect((await w.store.getTicket(ticketNo))?.feedback).toBeUndefined();
  });

  it('still reopens the ticket when the citizen says the work is not done, rating later or not', async () => {
    const { citizen, ticketNo } = await askedToRate('+919876502075', 'कोथरूड डेपोजवळ कचरा उचलला नाही');
    await citizen.says('काम अजून झालं नाही, रेटिंग नंतर देतो');
    expect((await w.store.getTicket(ticketNo))?.status).toBe('reopened');
  });

  it('files the problem named "again" beside a rating put off as a complaint, and records no rating', async () => {
    const { citizen, ticketNo } = await askedToRate('+919876502076', 'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है');
    const [filed] = await citizen.says('रेटिंग बाद में दूंगा, पहले ये सुनिए — कोंढवा में नाली फिर से जाम है');
    expect(ticketIn(filed)).toBeDefined();
    expect(ticketIn(filed)).not.toBe(ticketNo);
    expect((await w.store.getTicket(ticketNo))?.feedback).toBeUndefined();
  });

  it('thanks the citizen and stops asking; a number sent later still rates the ticket', async () => {
    const cases = [
      ['+919876502081', 'कोथरूड डेपोजवळ कचरा उचलला नाही', 'rating nantar deto', 'mr', '४'],
      ['+919876502082', 'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है', 'अभी नहीं, बाद में बताऊंगी', 'hi', '4'],
      ['+919876502083', 'Streetlight not working near Karve Road bus stop for a week', "I'll give the rating later", 'en', 'four'],
    ] as const;
    for (const [phone, complaint, putOff, lang, later] of cases) {
      const { citizen, ticketNo } = await askedToRate(phone, complaint);
      expect(await citizen.says(putOff)).toEqual([text(lang, 'thanks')]);
      expect((await w.store.getTicket(ticketNo))?.feedback).toBeUndefined();
      await citizen.says(later);
      expect((await w.store.getTicket(ticketNo))?.feedback).toMatchObject({ rating: 4 });
    }
  });
});

describe('praise in a sentence', () => {
  it('is the rating, not a complaint, when it names no problem and no place (hi-Latn, mr-Latn, en)', async () => {
    const cases = [
      ['+919876502091', 'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है', 'bahut badhiya, ek hi din me kaam ho gaya', 5],
      ['+919876502092', 'कोथरूड डेपोजवळ कचरा उचलला नाही', 'khup chhan, lagech kaam zala', 5],
      ['+919876502093', 'Streetlight not working near Karve Road bus stop for a week', 'really good, they came the next day', 5],
    ] as const;
    for (const [phone, complaint, praise, rating] of cases) {
      const { citizen, ticketNo } = await askedToRate(phone, complaint);
      const before = (await w.tickets()).length;
      await citizen.says(praise);
      expect((await w.store.getTicket(ticketNo))?.feedback).toMatchObject({ rating });
      expect(await w.tickets()).toHaveLength(before);
    }
  });
});
