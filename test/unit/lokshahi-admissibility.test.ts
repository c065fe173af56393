import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { isMessageKey, loadMessages, say, type MessageKey } from '../../src/bots/messages.ts';
import { ROOT } from '../support/bridge-process.ts';
import {
  checkAdmissibility,
  listItems,
  type AdmissibilityRule,
} from '../../src/connectors/lokshahi/admissibility.ts';
import type { LokshahiApplication } from '../../src/connectors/lokshahi/application.ts';

const application = (description: string, more: Partial<LokshahiApplication> = {}): LokshahiApplication => ({
  token: '412',
  applicationDate: '2026-03-05',
  applicant: { name: 'सुनीता पाटील' },
  subject: more.subject ?? 'तक्रार',
  description,
  ...more,
});

// a department classifier as the router would pass one: keywords, nothing more
const DEPARTMENTS: [string, RegExp][] = [
  ['water', /पाण|पानी|water|नळ/i],
  ['solid-waste', /कचर|कूड़|garbage|waste/i],
  ['electrical', /पथदिव|दिवे|स्ट्रीट लाइट|street ?lights?/i],
  ['drainage', /ड्रेनेज|गटार|drainage|sewage|नाल/i],
  ['roads', /खड्ड|गड्ढ|pothole|road|सड़क|रस्त/i],
];
const departmentsOf = (text: string): string[] => DEPARTMENTS.filter(([, re]) => re.test(text)).map(([d]) => d);

type Expected = AdmissibilityRule | 'admissible';
interface Case {
  name: string;
  text: string;
  expect: Expected;
  more?: Partial<LokshahiApplication>;
  /** pass the department stub (the default for 'several' cases) */
  departments?: boolean;
}

const CASES: Case[] = [
  // court: the matter itself is before a court
  { name: 'mr: the matter pending in court', text: 'घरासमोरील अतिक्रमणाबाबतचे प्रकरण न्यायालयात प्रलंबित आहे, तरीही कारवाई करावी.', expect: 'court' },
  { name: 'mr: a civil suit filed', text: 'या जागेबाबत शेजाऱ्यांनी दिवाणी दावा दाखल केला आहे.', expect: 'court' },
  { name: 'mr: न्यायप्रविष्ट', text: 'हे प्रकरण न्यायप्रविष्ट असूनही बांधकाम चालू आहे.', expect: 'court' },
  { name: 'mr: a petition filed in the High Court', text: 'रस्ता रुंदीकरणाविरुद्ध उच्च न्यायालयात याचिका दाखल केली आहे.', expect: 'court' },
  { name: 'hi: under consideration in the High Court', text: 'यह मामला उच्च न्यायालय में विचाराधीन है, फिर भी नोटिस दिया गया।', expect: 'court' },
  { name: 'hi: a case going on in court', text: 'इस दुकान को लेकर अदालत में केस चल रहा है।', expect: 'court' },
  { name: 'en: sub-judice', text: 'The matter is sub-judice but the encroachment continues.', expect: 'court' },
  { name: 'en: a writ petition', text: 'A writ petition about this road widening is before the court.', expect: 'court' },
  { name: 'en: the court case is pending', text: 'The court case regarding this plot is still pending.', expect: 'court' },
  { name: 'en: a case filed in the civil court', text: 'My neighbour has filed a case in the civil court about the wall.', expect: 'court' },
  { name: 'mr in Latin letters', text: 'ya jagevar courtat case chalu aahe', expect: 'court' },
  // court look-alikes
  { name: 'mr: garbage in front of the court', text: 'जिल्हा न्यायालयासमोर कचरा साचला आहे, कृपया उचलावा.', expect: 'admissible' },
  { name: 'en: courtyard', text: 'Garbage is dumped in the courtyard of our society.', expect: 'admissible' },
  { name: 'en: Court Road, Family Court', text: 'Street lights are not working on Court Road near the Family Court.', expect: 'admissible' },
  { name: 'mr: a threat to go to court', text: 'काम झाले नाही तर मी न्यायालयात दावा दाखल करणार आहे.', expect: 'admissible' },
  { name: 'en: a threat to go to court', text: 'If this is not fixed I will file a case in court.', expect: 'admissible' },
  { name: 'mr: the road to the court', text: 'न्यायालयात जाणाऱ्या रस्त्याचे काम प्रलंबित आहे.', expect: 'admissible' },
  { name: 'en: pending, in the court area', text: 'My complaint has been pending for months in the district court area: the drain is choked.', expect: 'admissible' },
  { name: 'hi: garbage in front of the court', text: 'कोर्ट के सामने कूड़ा पड़ा है, सफाई नहीं होती।', expect: 'admissible' },

  // service: an employee's own service matter
  { name: 'mr: my promotion', text: 'माझी पदोन्नती गेली तीन वर्षे प्रलंबित आहे.', expect: 'service' },
  { name: 'mr: my transfer', text: 'माझी बदली नियमबाह्य पद्धतीने करण्यात आली, ती रद्द करावी.', expect: 'service' },
  { name: 'mr: my pension', text: 'सेवानिवृत्तीनंतर दोन वर्षे झाली तरी माझे निवृत्तिवेतन मंजूर झाले नाही.', expect: 'service' },
  { name: 'mr: service matter named', text: 'सेवाविषयक बाबींबाबत माझे म्हणणे ऐकून घ्यावे.', expect: 'service' },
  { name: 'hi: my transfer', text: 'मेरा तबादला नियमों के विरुद्ध किया गया है।', expect: 'service' },
  { name: 'hi: salary not received', text: 'मुझे पिछले छह महीने से वेतन नहीं मिला है।', expect: 'service' },
  { name: 'en: suspension', text: 'I was suspended from duty without an inquiry; please revoke my suspension.', expect: 'service' },
  { name: 'en: pension not sanctioned', text: 'My pension has not been sanctioned even a year after I retired from PMC.', expect: 'service' },
  // service look-alikes
  { name: 'mr: a pensioner without water', text: 'मी ज्येष्ठ नागरिक व पेन्शनधारक आहे. आमच्या सोसायटीत तीन दिवसांपासून पाणी येत नाही.', expect: 'admissible' },
  { name: 'en: a pensioner without water', text: 'I am a retired pensioner and there has been no water supply for a week.', expect: 'admissible' },
  { name: "en: a street light's wires transferred", text: 'The street light pole was shifted but the wires were not transferred to the new pole, so the light is off.', expect: 'admissible' },
  { name: 'en: asks that the officer be suspended', text: 'Garbage is never lifted. The negligent sanitary inspector should be suspended and transferred.', expect: 'admissible' },
  { name: 'mr: asks that the officer be suspended', text: 'कचरा उचलला जात नाही. संबंधित अधिकाऱ्याचे निलंबन करावे.', expect: 'admissible' },
  { name: 'en: property name transfer', text: 'Property name transfer is not done even after paying the fee.', expect: 'admissible' },
  { name: "en: the workers' salary as the cause", text: 'Workers said their salary has not been paid, so they stopped collecting garbage.', expect: 'admissible' },
  { name: 'mr: my salary goes on water tankers', text: 'माझा पगार सगळा पाण्याच्या टँकरवर जातो, पाणी येत नाही.', expect: 'admissible' },
  { name: 'hi: a widow pension', text: 'मेरी माँ की विधवा पेंशन नहीं मिल रही है।', expect: 'admissible' },
  { name: 'mr: water supply service', text: 'पाणीपुरवठा सेवा विषयक तक्रार: आठवडाभर पाणी कमी दाबाने येते.', expect: 'admissible' },

  // rti
  { name: 'mr: information asked under RTI', text: 'माहितीच्या अधिकाराखाली खालील माहिती मिळावी: रस्त्याच्या कामाचे अंदाजपत्रक.', expect: 'rti' },
  { name: 'mr: to the public information officer', text: 'जन माहिती अधिकारी यांनी माझ्या अर्जाला उत्तर दिले नाही.', expect: 'rti' },
  { name: 'mr: section ६(१) in Devanagari digits', text: 'माहिती अधिकार अधिनियम २००५ च्या कलम ६(१) अन्वये अर्ज.', expect: 'rti' },
  { name: 'hi: section 6(1)', text: 'सूचना का अधिकार अधिनियम 2005 की धारा 6(1) के अंतर्गत आवेदन।', expect: 'rti' },
  { name: 'en: RTI and the following information', text: 'Under the RTI Act please provide me the following information about the tender.', expect: 'rti' },
  // rti look-alikes
  { name: 'en: PARTIES is not RTI', text: 'Disputes between the PARTIES in our society have blocked the drainage line.', expect: 'admissible' },
  { name: 'mr: an RTI activist with a pothole', text: 'मी माहिती अधिकार कार्यकर्ता आहे. आमच्या भागात रस्त्यावर मोठे खड्डे आहेत.', expect: 'admissible' },
  { name: 'en: information obtained under RTI', text: 'Information obtained under RTI shows the road was paid for but never built. Please build it.', expect: 'admissible' },
  { name: 'en: an RTI application made before, and the drain it showed', text: 'I had filed an RTI application which showed the drain work was never done. Please clean the drain.', expect: 'admissible' },
  { name: 'mr: an RTI application made before, and the road still broken', text: 'मी माहिती अधिकार अर्ज केला होता, त्यात काम पूर्ण झाल्याचे दाखवले; रस्ता अजूनही खड्डेमय आहे, दुरुस्ती करावी.', expect: 'admissible' },
  { name: 'mr: an RTI first appeal', text: 'माहिती अधिकार प्रथम अपील: मूळ अर्जाला उत्तर मिळाले नाही.', expect: 'rti' },

  // escalation without a token
  { name: 'marked as an escalation', text: 'कचरा अजूनही उचलला जात नाही.', more: { escalation: true }, expect: 'escalation-without-token' },
  { name: 'mr: the earlier Lokshahi Din', text: 'मागील लोकशाही दिनात अर्ज केला होता पण अजून काम झाले नाही.', expect: 'escalation-without-token' },
  { name: 'hi: the earlier Lokshahi Din', text: 'पिछले लोकशाही दिन में आवेदन दिया था, कोई कार्रवाई नहीं हुई।', expect: 'escalation-without-token' },
  { name: 'en: the previous Lokshahi Din', text: 'I raised this at the previous Lokshahi Din but nothing happened.', expect: 'escalation-without-token' },
  // escalation look-alikes
  { name: 'the earlier token given', text: 'मागील लोकशाही दिनात अर्ज केला होता पण अजून काम झाले नाही.', more: { escalation: true, earlierToken: 'LD/2025/0311' }, expect: 'admissible' },
  { name: 'the earlier token written in the text', text: 'मागील लोकशाही दिनात (टोकन क्र. ३११) अर्ज केला होता, काम झाले नाही.', expect: 'admissible' },
  { name: 'en: "my last Lokshahi Din application"', text: 'This is my last Lokshahi Din application: please clear the garbage.', expect: 'admissible' },
  { name: 'en: the next Lokshahi Din', text: 'No water for a week. I will attend the next Lokshahi Din in person.', expect: 'admissible' },

  // several grievances
  { name: 'mr: garbage and street lights', text: 'माझ्या तक्रारी:\n१) आमच्या गल्लीत कचरा उचलला जात नाही.\n२) पथदिवे गेले महिनाभर बंद आहेत.', expect: 'several' },
  { name: 'hi: potholes and water', text: '1. सड़क पर बड़े गड्ढे हैं।\n2. पानी की आपूर्ति कम दबाव से होती है।', expect: 'several' },
  { name: 'en: inline a) b)', text: 'a) Garbage not collected for a week b) Street lights not working in lane 4', expect: 'several' },
  // several look-alikes
  { name: 'mr: one grievance in numbered steps', text: '१) दि. ०३/०१/२०२६ रोजी पाण्याबाबत तक्रार केली.\n२) क्षेत्रीय कार्यालयाने पाहणी केली पण काम झाले नाही.\n३) अजूनही आमच्या इमारतीला पाणी येत नाही.', expect: 'admissible' },
  { name: 'en: a cause and its consequence', text: '1. The drainage line in our lane is choked.\n2. Because of this, sewage flows onto the road.', expect: 'admissible' },
  { name: 'mr: two items of one department', text: '1) कचरा उचलला जात नाही 2) कचराकुंडी तुटलेली आहे', expect: 'admissible' },
  { name: 'mr: a list, but no departmentsOf', text: '१) आमच्या गल्लीत कचरा उचलला जात नाही.\n२) पथदिवे गेले महिनाभर बंद आहेत.', departments: false, expect: 'admissible' },
  { name: 'en: numbers that are not a list', text: 'Pothole 2.5 m wide near building no. 12. It has been there since 05.03.2026.', expect: 'admissible' },
];

describe('checkAdmissibility', () => {
  it('has enough cases to mean something', () => expect(CASES.length).toBeGreaterThanOrEqual(30));

  it.each(CASES)('$name → $expect', ({ text, expect: expected, more, departments }) => {
    const verdict = checkAdmissibility(application(text, more), departments === false ? {} : { departmentsOf });
    if (expected === 'admissible') expect(verdict).toEqual({ admissible: true });
    else {
      expect(verdict).toMatchObject({ admissible: false, rule: expected });
      if (!verdict.admissible) expect(verdict.reason.length).toBeGreaterThan(20);
    }
  });

  it('quotes the words that decided, as the applicant wrote them', () => {
    const verdict = checkAdmissibility(application('माहितीच्या अधिकाराखाली खालील माहिती मिळावी.'));
    expect(verdict.admissible).toBe(false);
    if (!verdict.admissible) expect(verdict.reason).toContain('माहितीच्या अधिकाराखाली');
  });

  it('reads the subject too', () => {
    expect(checkAdmissibility(application('रस्त्याच्या कामाची कागदपत्रे.', { subject: 'RTI application' }))).toMatchObject({ rule: 'rti' });
  });
});

describe('listItems', () => {
  it('finds numbered, lettered and bulleted lists, and no list in prose', () => {
    expect(listItems('(१) कचरा (२) पाणी')).toEqual(['कचरा', 'पाणी']);
    expect(listItems('अ) कचरा ब) पाणी क) दिवे')).toEqual(['कचरा', 'पाणी', 'दिवे']);
    expect(listItems('क) कूड़ा ख) पानी')).toEqual(['कूड़ा', 'पानी']);
    expect(listItems('• garbage\n• water')).toEqual(['garbage', 'water']);
    expect(listItems('Ward 15. The road near plot 2) is broken.')).toEqual([]);
  });
});

describe('rejection texts (config/messages)', () => {
  const messages = loadMessages(join(ROOT, 'config', 'messages'));
  const RULES: AdmissibilityRule[] = ['court', 'service', 'rti', 'several', 'escalation-without-token'];
  it.each(RULES)('%s: told in Marathi (आपण), Hindi (आप) and English, with the ticket number', (rule) => {
    const key = `notAdmissible_${rule.replace(/-/g, '_')}`;
    expect(isMessageKey(key), key).toBe(true);
    const said = (lang: 'mr' | 'hi' | 'en') => say(messages, lang, key as MessageKey, { ticketNo: 'PMC10001' });
    for (const lang of ['mr', 'hi', 'en'] as const) expect(said(lang)).toContain('PMC10001');
    expect(said('mr')).toMatch(/आप(ल|ण)/);
    expect(said('mr')).toContain('लोकशाही दिन');
    expect(said('hi')).toMatch(/आप/);
  });
});
