import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ComplaintBot } from '../../src/bots/complaint-bot.ts';
import { messages, PHOTO, PHOTOS_AND_PINS, text, ticketIn, transcriptWorld, type TranscriptWorld } from '../support/transcript.ts';

// Conversations as a citizen has them, through the real bot, botbuilder and a SQLite store; each turn is committed
// the way the pipeline does (Store.completeTurn), so state survives between turns only through the store.
let w: TranscriptWorld;
beforeEach(() => {
  w = transcriptWorld();
});
afterEach(() => w.close());

describe('intake', () => {
  it('files at once, with no questions, when the first message says what and where (Marathi)', async () => {
    const sunita = w.citizen('+919876501001');
    const [reply, ...more] = await sunita.says('कोथरूड डेपोजवळ तीन दिवसांपासून कचरा उचलला नाही');
    expect(more).toEqual([]);
    expect(reply).toMatch(/^आपली तक्रार नोंदवली आहे\. तक्रार क्रमांक: PMC\d+\. 4 डिसेंबर 2026 पर्यंत कार्यवाही अपेक्षित\. विभाग: घनकचरा व्यवस्थापन विभाग\.$/);
    const ticket = await w.store.getTicket(ticketIn(reply)!);
    expect(ticket).toMatchObject({ language: 'mr', ward: 'kothrud-bavdhan', category: 'garbage', department: 'SWM' });
  });

  it('asks only for the missing ward, then a photo where the channel carries one, and files with every message as a source (romanised Marathi)', async () => {
    const ramesh = w.citizen('+919876501002', { carries: PHOTOS_AND_PINS });
    expect(await ramesh.says('amchya galli madhe 3 divas pani nahi')).toEqual([messages.mr.askWhere]);
    expect(await ramesh.says('Karve Nagar, Kothrud')).toEqual([messages.mr.askPhoto]);
    const [filed] = await ramesh.says('nahi');
    expect(filed).toContain('तक्रार क्रमांक:');
    const ticket = await w.store.getTicket(ticketIn(filed)!);
    expect(ticket?.ward).toBe('warje-karvenagar');
    expect(ticket?.sources).toHaveLength(3);
    expect(ticket?.description.original).toContain('pani nahi');
  });

  it('asks where when the complaint names only "the main road", which any street in the city is (English, Hindi)', async () => {
    const john = w.citizen('+919876501021');
    expect(await john.says('There is a big pothole on the main road, please fix it')).toEqual([messages.en.askWhereText]);
    const [filed] = await john.says('Paud Road, Kothrud');
    const ticket = await w.store.getTicket(ticketIn(filed)!);
    expect(ticket?.ward).toBe('kothrud-bavdhan');
    const asha = w.citizen('+919876501022');
    expect(await asha.says('मेन रोड पर दो दिन से पानी बह रहा है')).toEqual([messages.hi.askWhereText]);
  });

  it('starts from a photo alone: asks what, then where, and keeps the photo (Hindi)', async () => {
    const asha = w.citizen('+919876501003', { carries: PHOTOS_AND_PINS });
    expect(await asha.sendsPhoto()).toEqual([messages.mr.askWhat]); // nothing to tell the language: the mapping's
    expect(await asha.says('यहाँ कचरे का ढेर लगा है')).toEqual([messages.hi.askWhere]);
    const [filed] = await asha.says('हडपसर गाडीतळ के पास');
    expect(filed).toMatch(/^आपकी शिकायत दर्ज हो गई है। शिकायत नंबर: PMC\d+।/);
    expect((await w.store.getTicket(ticketIn(filed)!))?.attachments).toEqual([PHOTO]);
  });

  it('continues where it was after a restart: the next turn runs on a new bot (English)', async () => {
    const john = w.citizen('+919876501004', { carries: PHOTOS_AND_PINS });
    expect(await john.says('Streetlight not working since last week')).toEqual([messages.en.askWhere]);
    john.bot = new ComplaintBot(w.botOptions()); // another process, the same store
    expect(await john.says('near Baner gaon bus stop')).toEqual([messages.en.askPhoto]);
    expect((await john.says('no'))[0]).toMatch(/^Your complaint has been registered\. Complaint number: PMC\d+\. Action is expected by 4 December 2026\./);
  });
});

describe('language', () => {
  it('switches mid-conversation, asks the pending question again in the new language, and remembers', async () => {
    const meera = w.citizen('+919876501005');
    expect(await meera.says('आमच्या भागात पाणी येत नाही')).toEqual([messages.mr.askWhereText]);
    expect(await meera.says('English please')).toEqual([messages.en.languageSet, messages.en.askWhereText]);
    expect((await meera.says('Aundh'))[0]).toMatch(/^Your complaint has been registered/);
    const contact = await w.store.upsertContact({ channel: 'sms', channelUserId: '+919876501005' });
    expect(contact.preferredLanguage).toBe('en');
  });

  it("keeps the conversation's language when the answer is only a place, whose name is spelled the Marathi way", async () => {
    // Pune's places are written with ळ (माळवाडी, गाडीतळ, तुळशीबाग), whoever writes them: no evidence of Marathi
    let n = 0;
    for (const place of ['वारजे माळवाडी', 'हडपसर गाडीतळ', 'लक्ष्मी रोड, तुळशीबाग', 'धायरी फाटा', 'Kothrud']) {
      const rahul = w.citizen(`+91987650110${n++}`);
      expect(await rahul.says('मेरे घर के सामने कचरे का ढेर लगा है, कोई उठाने नहीं आता')).toEqual([messages.hi.askWhereText]);
      const [filed] = await rahul.says(place);
      expect(filed, place).toMatch(/^आपकी शिकायत दर्ज हो गई है। शिकायत नंबर: PMC\d+।/);
      expect((await w.store.getTicket(ticketIn(filed)!))?.language).toBe('hi');
    }
    // an English speaker naming a place in Devanagari stays in English too
    const mary = w.citizen('+919876501199');
    expect(await mary.says('The streetlight outside our building has not worked for a week')).toEqual([messages.en.askWhereText]);
    expect((await mary.says('वारजे माळवाडी'))[0]).toMatch(/^Your complaint has been registered/);
  });

  it("keeps the conversation's language when the answer is only place names, even ones with another language's words", async () => {
    // a market's name is the city's, spelled as it is: no evidence that a Marathi speaker switched to Hindi
    let n = 0;
    for (const place of ['बड़ा बाज़ार, कसबा पेठ', 'नया बाजार, हडपसर', 'Juna Bazar, Mangalwar Peth']) {
      const sneha = w.citizen(`+91987650120${n++}`);
      expect(await sneha.says('आमच्या भागात दोन दिवसांपासून पाणी येत नाही')).toEqual([messages.mr.askWhereText]);
      const [filed] = await sneha.says(place);
      expect(filed, place).toMatch(/^आपली तक्रार नोंदवली आहे\. तक्रार क्रमांक: PMC\d+\./);
    }
  });

  it('follows the citizen who answers in another language with its words, not only with names', async () => {
    const sunil = w.citizen('+919876501198');
    expect(await sunil.says('मेरे घर के सामने कचरे का ढेर लगा है, कोई उठाने नहीं आता')).toEqual([messages.hi.askWhereText]);
    // जवळ and आहे are Marathi's words: the citizen now writes Marathi
    expect((await sunil.says('हडपसर गाडीतळाजवळ आहे'))[0]).toMatch(/^आपली तक्रार नोंदवली आहे\. तक्रार क्रमांक: PMC\d+\./);
    // and the other way: "में है" beside the place are the citizen's own words
    const prakash = w.citizen('+919876501197');
    expect(await prakash.says('आमच्या भागात दोन दिवसांपासून पाणी येत नाही')).toEqual([messages.mr.askWhereText]);
    expect((await prakash.says('हडपसर में है'))[0]).toMatch(/^आपकी शिकायत दर्ज हो गई है। शिकायत नंबर: PMC\d+।/);
  });
});

describe('status', () => {
  it('answers the owner, and gives anyone else the safe answer, from this phone number', async () => {
    const owner = w.citizen('+919876501006');
    const [filed] = await owner.says('Kothrud madhe rastyavar khup khadde aahet');
    const ticketNo = ticketIn(filed)!;
    expect((await owner.says(`status ${ticketNo.slice(3)}`))[0]).toBe(`तक्रार क्रमांक ${ticketNo}: नोंदवली आहे. अपेक्षित मुदत: 4 डिसेंबर 2026. विभाग: पथ विभाग.`);
    const other = w.citizen('+919876501007');
    expect(await other.says(`मेरी शिकायत ${ticketNo} का क्या हुआ?`)).toEqual([text('hi', 'statusNotFound', { here: messages.hi.here.sms })]);
  });

  it('"status PMC…" and "maza takrar kuthe ahe" answer the owner (English, romanised Marathi)', async () => {
    const asha = w.citizen('+919876501016');
    const [filed] = await asha.says('Garbage not collected near Kothrud depot for three days');
    const ticketNo = ticketIn(filed)!;
    expect((await asha.says(`status ${ticketNo}`))[0]).toMatch(new RegExp(`^Complaint ${ticketNo}: ${messages.en.statuses.received}\\. Due by`, 'u'));
    expect((await asha.says('maza takrar kuthe ahe?'))[0]).toContain(ticketNo);
  });
});

describe('feedback', () => {
  it('asks for a rating when a ticket is resolved and reads "५" as 5', async () => {
    const sunita = w.citizen('+919876501008');
    const ticketNo = ticketIn((await sunita.says('कोथरूड डेपोजवळ कचरा उचलला नाही'))[0])!;
    await w.resolve(ticketNo);
    // the notifier's turn: asked on the citizen's conversation, the ticket marked asked in the same step
    expect(await sunita.askedToRate(ticketNo)).toEqual([text('mr', 'askRating', { ticketNo })]);
    expect((await w.store.getTicket(ticketNo))?.ratingRequestedAt).toBeDefined();
    expect(await sunita.says('५')).toEqual([messages.mr.askComment]); // thanks, and one optional "why?"
    expect((await w.store.getTicket(ticketNo))?.feedback?.rating).toBe(5);
  });

  it('offers the five numbers as buttons where the channel has them', async () => {
    const sunita = w.citizen('+919876501018');
    const ticketNo = ticketIn((await sunita.says('कोथरूड डेपोजवळ कचरा उचलला नाही'))[0])!;
    await w.resolve(ticketNo);
    const [question] = (await sunita.askedToRateReplies(ticketNo))!;
    expect(question?.choices).toEqual(['1', '2', '3', '4', '5']);
    // a reply that is no rating at all is asked again, with the buttons again
    const [again] = await sunita.turn('हं?');
    expect(again).toEqual({ text: messages.mr.ratingAgain, choices: ['1', '2', '3', '4', '5'], kind: 'feedback_request' });
  });

  it('thanks a "five", and promises a call for a "don" below the average, flagging the ticket (English, romanised Marathi)', async () => {
    const john = w.citizen('+919876501014');
    const ticketEn = ticketIn((await john.says('Streetlight not working near Karve Road bus stop for a week'))[0])!;
    const raju = w.citizen('+919876501015');
    const ticketMr = ticketIn((await raju.says('Hadapsar madhe rastyavar khup khadde ahet, lavkar durust kara'))[0])!;
    for (const no of [ticketEn, ticketMr]) await w.resolve(no);
    await john.askedToRate(ticketEn);
    expect(await john.says('five')).toEqual([messages.en.askComment]);
    expect(await raju.askedToRate(ticketMr)).toEqual([text('mr', 'askRating', { ticketNo: ticketMr })]);
    expect(await raju.says('don')).toEqual([messages.mr.followUp, messages.mr.askComment]);
    expect(await w.store.getTicket(ticketMr)).toMatchObject({ feedback: { rating: 2 }, followUp: true });
    expect(await w.store.getTicket(ticketEn)).toMatchObject({ feedback: { rating: 5 }, followUp: false });
  });

  it('a new complaint sent instead of a rating is taken as a complaint, not answered with "send a number"', async () => {
    const ganesh = w.citizen('+919876501017');
    const first = ticketIn((await ganesh.says('बिबवेवाडी येथे पथदिवा बंद आहे'))[0])!;
    await w.resolve(first);
    await ganesh.askedToRate(first);
    expect(await ganesh.says('हं?')).toEqual([messages.mr.ratingAgain]); // no rating: asked again
    const [second] = await ganesh.says('वारजे येथे तीन दिवसांपासून पाणी येत नाही');
    expect(ticketIn(second)).toBeDefined();
    expect(ticketIn(second)).not.toBe(first);
    expect((await w.store.getTicket(first))?.feedback).toBeUndefined();
  });
});

describe('a citizen in the middle of something', () => {
  it('is not asked for a rating until the complaint they are telling is filed', async () => {
    const asha = w.citizen('+919876501011');
    const ticketNo = ticketIn((await asha.says('वारजे येथे पथदिवा बंद आहे'))[0])!;
    await w.resolve(ticketNo);
    expect(await asha.says('आमच्या गल्लीत पाणी येत नाही')).toEqual([messages.mr.askWhereText]);
    expect(await asha.askedToRate(ticketNo)).toBeUndefined();
    expect((await w.store.getTicket(ticketNo))?.ratingRequestedAt).toBeUndefined();
    const [second] = await asha.says('सिंहगड रोड');
    expect(second).toContain('तक्रार क्रमांक:');
    expect(await asha.askedToRate(ticketNo)).toHaveLength(1);
  });

  it('forgets a question left unanswered for a day: the next message is a new start', async () => {
    const vijay = w.citizen('+919876501012');
    expect(await vijay.says('रस्त्यावर खड्डे पडले आहेत')).toEqual([messages.mr.askWhereText]);
    w.clock.now = new Date(w.clock.now.getTime() + 25 * 3_600_000);
    // a day later "कचरा उचलला नाही, कोथरूड" is a complaint of its own, not the answer to "where?"
    const [filed] = await vijay.says('कोथरूड डेपोजवळ कचरा उचलला नाही');
    const ticket = await w.store.getTicket(ticketIn(filed)!);
    expect(ticket?.description.original).not.toContain('खड्डे');
    expect(ticket?.category).toBe('garbage');
  });
});

describe('information', () => {
  it("answers an FAQ question in the citizen's language, even in the middle of a complaint, then asks again", async () => {
    const meera = w.citizen('+919876501013');
    expect(await meera.says('SMS से शिकायत कैसे करें?')).toEqual([messages.hi.faq.sms!.answer]);
    expect(await meera.says('आमच्या सोसायटीसमोर कचऱ्याचा ढीग साचला आहे')).toEqual([messages.mr.askWhereText]);
    expect(await meera.says('फोटो कसा पाठवू?')).toEqual([messages.mr.faq.photo!.answer, messages.mr.askWhereText]);
    expect(await w.tickets()).toEqual([]); // the questions filed nothing
    expect(ticketIn((await meera.says('बाणेर, बालेवाडी फाटा'))[0])).toBeDefined();
  });

  it('gives the office hours first when asked for them, and the helpline', async () => {
    const [hours] = await w.citizen('+919876501009').says('ऑफिस किती वाजता उघडते?');
    expect(hours).toBe(messages.mr.faq.hours!.answer);
    expect(hours!.indexOf('10')).toBeLessThan(hours!.indexOf('1800'));
    const [helpline] = await w.citizen('+919876501010').says('helpline number?');
    expect(helpline).toContain('1800 1030 222');
  });

  it('answers with the helpline, never an empty address, while the city e-mail is not configured', async () => {
    const [reply] = await w.citizen('+919876501019').says('ईमेल से शिकायत कैसे करें?');
    expect(reply).toBe(messages.hi.info);
    const withEmail = w.citizen('+919876501020');
    withEmail.bot = new ComplaintBot(w.botOptions({ contacts: { email: 'complaints@pmc.example.in' } }));
    expect((await withEmail.says('can I complain by email?'))[0]).toBe(messages.en.faq.email!.answer.replace('{email}', 'complaints@pmc.example.in'));
  });
});
