import { numericForm } from '../../normalizer/digits.ts';
import type { LokshahiApplication } from './application.ts';

/**
 * The Lokshahi Din orders' grounds for not taking an application (GAD circulars; PMC and Thane MC notices), those
 * a machine can see in the text. A rejection here is a proposal for staff, never a silent drop: a false rejection
 * turns a citizen away, so every rule asks for what says the matter itself is of that kind, not for a word that
 * merely occurs (a court building, a pensioner, a transformer's wires, an RTI activist).
 */
export type AdmissibilityRule = 'court' | 'service' | 'rti' | 'several' | 'escalation-without-token';

export type Admissibility = { admissible: true } | { admissible: false; rule: AdmissibilityRule; reason: string };

export interface AdmissibilityOptions {
  /** the departments a piece of text is about (e.g. the category matcher's departments); enables 'several' */
  departmentsOf?: (text: string) => string[];
}

// ---------------------------------------------------------------------------------------------------------------
// The word lists. Patterns run on folded text (see Folded below): lower case, one space between words, hyphens as
// spaces, Devanagari digits as ASCII, and the spellings people mix up made one (ी/ि, ू/ु, ई/इ, ऊ/उ, ँ/ं, nukta,
// ऱ/र), so a pattern is written in its ordinary spelling and a space in it is one space. Every pattern matches
// whole words only: nothing may touch it on either side but spaces and punctuation (no "court" in "courtyard", no
// "rti" in "parties"); Marathi's suffixes are therefore spelt out (न्यायालयात, न्यायालयातील …).

const any = (...alternatives: string[]): string => `(?:${alternatives.join('|')})`;
/** a, then at most `gap` words of the same clause (no punctuation between), then b */
const near = (a: string, b: string, gap = 3): string => `${a}(?: [^ ।.!?;,:]+){0,${gap}} ${b}`;

// --- court: the matter itself is before a court (sub judice) ---
// …but not the road to it: न्यायालयात जाणाऱ्या रस्त्याचे काम प्रलंबित, the road to the court is pending
const NOT_GOING = `(?! ${any('जाणार', 'जाणाऱ्या', 'जाण्या', 'येणार', 'येणाऱ्या', 'जाताना', 'जाने', 'आने')}\\p{L}*)`;
const MR_COURT_IN = `${any('न्यायालय', 'कोर्ट', 'हायकोर्ट', 'न्यायाधिकरण', 'ग्राहक मंच')}${any('ात', 'ातील', 'ामध्ये', 'ापुढे', 'ाकडे', 'ाने')}${NOT_GOING}`;
// filed, but not "will file" (a threat to go to court is not a case in court)
const MR_FILED = `दाखल(?! ${any('करणार', 'करीन', 'करेन', 'करू', 'करावा', 'करावी', 'करावे', 'करण्यात येईल', 'करू शकतो')})`;
const MR_CASE = any('केस', 'दावा', 'खटला', 'याचिका', 'प्रकरण', 'सुनावणी');
const HI_COURT_IN = `${any('न्यायालय', 'अदालत', 'कोर्ट', 'हाईकोर्ट', 'हाई कोर्ट', 'उपभोक्ता फोरम', 'न्यायाधिकरण')} ${any('में', 'के समक्ष')}${NOT_GOING}`;
const HI_FILED = `दायर(?! ${any('करूंगा', 'करूंगी', 'करेंगे', 'करना', 'कर दूंगा', 'करने')})`;
const EN_COURT = `(?:${any('the', 'a', "hon'?ble", 'honou?rable', 'high', 'supreme', 'district', 'civil', 'sessions', 'family', 'consumer', 'labou?r', 'small causes', 'city', 'lower', 'trial', 'industrial', 'bombay', "magistrate'?s?")} )*${any('court', 'tribunal', 'consumer forum')}(?! ${any('area', 'road', 'premises', 'building', 'compound', 'chowk', 'junction', 'campus', 'complex', 'gate', 'square', 'bus stop', 'station')})`;

const COURT = [
  // mr: प्रकरण न्यायालयात प्रलंबित आहे, उच्च न्यायालयात याचिका दाखल केली आहे, कोर्टात केस चालू आहे
  near(MR_COURT_IN, any('प्रलंबित', 'न्यायप्रविष्ट', MR_FILED, `${MR_CASE} ${any('सुरू', 'चालू', 'प्रलंबित', MR_FILED)}`), 2),
  `(?:दिवाणी |जनहित |रिट )?${any('दावा', 'खटला', 'याचिका')} ${MR_FILED}`,
  `न्यायप्रविष्${any('ट', 'ठ')}(?:ता|ते|तेमुळे)?`,
  // hi: मामला न्यायालय में विचाराधीन है, अदालत में केस चल रहा है, मुकदमा दायर किया है
  near(HI_COURT_IN, any('लंबित', 'विचाराधीन', 'चल रहा', 'चल रही', 'चल रहे', 'चालू', 'पेंडिंग', HI_FILED), 2),
  `${any('मुकदमा', 'मुकदमे', 'याचिका', 'रिट याचिका', 'जनहित याचिका')} ${HI_FILED}`,
  `${any('मुकदमा', 'मुकदमे')} ${any('लंबित', 'विचाराधीन', 'चल रहा', 'चल रहे')}`,
  any('न्यायाधीन', 'न्यायालयाधीन'),
  // en: the matter is sub judice, a writ petition, a case pending in the High Court, the court case is going on
  any('sub ?judice', 'writ petition', 'public interest litigation', 'pending litigation', 'litigation is pending'),
  near(any('pending', 'filed', 'lodged', 'instituted', 'going on', 'ongoing', 'sub judice', 'under trial', 'being heard'), `${any('in', 'before', 'with')} ${EN_COURT}`),
  near(`${any('court', 'legal')} ${any('case', 'matter', 'proceedings?', 'dispute', 'litigation', 'suit')}s?`, any('pending', 'filed', 'going on', 'ongoing', 'underway', 'running', 'in progress', 'sub judice'), 5),
  `${any('matter', 'case', 'dispute', 'issue')} is (?:${any('now', 'still', 'already', 'currently')} )?(?:pending )?${any('in', 'before')} ${EN_COURT}`,
  `there is an? ${any('court case', `case in ${EN_COURT}`)}`,
  // Marathi and Hindi in Latin letters: nyayapravisht, courtat case chalu aahe, court mein case chal raha hai
  'nyay ?pravi?sht[ah]?',
  near(`${any('court', 'kort', 'nyayalay')}${any('at', 'amadhe', 'amdhe')}`, any('pralambit', 'dakhal', 'chalu', 'suru')),
  near(`${any('court', 'adalat', 'nyayalay')} ${any('me', 'mein', 'mai')}`, any('chal raha', 'chal rahi', 'pending', 'lambit', 'vichar?adhin', 'dayar')),
];

// --- service: an employee's own service or establishment matter ---
// A citizen who asks that the negligent officer be suspended or transferred is complaining, not raising a
// service matter: suspension and transfer count only as the writer's own (माझी बदली, I was suspended).
const MY_MR = any('माझे', 'माझी', 'माझा', 'माझ्या', 'मला');
const MY_HI = any('मेरा', 'मेरी', 'मेरे', 'मुझे');
// the State's welfare pensions (old age, widow, disability) are a citizen's grievance, not a service matter
const NOT_WELFARE = `(?<!${any('वृद्धापकाळ', 'वृद्धापकाल', 'निराधार', 'विधवा', 'श्रावणबाळ', 'अपंग', 'दिव्यांग', 'विकलांग', 'वृद्धावस्था', 'old age', 'widows?', 'disability', 'handicapped')} (?:[^ ]+ )?)`;
const PENSION = `${NOT_WELFARE}${any('पेन्शन', 'पेंशन', 'निवृत्तिवेतन', 'निवृत्ती वेतन', 'सेवानिवृत्ती वेतन', 'सेवानिवृत्तीवेतन', 'pension')}`;
// "water supply service matter" is a civic service: सेवा/service preceded by one is not an employee's
const NOT_CIVIC = `(?<!${any('पाणीपुरवठा', 'पाणी', 'वीज', 'आरोग्य', 'स्वच्छता', 'नागरी', 'ऑनलाइन', 'घनकचरा', 'कचरा', 'ड्रेनेज', 'बस', 'अग्निशमन', 'रुग्णवाहिका', 'सार्वजनिक', 'civic', 'public', 'municipal', 'water', 'essential', 'basic')} )`;

const SERVICE = [
  // mr
  `${NOT_CIVIC}${any('सेवा ?विषयक', 'आस्थापना ?विषयक')}`,
  any('पदोन्नती', 'पदोन्नत्ती', 'वेतन ?श्रेणी(?:त|मध्ये|ची|चा|चे)?', 'वेतनमान', 'वेतन ?निश्चिती', 'वेतनवाढ', 'वेतन आयोग(?:ा\\p{L}*)?'),
  any('सेवा ?ज्येष्ठता', 'ज्येष्ठता (?:यादी|सूची)', 'अनुकंपा (?:तत्त्वावर|तत्वावर|नियुक्ती|आधारावर)'),
  `सेवेत ${any('कायम', 'नियमित', 'सामावून', 'पुनर्स्थापित', 'पुनर्स्थापना')}`,
  `${MY_MR} ${any('बदली', 'निलंबन', 'पदोन्नती', 'सेवानिवृत्तीचे लाभ')}`,
  `मला ${any('निलंबित', 'बडतर्फ')}`,
  // salary only the writer's and with what went wrong: "माझा पगार टँकरवर जातो" is a water complaint, and
  // "कामगारांना वेतन मिळाले नाही म्हणून कचरा उचलला जात नाही" a garbage one
  near(any('मला', 'आम्हाला', 'माझे', 'माझा', 'आमचे', 'आमचा'), `${any('वेतन', 'पगार')}(?: [^ ।.!?;,:]+){0,2} ${any('मिळाले', 'मिळाला', 'मिळत', 'दिले', 'दिला', 'अदा केले')} ${any('नाही', 'नसल्याने', 'नसून')}`, 4),
  `${any('वेतन', 'पगार')} ${any('थांबवले', 'थांबवला', 'रोखले', 'रोखला', 'प्रलंबित')}`,
  any('थकीत (?:वेतन|पगार)', '(?:वेतन|पगार) थकबाकी'),
  any('बदली (?:रद्द|आदेश)', 'बदलीचा आदेश', 'बदलीचे आदेश', 'विनंती बदली'),
  `निलंबन ${any('रद्द', 'मागे', 'कालावधी')}`,
  any('सेवानिवृत्ती(?:चे)? लाभ', 'उपदान', 'ग्रॅच्युइटी', 'ग्रॅच्युईटी', 'ग्रेच्युटी', 'भविष्य निर्वाह निधी', 'रजा रोखीकरण'),
  `${PENSION} ${any('मिळाली', 'मिळाले', 'मिळत', 'मंजूर', 'सुरू', 'चालू', 'प्रकरण', 'थकबाकी', 'फरक', 'निश्चिती', 'प्रस्ताव')}`,
  // hi
  `${MY_HI} ${any('तबादला', 'तबादले', 'स्थानांतरण', 'निलंबन', 'पदोन्नति', 'प्रमोशन', 'ग्रेच्युटी')}`,
  `मुझे ${any('निलंबित', 'बर्खास्त')}`,
  near(any('मुझे', 'हमें', 'मेरा', 'मेरी', 'हमारा', 'हमारी'), `${any('वेतन', 'तनख्वाह', 'सैलरी')} ${any('नहीं मिला', 'नहीं मिल रहा', 'नहीं मिल रही', 'रोका', 'रोक दिया')}`, 4),
  any('बकाया वेतन', 'वेतन वृद्धि', 'सेवानिवृत्ति लाभ', 'सेवा बहाली', 'सेवा में बहाल\\p{L}*', 'नौकरी (?:में )?बहाल\\p{L}*', 'अनुकंपा नियुक्ति'),
  `${any('तबादला', 'तबादले', 'स्थानांतरण')} ${any('रद्द', 'आदेश', 'का आदेश', 'को रद्द')}`,
  `निलंबन ${any('रद्द', 'वापस')}`,
  `${PENSION} ${any('नहीं मिल', 'नहीं मिली', 'स्वीकृत', 'मंजूर', 'शुरू', 'चालू', 'बकाया', 'प्रकरण', 'का भुगतान')}`,
  // en: "transfer" alone is a property's or a wire's as often as an employee's
  `${NOT_CIVIC}${any('service matters?', 'establishment matters?')}`,
  `my ${any('promotion', 'transfer(?! of)', 'suspension', 'increment', 'seniority', 'service book', 'service record')}`,
  `${any(`(?:my )?${NOT_WELFARE}${any('pension', 'gratuity')}`, `${any('my', 'our')} ${any('salary', 'wages')}`)} (?:${any('is', 'has', 'have', 'was')} )?(?:${any('not', 'still not')} )?(?:been )?${any('paid', 'received', 'credited', 'released', 'sanctioned', 'withheld', 'stopped', 'fixed', 'started', 'pending', 'delayed')}`,
  any('(?:salary|pension|gratuity) arrears', 'arrears of (?:my )?(?:salary|pension|pay)', 'pay (?:scale|fixation|commission)', 'annual increment', 'time bound promotion', 'departmental promotion', 'leave encashment', 'seniority list'),
  any('(?:denied|withheld|pending) promotion', 'promotion (?:is |has been )?(?:denied|withheld|pending|due|not given)', 'transfer (?:and |& )?posting'),
  `${any('i', 'we')} ${any('was', 'were', 'have been', 'has been', 'am', 'are')} (?:${any('illegally', 'wrongly', 'unfairly')} )?${any('transferred', 'suspended', 'dismissed', 'terminated')}`,
  any('(?:revoke|revocation of|cancel|withdraw) (?:my |the )?suspension', 'reinstate(?:ment)?(?: in| into| to)? (?:service|duty)', 'compassionate (?:appointment|grounds?)', 'regulari[sz]ation of (?:my |our )?services?'),
  // Latin: majhi badli, mera tabadla, padonnati
  `${any('majhi', 'mazi', 'mazhi', 'maji')} ${any('badli', 'padonnati')}`,
  `${any('mera', 'meri')} ${any('tabadla', 'transfer')}`,
  any('padonnati', 'seva ?vishayak', 'vetan ?shreni'),
];

// --- rti: a request for information under the RTI Act (or a grievance about one) ---
// The Act named, but not an "RTI activist": a citizen who says what they are still has a grievance.
const RTI_NAMED = `${any(
  'माहितीचा अधिकार',
  `माहितीच्या अधिकारा${any('खाली', 'खालील', 'अंतर्गत', 'नुसार', 'त', 'द्वारे', '')}`,
  `माहिती ?अधिकार(?:ा${any('खाली', 'खालील', 'अंतर्गत', 'नुसार', 'त', 'द्वारे')})?`,
  'सूचना (?:का|के) अधिकार(?: के (?:तहत|अंतर्गत))?',
  'सूचना अधिकार',
  'आरटीआय',
  'आरटीआई',
  'rti',
  'r\\.t\\.i\\.?',
  'right to information',
  'mahiti ?(?:cha|chya)? ?adhikar\\p{L}*',
  'suchna (?:ka|ke) adhikar',
)}(?! ${any('कार्यकर्ता', 'कार्यकर्ते', 'कार्यकर्त्या', 'activists?')})`;

const RTI = [
  `${any('कलम', 'धारा', 'section', 'sec\\.?', 'u/s')} 6 ?\\(1\\)`,
  `${any('जन ?माहिती', 'जन ?सूचना', 'लोक ?सूचना')} अधिकार(?:ी|ीकडे|ाकडे|ऱ्याकडे|्याकडे)`,
  any('public information officer', 'pio'),
  // an RTI appeal, named as such (an "RTI application" alone may be one the citizen made before, and now complains
  // of what it showed: that is a grievance; an application asking for information is caught below)
  near(RTI_NAMED, any('appeal', 'अपील', 'अपिल'), 2),
];
// a subject that calls the application an RTI application says what it is
const RTI_TITLE = near(RTI_NAMED, any('अर्ज', 'अर्जास', 'अर्जाला', 'अर्जाचे', 'अर्जाच्या', 'आवेदन', 'applications?'), 2);
// …or the Act named anywhere and information asked for: the form of an RTI application
const RTI_ASKS = [
  `(?:खालील |पुढील )?माहिती ${any('मिळावी', 'मिळणेबाबत', 'मिळण्याबाबत', 'द्यावी', 'देण्यात यावी', 'पुरवावी', 'उपलब्ध करून द्यावी', 'हवी आहे', 'मागत आहे', 'मागवत आहे')}`,
  'खालील माहिती',
  `${any('प्रमाणित', 'सत्य')} ?${any('प्रत', 'प्रती', 'प्रति', 'प्रतियां')}`,
  `${any('सूचना', 'जानकारी')} ${any('दी जाए', 'दी जाये', 'उपलब्ध कराई जाए', 'प्रदान की जाए', 'चाहिए', 'चाहता हूं', 'चाहती हूं')}`,
  `निम्नलिखित ${any('सूचना', 'जानकारी')}`,
  `${any('provide', 'furnish', 'supply', 'give')} (?:me )?(?:with )?(?:the )?(?:${any('following', 'below', 'certified', 'complete')} )?${any('information', 'details', 'copies', 'documents')}`,
  `information (?:is )?${any('sought', 'requested', 'required')}`,
  `${any('want', 'need', 'seek', 'request', 'require')} (?:the )?(?:following )?information`,
  any('certified cop(?:y|ies)', 'following information'),
  `mahiti ${any('milavi', 'dyavi', 'pahije')}`,
];

// --- escalation: the text says it follows an earlier Lokshahi Din application ---
const LOKSHAHI = any(`लोकशाही ?दिन${any('ात', 'ी', 'ाला', 'ामध्ये', 'ाच्या', 'ाचा', 'ाचे', 'ाची', '')}`, 'lok ?a?shahi (?:din|day)\\p{L}*');
const ESCALATION = [
  // मागील लोकशाही दिनात, यापूर्वी लोकशाही दिनात अर्ज, पिछले लोकशाही दिन, the earlier Lokshahi Din
  near(
    any('मागील', 'मागच्या', 'मागल्या', 'यापूर्वी', 'यापूर्वीच्या', 'पूर्वीच्या', 'पूर्वी', 'गेल्या', 'याआधी', 'याआधीच्या', 'आधीच्या', 'पिछले', 'पिछली', 'पहले', 'earlier', 'previous', 'prior', '(?:the|at|in) last', 'magil', 'yapurvi', 'pichhle', 'pichle'),
    LOKSHAHI,
    2,
  ),
  // लोकशाही दिनात अर्ज सादर केला होता / लोकशाही दिन में आवेदन दिया था
  `${LOKSHAHI}(?: [^ ।.!?;,:]+){0,3} ${any('केला', 'केली', 'दिला', 'दिली')} ${any('होता', 'होती')}`,
  `${LOKSHAHI}(?: [^ ।.!?;,:]+){0,3} ${any('किया', 'की', 'दिया', 'दी')} ${any('था', 'थी')}`,
];
// a token number written in the text is the earlier token, given in words instead of the field
const TOKEN_CITED = `${any('टोकन', 'token')}(?: ${any('क्रमांक', 'क्र\\.?', 'नं\\.?', 'नंबर', 'no\\.?', 'number', '#')})? ?[:.#]? ?[a-z]{0,4}[/ ]?\\d+`;

// --- several: one application, one grievance. A list's items, and the cues that an item is a step or a
// consequence of the one grievance rather than a grievance of its own ---
const STEP = [
  any('तक्रार (?:केली|दिली|नोंदवली|दाखल केली)', 'अर्ज (?:केला|दिला)', 'पाठपुरावा', 'स्मरणपत्र', 'उत्तर मिळाले नाही', 'दिनांक', 'भेट दिली'),
  any('शिकायत (?:की|दी|दर्ज)', 'आवेदन (?:दिया|किया)', 'जवाब नहीं'),
  any('complained', 'complaint (?:was |has been )?(?:lodged|registered|made|given|filed)', 'reminders?', 'follow(?:ed)? up', 'no (?:reply|response)', 'visited'),
  '\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4}',
];
const CONSEQUENCE = `^${any('त्यामुळे', 'यामुळे', 'ज्यामुळे', 'परिणामी', 'म्हणून', 'इसलिए', 'इस कारण', 'इसकी वजह से', 'जिससे', 'so', 'therefore', 'hence', 'thus', 'as a result', 'because of (?:this|that|it)', 'due to (?:this|that|it)')}`;

// ---------------------------------------------------------------------------------------------------------------

/** Checks the application against the rules in order: court, service, RTI, escalation without a token, several. */
export function checkAdmissibility(app: LokshahiApplication, opts: AdmissibilityOptions = {}): Admissibility {
  const text = Folded.of(`${app.subject}\n${app.description}`);

  const court = text.find(COMPILED.court);
  if (court) return reject('court', `the matter looks sub judice ("${court}"): Lokshahi Din does not take matters pending before a court`);
  const service = text.find(COMPILED.service);
  if (service) return reject('service', `an employee's service matter ("${service}"): Lokshahi Din does not take service or establishment matters`);
  const rti = text.find(COMPILED.rti) ?? Folded.of(app.subject).find(COMPILED.rtiTitle) ?? both(text, COMPILED.rtiNamed, COMPILED.rtiAsks);
  if (rti) return reject('rti', `a Right to Information request ("${rti}"): RTI applications go to the Public Information Officer`);

  if (!app.earlierToken?.trim()) {
    if (app.escalation) return reject('escalation-without-token', 'marked as an escalation of an earlier application, but no earlierToken is given');
    const said = text.find(COMPILED.escalation);
    if (said && !text.find(COMPILED.tokenCited))
      return reject('escalation-without-token', `the text says it follows an earlier Lokshahi Din application ("${said}"), but no earlierToken is given`);
  }

  const several = opts.departmentsOf ? severalGrievances(app.description, opts.departmentsOf) : undefined;
  if (several) return reject('several', several);
  return { admissible: true };
}

const reject = (rule: AdmissibilityRule, reason: string): Admissibility => ({ admissible: false, rule, reason });

function both(text: Folded, a: RegExp[], b: RegExp[]): string | undefined {
  const named = text.find(a);
  const asks = named && text.find(b);
  return named && asks ? `${named}" … "${asks}` : undefined;
}

/**
 * A numbered or bulleted list of grievances for different departments. Conservative: items that are steps of
 * the one grievance (I complained on …, no reply) or its consequences (त्यामुळे …, so …) do not count, items whose
 * department is unknown do not count, and two items count only when their departments do not overlap at all.
 * Without departmentsOf there is no telling two grievances from one told in steps, so nothing is rejected.
 */
function severalGrievances(description: string, departmentsOf: (text: string) => string[]): string | undefined {
  const items = listItems(description);
  if (items.length < 2) return undefined;
  const grievances: { n: number; text: string }[] = [];
  items.forEach((item, i) => {
    const folded = Folded.of(item);
    const last = grievances[grievances.length - 1];
    if (last && folded.test(COMPILED.consequence)) last.text += `\n${item}`;
    else if (!folded.find(COMPILED.step)) grievances.push({ n: i + 1, text: item });
  });
  const depts = grievances.map((g) => ({ n: g.n, of: new Set(departmentsOf(g.text)) })).filter((g) => g.of.size > 0);
  for (let i = 0; i < depts.length; i++)
    for (let j = i + 1; j < depts.length; j++) {
      const a = depts[i]!;
      const b = depts[j]!;
      if (![...a.of].some((d) => b.of.has(d)))
        return `${items.length} listed grievances for different departments: item ${a.n} (${[...a.of].join(', ')}) and item ${b.n} (${[...b.of].join(', ')}); Lokshahi Din takes one grievance per application`;
    }
  return undefined;
}

// List markers: 1) 1. (1) (१), a) (a), i) (ii), अ) ब), क) ख), and bullets at the start of a line. A number is
// a marker only where a list item could start (text start, a new line, after a space or punctuation) and only
// when followed by text, so 2.5 km, 05.03.2026 and Rs. 500 are not.
const MARKER = /(?<=^|[\s:;।.,])(?:\(?(\d{1,2})[).]|\(?([a-h])\)|\(?(i{1,3}|iv|vi{0,3}|ix|x)\)|\(?([अबकडइखगघ])\))(?=\s*[^\s\d])|^[ \t]*([•●▪◦■*–-])(?=\s)/gmu;
const ROMAN = ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x'];
// each family numbers its items 1, 2, 3 …; bullets are 0 (every one counts); -1: not of the family
const FAMILIES: { group: number; ordinal: (m: string) => number }[] = [
  { group: 1, ordinal: Number },
  { group: 2, ordinal: (m) => m.charCodeAt(0) - 96 },
  { group: 3, ordinal: (m) => ROMAN.indexOf(m) + 1 || -1 },
  // Marathi letters अ ब क ड, Hindi क ख ग घ: क is third in one and first in the other
  { group: 4, ordinal: (m) => 'अबकडइ'.indexOf(m) + 1 || -1 },
  { group: 4, ordinal: (m) => 'कखगघ'.indexOf(m) + 1 || -1 },
  { group: 5, ordinal: () => 0 },
];

/** The items of the longest list in the text (1, 2, 3 … in order, or bullets); [] when there is none. */
export function listItems(description: string): string[] {
  const text = numericForm(description.normalize('NFC'));
  const marks = [...text.matchAll(MARKER)];
  let best: { start: number; end: number }[] = [];
  for (const family of FAMILIES) {
    const ofFamily = marks.filter((m) => m[family.group] !== undefined);
    let run: { start: number; end: number }[] = [];
    for (const m of ofFamily) {
      const n = family.ordinal(m[family.group]!);
      if (n < 0) continue;
      const at = { start: m.index, end: m.index + m[0].length };
      // bullets: every one counts; numbers and letters: 1 starts a list, the next number continues it
      if (n === 0 || n === run.length + 1) run.push(at);
      else if (n === 1) run = [at];
      if (run.length > best.length) best = [...run];
    }
  }
  if (best.length < 2) return [];
  return best.map((m, i) => text.slice(m.end, best[i + 1]?.start ?? text.length).trim()).filter(Boolean);
}

// ---------------------------------------------------------------------------------------------------------------
// Folding: text and patterns through the same character map, keeping where each folded character came from so
// that a reason quotes the words as the applicant wrote them.

const NUKTA_LETTERS: Record<number, number> = {
  0x0929: 0x0928, 0x0931: 0x0930, 0x0934: 0x0933, 0x0958: 0x0915, 0x0959: 0x0916, 0x095a: 0x0917,
  0x095b: 0x091c, 0x095c: 0x0921, 0x095d: 0x0922, 0x095e: 0x092b, 0x095f: 0x092f,
};
const VOWEL_FOLD: Record<number, number> = { 0x0940: 0x093f, 0x0942: 0x0941, 0x0908: 0x0907, 0x090a: 0x0909, 0x0901: 0x0902 };
const DROPPED = new Set([0x093c, 0x200c, 0x200d, 0x00ad]);

/** One character's folded form: '' when it is dropped (nukta, zero-width joiners). Devanagari only. */
function foldDevanagari(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (DROPPED.has(cp)) return '';
  const to = NUKTA_LETTERS[cp] ?? VOWEL_FOLD[cp];
  if (to !== undefined) return String.fromCodePoint(to);
  if (cp >= 0x0966 && cp <= 0x096f) return String(cp - 0x0966);
  return ch;
}

class Folded {
  private constructor(
    readonly text: string,
    private readonly original: string,
    /** original index of each folded character */
    private readonly from: number[],
  ) {}

  static of(raw: string): Folded {
    const original = raw.normalize('NFC');
    let text = '';
    const from: number[] = [];
    let i = 0;
    for (const ch of original) {
      let out = /[\s\-‐‑–—_]/u.test(ch) ? ' ' : foldDevanagari(ch);
      if (out.length === 1 && out !== ' ') out = out.toLowerCase().charAt(0) || out;
      if (out === ' ' && (text === '' || text.endsWith(' '))) out = '';
      if (out === '’' || out === '‘' || out === '`') out = "'";
      for (let k = 0; k < out.length; k++) {
        text += out[k];
        from.push(i);
      }
      i += ch.length;
    }
    return new Folded(text, original, from);
  }

  /** The first pattern's match, as the applicant wrote it. */
  find(patterns: readonly RegExp[]): string | undefined {
    for (const p of patterns) {
      const m = p.exec(this.text);
      if (m) {
        const start = this.from[m.index] ?? 0;
        const last = this.from[m.index + m[0].length - 1] ?? start;
        return this.original.slice(start, last + 1 + (this.original.codePointAt(last)! > 0xffff ? 1 : 0)).replace(/\s+/g, ' ');
      }
    }
    return undefined;
  }

  test(p: RegExp): boolean {
    return p.test(this.text);
  }
}

const BOUNDARY_BEFORE = '(?<![\\p{L}\\p{M}\\p{N}])';
const BOUNDARY_AFTER = '(?![\\p{L}\\p{M}\\p{N}])';
const foldPattern = (source: string): string => [...source.normalize('NFC')].map(foldDevanagari).join('');
const word = (source: string): RegExp => new RegExp(`${BOUNDARY_BEFORE}(?:${foldPattern(source)})${BOUNDARY_AFTER}`, 'u');

const COMPILED = {
  court: COURT.map(word),
  service: SERVICE.map(word),
  rti: RTI.map(word),
  rtiNamed: [word(RTI_NAMED)],
  rtiTitle: [word(RTI_TITLE)],
  rtiAsks: RTI_ASKS.map(word),
  escalation: ESCALATION.map(word),
  tokenCited: [word(TOKEN_CITED)],
  step: STEP.map(word),
  consequence: new RegExp(`${foldPattern(CONSEQUENCE)}${BOUNDARY_AFTER}`, 'u'),
};
