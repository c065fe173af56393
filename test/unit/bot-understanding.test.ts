import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/normalizer/language.ts';
import { messages, PHOTOS_AND_PINS, text, ticketIn, transcriptWorld, type TranscriptWorld } from '../support/transcript.ts';

// Every case the issue found, and more of each kind in other words and languages, through the real bot on a store.
// Checked: how many tickets there are (no junk), which language the bot answers in, and which question it asks.
let w: TranscriptWorld;
let n = 0;
beforeEach(() => {
  w = transcriptWorld();
});
afterEach(() => w.close());

const phone = () => `+9198765${String(++n).padStart(5, '0')}`;
const langOf = (reply: string) => detectLanguage(reply).lang;
const filedIn = (replies: string[]) => replies.map(ticketIn).find(Boolean);

describe('greetings and closings file nothing', () => {
  it.each([
    ['mr', ['हॅलो', 'हाय', '🙏', 'नमस्कार']],
    ['hi', ['नमस्ते जी', 'हेलो सर']],
    ['en', ['hi', 'good morning sir']],
  ] as const)('%s: a run of greetings gets the greeting, and no ticket', async (lang, turns) => {
    const c = w.citizen(phone());
    for (const t of turns) expect(await c.says(t)).toHaveLength(1);
    expect(await w.tickets()).toHaveLength(0);
    if (lang !== 'en') expect(['mr', 'hi']).toContain(langOf((await c.says(turns[0]!))[0]!));
  });

  it('a place after the greetings starts the complaint: what is wrong there?', async () => {
    const c = w.citizen(phone());
    await c.says('हॅलो');
    await c.says('नमस्कार');
    expect(await c.says('कात्रज')).toEqual([text('mr', 'askWhatAt', { place: 'कात्रज' })]);
    const [filed] = await c.says('दोन दिवसांपासून कचरा उचलला नाही');
    expect(ticketIn(filed)).toBeDefined();
    const [ticket] = await w.tickets();
    expect(ticket?.description.original).not.toMatch(/हॅलो|नमस्कार/);
    expect(ticket?.category).toBe('garbage');
  });

  it.each([
    ['mr', 'ठीक आहे, धन्यवाद'],
    ['hi', 'ठीक है, शुक्रिया'],
    ['en', 'ok thanks'],
    ['mr', 'bas evdhach, thank you'],
    ['en', 'great, thanks a lot 👍'],
  ] as const)('%s: "%s" after a ticket closes the conversation and starts no complaint', async (_lang, closing) => {
    const c = w.citizen(phone());
    expect(filedIn(await c.says('कोथरूड डेपोजवळ कचरा उचलला नाही'))).toBeDefined();
    const [reply, ...more] = await c.says(closing);
    expect(more).toEqual([]);
    expect(ticketIn(reply)).toBeUndefined();
    expect(Object.values(messages).map((m) => m.thanks)).toContain(reply);
    expect(await w.tickets()).toHaveLength(1);
  });
});

describe('the wish to complain is not the complaint', () => {
  it.each([
    ['mr', 'तक्रार नोंदवायची आहे'],
    ['mr', 'मला तक्रार करायची आहे'],
    ['mr', 'तक्रार कशी करायची?'],
    ['hi', 'मुझे शिकायत दर्ज करनी है'],
    ['hi', 'shikayat kaise karein?'],
    ['en', 'I want to file a complaint'],
    ['mr', 'complaint karaychi hoti saheb'],
  ] as const)('%s: "%s" is invited to say what and where, then files only the problem', async (lang, wish) => {
    const c = w.citizen(phone());
    expect(await c.says(wish)).toEqual([messages[lang].wishToComplain]);
    expect(await w.tickets()).toHaveLength(0);
    const answer = lang === 'en' ? 'Garbage not collected near Kothrud depot' : lang === 'hi' ? 'हडपसर में दो दिन से पानी नहीं आया' : 'कर्वेनगरमध्ये पथदिवा बंद आहे';
    const replies = await c.says(answer);
    const ticketNo = filedIn(replies);
    expect(ticketNo).toBeDefined();
    const ticket = await w.store.getTicket(ticketNo!);
    expect(ticket?.description.original).toBe(answer);
  });
});

describe('a place first waits for the problem', () => {
  it.each([
    ['mr', 'धनकवडी, बालाजीनगर, भारती विद्यापीठ मागे', 'रस्त्यावर मोठा खड्डा पडला आहे'],
    ['hi', 'हडपसर, सय्यद नगर, मस्जिद के पास', 'यहाँ नाली ओवरफ्लो हो रही है'],
    ['en', 'Sinhagad Road, near Vadgaon bridge', 'streetlight not working for a week'],
    ['mr', 'bibwewadi, appar indira nagar', 'kachra uchlat nahi 4 divas'],
  ] as const)('%s: the place is kept, the problem asked, and one ticket holds both', async (lang, place, problem) => {
    const c = w.citizen(phone());
    expect(await c.says(place)).toEqual([text(lang === 'en' ? 'en' : lang, 'askWhatAt', { place })]);
    expect(await w.tickets()).toHaveLength(0);
    const ticketNo = filedIn(await c.says(problem));
    const ticket = await w.store.getTicket(ticketNo!);
    expect(await w.tickets()).toHaveLength(1);
    expect(ticket?.description.original).toContain(place);
    expect(ticket?.description.original).toContain(problem);
    expect(ticket?.category).toBeDefined();
  });
});

describe('asking where a place is', () => {
  it.each([
    ['mr', 'कोथरूड क्षेत्रीय कार्यालय नक्की कुठे आहे?'],
    ['mr', 'वारजे कुठे येते, कोणत्या कार्यालयात?'],
    ['hi', 'Kothrud office kidhar hai'],
  ] as const)('%s: "%s" is a question, not the place of a complaint', async (lang, asked) => {
    const c = w.citizen(phone());
    const replies = await c.says(asked);
    expect(replies).toEqual([text(lang, 'info')]);
    expect(await w.tickets()).toHaveLength(0);
  });

  it('while a place named with "where" words still answers "where?"', async () => {
    const c = w.citizen(phone());
    await c.says('कचरा उचलला नाही');
    const [filed] = await c.says('वारजे, कुठे ते सांगतो: मंदिराजवळ');
    expect(ticketIn(filed)).toBeDefined();
  });
});

describe('an angry complaint is a complaint, not a question', () => {
  it.each([
    ['mr', 'किती दिवस झाले पाणी नाही!!! तुम्ही लोक काय करताय???'],
    ['hi', 'कितने दिन हो गए कचरा नहीं उठा!!! आप लोग क्या कर रहे हो???'],
    ['en', 'How many days will it take to fix this pothole??? What are you people doing?'],
    ['mr', 'kiti divas zale gutter vahtay, tumhi zoplat ka?'],
  ] as const)('%s: asks where, then files it', async (_lang, angry) => {
    const c = w.citizen(phone());
    const [ask] = await c.says(angry);
    expect(Object.values(messages).map((m) => m.askWhereText)).toContain(ask);
    expect(filedIn(await c.says('हडपसर गाडीतळ'))).toBeDefined();
    expect((await w.tickets())[0]?.description.original).toContain(angry);
  });
});

describe('ratings written as the citizen writes them', () => {
  async function resolvedTicket(c: ReturnType<TranscriptWorld['citizen']>, complaint: string) {
    const ticketNo = filedIn(await c.says(complaint))!;
    await w.resolve(ticketNo);
    await c.askedToRate(ticketNo);
    return ticketNo;
  }

  it.each([
    ['छान काम केलंत, धन्यवाद', 4],
    ['3 ok ahe', 3],
    ['बहुत अच्छा काम', 5],
    ['खूप उशीर केला, पण काम झालं', 3],
    ['चार देतो', 4],
    ['👍', 4],
    ['kaam theek thak tha', 3],
  ] as const)('"%s" is a rating of %i, and the "५" that may follow is no new complaint', async (said, rating) => {
    const c = w.citizen(phone());
    const ticketNo = await resolvedTicket(c, 'कोथरूड डेपोजवळ कचरा उचलला नाही');
    const [thanked] = await c.says(said);
    expect(ticketIn(thanked)).toBeUndefined();
    expect((await w.store.getTicket(ticketNo))?.feedback?.rating).toBe(rating);
    await c.says('५');
    expect(await w.tickets()).toHaveLength(1);
    expect((await w.store.getTicket(ticketNo))?.feedback?.rating).toBe(rating);
  });

  it('"1. Nothing was done, the light is still off" is a 1 and reopens the ticket, not a new ticket', async () => {
    const c = w.citizen(phone());
    const ticketNo = await resolvedTicket(c, 'Streetlight not working near Karve Road bus stop');
    expect(await c.says('1. Nothing was done, the light is still off')).toEqual([text('en', 'reopened', { ticketNo })]);
    expect(await w.store.getTicket(ticketNo)).toMatchObject({ status: 'reopened', followUp: true, feedback: { rating: 1 } });
    expect(await w.tickets()).toHaveLength(1);
  });

  it('"अजूनही कचरा तसाच आहे" reopens it too, in Marathi', async () => {
    const c = w.citizen(phone());
    const ticketNo = await resolvedTicket(c, 'कोथरूड डेपोजवळ कचरा उचलला नाही');
    const [reply] = await c.says('अजूनही कचरा तसाच आहे, काहीच केले नाही');
    expect(reply).toBe(text('mr', 'reopened', { ticketNo }));
    expect((await w.store.getTicket(ticketNo))?.status).toBe('reopened');
  });
});

describe('status asked in other words', () => {
  it.each([
    'maza complaint cha kay zala?',
    'पीएमसी {n}',
    '{n}',
    'माझ्या तक्रारीचं पुढे काय झालं?',
    'meri shikayat kahan tak pahunchi?',
    'any update on my complaint?',
  ])('"%s" is answered with the ticket, and files nothing', async (asked) => {
    const c = w.citizen(phone());
    const ticketNo = filedIn(await c.says('Kothrud madhe rastyavar khup khadde aahet'))!;
    const digits = ticketNo.slice(3).split('').map((d) => (asked.startsWith('पी') ? '०१२३४५६७८९'[Number(d)] : d)).join('');
    const [answer] = await c.says(asked.replace('{n}', digits));
    expect(answer).toContain(ticketNo);
    expect(await w.tickets()).toHaveLength(1);
  });

  it('inside an open question, a status query is answered and the question asked again; "status" is no answer to it', async () => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    // the first complaint, and "no" to its photo question
    const earlier = filedIn([...(await c.says('बिबवेवाडीत गटार तुंबले आहे')), ...(await c.says('नाही'))])!;
    expect(await c.says('रस्त्यावर खड्डे पडले आहेत')).toEqual([text('mr', 'askWhere')]);
    const [status, again] = await c.says('mazi takrar kuthe ahe?');
    expect(status).toContain(earlier);
    expect(again).toBe(text('mr', 'askWhere'));
    const [status2, again2] = await c.says('status');
    expect(status2).toContain(earlier);
    expect(again2).toBe(text('mr', 'askWhere'));
    expect(await w.tickets()).toHaveLength(1);
  });
});

describe('a language asked for in a sentence', () => {
  it.each([
    ['कृपया इंग्रजीत उत्तर द्या', 'en'],
    ['Marathi madhe sanga', 'mr'],
    ['hindi mein baat karo', 'hi'],
    ['Can you reply in English?', 'en'],
    ['मला हिंदी नीट कळत नाही, मराठीतून सांगा', 'mr'],
    ["I don't read Hindi, English please", 'en'],
  ] as const)('"%s" switches to %s and files nothing, even as the answer to "where?"', async (asked, lang) => {
    const c = w.citizen(phone());
    expect(await c.says(asked)).toEqual([messages[lang].languageSet]);
    expect(await c.says('पाण्याची पाईपलाईन फुटली आहे')).toEqual([messages[lang].askWhereText]);
    expect(await c.says(asked)).toEqual([messages[lang].languageSet, messages[lang].askWhereText]);
    expect(await w.tickets()).toHaveLength(0);
  });
});

describe('photo answers', () => {
  it('"नाही, फोटो नाही" to "where?" is not the place: asked again, and no photo question after', async () => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    expect(await c.says('आमच्या भागात पाणी येत नाही')).toEqual([text('mr', 'askWhere')]);
    expect(await c.says('नाही, फोटो नाही')).toEqual([text('mr', 'askWhere')]);
    const ticketNo = filedIn(await c.says('कोथरूड, पौड रोड'));
    expect((await w.store.getTicket(ticketNo!))?.ward).toBe('kothrud-bavdhan');
  });

  it.each([
    ['mr', 'हो, पाठवतो'],
    ['hi', 'हाँ, अभी भेजता हूँ'],
    ['en', 'yes, sending it now'],
    ['mr', 'thamba photo kadhto'],
  ] as const)('%s: "%s" waits for the photo, which then files one ticket with it', async (lang, promise) => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    const problem = lang === 'en' ? 'Garbage dumped near Deccan bus stop' : lang === 'hi' ? 'डेक्कन बस स्टॉप के पास कचरा पड़ा है' : 'डेक्कन बस स्टॉपजवळ कचरा पडला आहे';
    expect(await c.says(problem)).toEqual([messages[lang].askPhoto]);
    expect(await c.says(promise)).toEqual([messages[lang].photoWait]);
    expect(await w.tickets()).toHaveLength(0);
    const replies = await c.sendsPhoto();
    const ticket = await w.store.getTicket(filedIn(replies)!);
    expect(ticket?.attachments).toHaveLength(1);
    expect(await w.tickets()).toHaveLength(1);
  });

  it('a promised photo that never comes: the complaint is filed without it when the wait is over', async () => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    await c.says('कोथरूड डेपोजवळ कचरा उचलला नाही');
    expect(await c.says('हो, पाठवतो')).toEqual([text('mr', 'photoWait')]);
    w.clock.now = new Date(w.clock.now.getTime() + 10 * 60_000);
    expect(await c.wakeIfDue()).toBeUndefined();
    w.clock.now = new Date(w.clock.now.getTime() + 6 * 60_000);
    const woke = await c.wakeIfDue();
    expect(filedIn(woke!)).toBeDefined();
    expect(await w.tickets()).toHaveLength(1);
    expect(await w.store.listDueWakeups(new Date(w.clock.now.getTime() + 86_400_000), 10)).toEqual([]);
  });

  it('"फोटो नाही. बिबवेवाडी…" to "where?" is the place and the end of the photo question', async () => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    expect(await c.says('गटार तुंबले आहे')).toEqual([text('mr', 'askWhere')]);
    const replies = await c.says('फोटो नाही. बिबवेवाडी, अप्पर इंदिरानगर');
    expect(replies).toHaveLength(1);
    expect((await w.store.getTicket(filedIn(replies)!))?.ward).toBe('bibwewadi');
  });

  // what the channel refused on the way in: too large, not really a picture, or a link the bridge does not follow
  const REFUSED = [
    { kind: 'image' as const, mime: 'image/jpeg', name: 'IMG_2041.jpg', refused: 'larger than 10 MB' },
    { kind: 'image' as const, mime: 'image/png', refused: 'not an image: the bytes are not a PNG' },
    { kind: 'image' as const, refused: 'a link to an address inside a network: not fetched, not kept' },
  ];

  it.each([
    ['mr', 'बाणेर रस्त्यावर मोठा खड्डा पडला आहे', 0],
    ['hi', 'बाणेर रोड पर बड़ा गड्ढा है', 1],
    ['en', 'Big pothole on Baner road', 2],
  ] as const)('%s: a photo that did not come through is said so once and asked for again; the next one files the complaint with both', async (lang, problem, which) => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    expect(await c.says(problem)).toEqual([text(lang, 'askPhoto')]);
    expect(await c.says('', { attachments: [REFUSED[which]!] })).toEqual([text(lang, 'photoNotReceived')]);
    expect(await w.tickets()).toHaveLength(0);
    const ticket = await w.store.getTicket(filedIn(await c.sendsPhoto())!);
    // staff see the refused one as not kept, beside the photo that came
    expect(ticket?.attachments.map((a) => a.refused !== undefined)).toEqual([true, false]);
  });

  it('a second photo that does not come through either: the complaint is filed, not asked for a third time', async () => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    await c.says('कात्रज चौकात पाण्याची पाईपलाइन फुटली आहे');
    expect(await c.says('', { attachments: [REFUSED[0]!] })).toEqual([text('mr', 'photoNotReceived')]);
    const filed = await c.says('', { attachments: [REFUSED[1]!] });
    expect(filedIn(filed)).toBeDefined();
    expect(filed.join('\n')).not.toContain(text('mr', 'photoNotReceived'));
  });

  it('a complaint sent with a photo that did not come through asks for the photo saying so, and "no" files it', async () => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    expect(await c.says('हडपसर गाडीतळ येथे कचरा साचला आहे', { attachments: [REFUSED[2]!] })).toEqual([text('mr', 'photoNotReceived')]);
    const ticket = await w.store.getTicket(filedIn(await c.says('नाही'))!);
    expect(ticket?.attachments).toHaveLength(1);
    expect(ticket?.attachments[0]?.refused).toBeDefined();
  });

  it('a promised photo that does not come through: the citizen is told, and the complaint still waits for one', async () => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    await c.says('डेक्कन बस स्टॉप के पास कचरा पड़ा है');
    expect(await c.says('हाँ, अभी भेजता हूँ')).toEqual([text('hi', 'photoWait')]);
    expect(await c.says('', { attachments: [REFUSED[0]!] })).toEqual([text('hi', 'photoNotReceived')]);
    expect(await w.tickets()).toHaveLength(0);
    expect(filedIn(await c.sendsPhoto())).toBeDefined();
  });

  it('"no" after a promised photo did not come through files the complaint at once', async () => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    await c.says('कोथरूड डेपोजवळ कचरा उचलला नाही');
    expect(await c.says('हो, पाठवतो')).toEqual([text('mr', 'photoWait')]);
    expect(await c.says('', { attachments: [REFUSED[1]!] })).toEqual([text('mr', 'photoNotReceived')]);
    expect(filedIn(await c.says('नाही'))).toBeDefined();
    expect(await w.store.listDueWakeups(new Date(w.clock.now.getTime() + 86_400_000), 10)).toEqual([]);
  });

  it('a photo that did not come through, asked about after the place: said once, the next failure files', async () => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    expect(await c.says('गली में कचरा पड़ा है', { attachments: [REFUSED[0]!] })).toEqual([text('hi', 'askWhere')]);
    expect(await c.says('हडपसर बस स्टॉप के पास')).toEqual([text('hi', 'photoNotReceived')]);
    expect(filedIn(await c.says('', { attachments: [REFUSED[2]!] }))).toBeDefined();
  });

  it('a photo after filing that did not come through is not called added', async () => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    const ticketNo = filedIn([...(await c.says('Pothole near Deccan bus stop')), ...(await c.says('no'))])!;
    expect(await c.says('', { attachments: [REFUSED[0]!] })).toEqual([text('en', 'photoNotAdded', { ticketNo })]);
    expect(await c.sendsPhoto()).toEqual([text('en', 'photoAdded', { ticketNo })]);
    expect((await w.store.getTicket(ticketNo))?.attachments.map((a) => a.refused !== undefined)).toEqual([true, false]);
  });

  it('a photo sent after the complaint was filed is added to it, as the FAQ says', async () => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    const ticketNo = filedIn([...(await c.says('Pothole near Deccan bus stop')), ...(await c.says('no'))])!;
    expect(await c.says('yes, I will send one')).toEqual([text('en', 'photoLater', { ticketNo })]);
    expect(await c.sendsPhoto()).toEqual([text('en', 'photoAdded', { ticketNo })]);
    expect((await w.store.getTicket(ticketNo))?.attachments).toHaveLength(1);
    expect(await w.tickets()).toHaveLength(1);
  });

  it.each([
    ['mr', 'हे बघा'],
    ['mr', 'काय चाललंय हे'],
    ['en', 'see this'],
    ['en', 'look at this please'],
    ['hi', 'ये देखिए'],
    ['hi', 'यह देखो जी'],
  ] as const)('a photo with a caption that points at it (%s "%s") keeps the photo and asks what is wrong', async (lang, caption) => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    expect(await c.sendsPhoto(caption)).toEqual([text(lang, 'askWhat')]);
    const filed = filedIn(await c.says('कोथरूड डेपोजवळ तीन दिवसांपासून कचरा उचलला नाही'));
    const ticket = await w.store.getTicket(filed!);
    expect(ticket?.attachments).toHaveLength(1);
    expect(ticket?.category).toBe('garbage');
  });

  it('a photo with a few words after filing is added to the complaint; a caption that asks something is answered', async () => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    const ticketNo = filedIn([...(await c.says('Pothole near Deccan bus stop')), ...(await c.says('no'))])!;
    expect(await c.sendsPhoto('see this')).toEqual([text('en', 'photoAdded', { ticketNo })]);
    expect((await w.store.getTicket(ticketNo))?.attachments).toHaveLength(1);
    // "what is the status of PMC…" beside a photo is still a status question
    const [status] = await c.sendsPhoto(`${ticketNo} status?`);
    expect(status).toContain(ticketNo);
    expect(status).not.toBe(text('en', 'askWhat'));
  });

  it('never asks for a photo or a pin where the channel cannot carry one (SMS to an Indian number)', async () => {
    const c = w.citizen(phone());
    expect(await c.says('आमच्या भागात पाणी येत नाही')).toEqual([text('mr', 'askWhereText')]);
    const replies = await c.says('हडपसर');
    expect(filedIn(replies)).toBeDefined();
  });
});

describe('off-topic turns and abuse', () => {
  it.each([
    ['आज मॅच कोण जिंकणार?', 'offTopic'],
    ['तुम्ही रोबोट आहात का?', 'offTopic'],
    ['What is the weather in Pune today?', 'offTopic'],
    ['ek joke sunao na', 'offTopic'],
    ['हरामखोर लोक, तुम्ही सगळे चोर आहात', 'abuse'],
    ['you are all useless idiots', 'abuse'],
  ] as const)('"%s" gets the %s answer and files nothing', async (said, key) => {
    const c = w.citizen(phone());
    const [reply, ...more] = await c.says(said);
    expect(more).toEqual([]);
    expect(Object.values(messages).map((m) => m[key])).toContain(reply);
    expect(await w.tickets()).toHaveLength(0);
  });

  it('abuse in the middle of a complaint keeps the conversation: a calm answer, and the question again', async () => {
    const c = w.citizen(phone());
    expect(await c.says('रस्त्यावर खूप खड्डे आहेत')).toEqual([text('mr', 'askWhereText')]);
    expect(await c.says('तुम्ही सगळे चोर आहात')).toEqual([text('mr', 'abuse'), text('mr', 'askWhereText')]);
    expect(filedIn(await c.says('कर्वे रोड, नळ स्टॉप'))).toBeDefined();
  });

  it('abuse with a problem in it is a complaint', async () => {
    const c = w.citizen(phone());
    const [ask] = await c.says('you idiots, the water pipe on our road has been leaking for 10 days');
    expect(ask).toBe(text('en', 'askWhereText'));
  });
});

describe('places that are not a place, and places that are not PMC', () => {
  it('"आमच्या इमारतीसमोर …" asks where; the real place then files one ticket', async () => {
    const c = w.citizen(phone());
    expect(await c.says('आमच्या इमारतीसमोर कचरा पडला आहे')).toEqual([text('mr', 'askWhereText')]);
    const ticketNo = filedIn(await c.says('सहकारनगर, पद्मावती'));
    expect(await w.tickets()).toHaveLength(1);
    expect((await w.store.getTicket(ticketNo!))?.ward).toBe('dhankawadi-sahakarnagar');
  });

  it.each([
    ['mr', 'वाकडमध्ये कचरा उचलला नाही', 'वाकड'],
    ['en', 'Pothole on the main road in Pimple Saudagar', 'Pimple Saudagar'],
    ['hi', 'हिंजवडी फेज 1 में पानी नहीं आ रहा', 'हिंजवडी'],
  ] as const)('%s: a complaint in %s says whose area it is and files nothing', async (lang, complaint, place) => {
    const c = w.citizen(phone());
    const [reply] = await c.says(complaint);
    expect(reply).toContain(place);
    expect(reply).toContain(lang === 'en' ? 'not within the Pune Municipal Corporation' : lang === 'hi' ? 'सीमा में नहीं' : 'हद्दीत येत नाही');
    expect(await w.tickets()).toHaveLength(0);
  });
});

describe('nothing understood', () => {
  it('the notUnderstood text for what the bot cannot read, and no ticket', async () => {
    const c = w.citizen(phone());
    const [reply] = await c.says('asdf qwerty');
    expect(Object.values(messages).map((m) => m.notUnderstood)).toContain(reply);
    expect(await w.tickets()).toHaveLength(0);
  });

  it('"हो" or "नाही" to no question at all is not a complaint', async () => {
    const c = w.citizen(phone());
    for (const said of ['हो', 'नाही']) expect(await c.says(said)).toEqual([text('mr', 'notUnderstood')]);
    expect(await w.tickets()).toHaveLength(0);
  });
});

describe('a shared pin, urging words, and a place named with a postposition', () => {
  const PIN = { lat: 18.5074, lon: 73.8077 };

  it.each([
    ['mr', 'फुटपाथवर कचऱ्याचा ढीग आहे'],
    ['en', 'Garbage is piled on the footpath'],
  ] as const)('%s: a pin alone to "where?" is the place: the ticket has the point, its text only the problem', async (lang, problem) => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    expect(await c.says(problem)).toEqual([text(lang, 'askWhere')]);
    expect(await c.says('', { location: PIN })).toEqual([text(lang, 'askPhoto')]);
    const ticket = await w.store.getTicket(filedIn(await c.says(lang === 'en' ? 'no' : 'नाही'))!);
    expect(ticket).toMatchObject({ location: PIN, description: { original: problem } });
  });

  it('a pin with a landmark: both are kept, the landmark as the place', async () => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    expect(await c.says('पाण्याची पाईपलाईन फुटली आहे')).toEqual([text('mr', 'askWhere')]);
    await c.says('गणपती मंदिराजवळ', { location: PIN });
    const ticket = await w.store.getTicket(filedIn(await c.says('नाही'))!);
    expect(ticket?.location).toEqual(PIN);
    expect(ticket?.description.original).toContain('गणपती मंदिराजवळ');
  });

  // none of these are training phrases: "fix it soon", "someone will fall" say more about the complaint
  it.each([
    ['mr', 'कृपया हे लवकर बघा'],
    ['mr', 'रस्त्यावरून जाताना कुणी पडेल'],
    ['mr', 'lavkarat lavkar kam kara'],
    ['hi', 'जल्द से जल्द ठीक करवा दीजिए'],
    ['hi', 'jaldi dekho bhai'],
    ['en', 'Please do something quickly'],
    ['en', 'kids play here, it is dangerous'],
  ] as const)('%s: "%s" to the photo question neither drops the complaint nor waits for a photo', async (lang, urging) => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    const problem = lang === 'en' ? 'Big pothole near Deccan bus stop' : lang === 'hi' ? 'डेक्कन बस स्टॉप के पास बड़ा गड्ढा है' : 'डेक्कन बस स्टॉपजवळ मोठा खड्डा आहे';
    expect(await c.says(problem)).toEqual([messages[lang].askPhoto]);
    const said = await c.says(urging);
    expect(said).not.toContain(messages[lang].cancelled);
    expect(said).not.toContain(messages[lang].photoWait);
    expect(filedIn([...said, ...(await c.says(lang === 'en' ? 'no' : 'नाही'))])).toBeDefined();
    expect(await w.tickets()).toHaveLength(1);
  });

  it('a plain "रद्द करा" still drops the complaint being told', async () => {
    const c = w.citizen(phone(), { carries: PHOTOS_AND_PINS });
    await c.says('डेक्कन बस स्टॉपजवळ मोठा खड्डा आहे');
    expect(await c.says('नको, रद्द करा')).toEqual([text('mr', 'cancelled')]);
    expect(await w.tickets()).toHaveLength(0);
  });

  it.each([
    ['बाणेर येथे', 'बाणेर'],
    ['Baner mein', 'Baner'],
    ['at Baner', 'Baner'],
  ])('a place first ("%s"): the question names it once', async (place, named) => {
    const c = w.citizen(phone());
    const [asked] = await c.says(place);
    expect(asked).toContain(named);
    expect(asked).not.toMatch(/येथे येथे|में में|at at/);
  });

  it.each([
    ['सिंहगड रस्त्यावर पथदिवा आठवडाभर बंद आहे', 'sinhagad-road'],
    ['नगर रस्त्यावरील चौकात कचरा साचला आहे', 'nagar-road-vadgaon-sheri'],
    ['sinhagad rastyavar khadde padle ahet', 'sinhagad-road'],
  ])('"%s": a road named with रस्ता is the road the ward list names with रोड', async (complaint, ward) => {
    const c = w.citizen(phone());
    const ticket = await w.store.getTicket(filedIn(await c.says(complaint))!);
    expect(ticket?.ward).toBe(ward);
  });
});
