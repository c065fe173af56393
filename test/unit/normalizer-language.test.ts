import { describe, expect, it } from 'vitest';
import { detectLanguage, detectScript } from '../../src/normalizer/language.ts';
import { repairMojibake } from '../../src/normalizer/mojibake.ts';

// Every example here was written for these tests: complaints as a citizen of Pune would send them.
const MARATHI_DEVANAGARI = [
  'कचरा उचलला नाही',
  'आमच्या गल्लीत तीन दिवसांपासून पाणी नाही',
  'कोथरूडमध्ये रस्त्यावर मोठा खड्डा पडला आहे',
  'पथदिवे बंद आहेत',
  'ड्रेनेज तुंबले आहे, लवकर दुरुस्त करा',
  'माझी तक्रार कुठे आहे?',
  'पुण्यातील रस्त्यांची अवस्था', // no marker word: the ending -तील decides
  'गटारीचं झाकण तुटलं', // colloquial neuter in -ं
  'बॅनर काढा', // candra e, as Marathi spells English words
  'रस्ता खराब झालाय, बघा जरा',
];
const HINDI_DEVANAGARI = [
  'पानी नहीं आ रहा',
  'हमारे इलाके में तीन दिन से कूड़ा नहीं उठाया गया',
  'सड़क पर गड्ढे हैं',
  'स्ट्रीट लाइट खराब है',
  'मेरी शिकायत का क्या हुआ?',
  'बच्चों के लिए पार्क की सफाई करवाइए',
];
const ENGLISH = [
  'Garbage not collected for 3 days',
  'Street light not working near Kothrud depot',
  'Water supply issue in our society',
  'Pothole on FC road, please fix',
  'What is the status of my complaint PMC10023?',
  'Thank you',
  'Garbage overflowing', // no function word: common words decide
];
const MARATHI_ROMAN = [
  'amchya bhagat 3 divsapasun pani nahi',
  'kachra uchalla nahi',
  'streetlight band aahe',
  'Kothrud madhe khadde khup ahet',
  'pani yet nahi',
  'majhi takrar kuthe aahe',
  'maza rasta khup kharab ahe',
  'gutter overflow hotay, please lavkar bagha',
  'kachra gadi aali nahi',
  'light nahi kal pasun',
];
const HINDI_ROMAN = [
  'hamare area mein 3 din se pani nahi aa raha',
  'kachra nahi uthaya gaya',
  'meri complaint ka kya hua',
  'sadak pe gadde hai',
  'light nahi hai kal se',
];

describe('detectLanguage', () => {
  it.each(MARATHI_DEVANAGARI)('Marathi in Devanagari: %s', (text) => {
    expect(detectLanguage(text)).toMatchObject({ lang: 'mr', script: 'Deva' });
  });
  it.each(HINDI_DEVANAGARI)('Hindi in Devanagari: %s', (text) => {
    expect(detectLanguage(text)).toMatchObject({ lang: 'hi', script: 'Deva' });
  });
  it.each(ENGLISH)('English: %s', (text) => {
    expect(detectLanguage(text)).toMatchObject({ lang: 'en', script: 'Latn' });
  });
  it.each(MARATHI_ROMAN)('romanised Marathi is Marathi in Latin script: %s', (text) => {
    expect(detectLanguage(text)).toMatchObject({ lang: 'mr', script: 'Latn' });
  });
  it.each(HINDI_ROMAN)('romanised Hindi is Hindi in Latin script: %s', (text) => {
    expect(detectLanguage(text)).toMatchObject({ lang: 'hi', script: 'Latn' });
  });

  it('reads the short answers of a conversation', () => {
    const cases: [string, string][] = [
      ['होय', 'mr'], ['नाही', 'mr'], ['ठीक आहे', 'mr'], ['हो, बरोबर', 'mr'], ['धन्यवाद साहेब', 'mr'],
      ['हाँ', 'hi'], ['जी हां', 'hi'], ['ठीक है', 'hi'], ['धन्यवाद साहब', 'hi'], ['haan', 'hi'],
      ['yes', 'en'], ['no', 'en'], ['English please', 'en'],
      ['मराठीत बोला', 'mr'], ['English nako, marathi madhe bola', 'mr'], ['हिंदी में बात करें', 'hi'],
      ['पाणी कधी येणार?', 'mr'], ['पानी कब आएगा?', 'hi'], ['pani kadhi yenar?', 'mr'], ['pani kab aayega?', 'hi'],
    ];
    for (const [text, lang] of cases) expect(detectLanguage(text).lang, text).toBe(lang);
  });

  it('code-mixed Marathi and English is Marathi, not English', () => {
    expect(detectLanguage('Traffic signal not working aahe since morning, lavkar fix kara').lang).toBe('mr');
    expect(detectLanguage('आमच्या society मध्ये water supply बंद आहे')).toMatchObject({ lang: 'mr', script: 'mixed' });
  });

  it('a Hindi headline behind an English prefix is Hindi', () => {
    expect(detectLanguage('PMC Budget 2025: शहर में पानी की नई योजना शुरू हुई').lang).toBe('hi');
  });

  it('ignores links, handles and addresses', () => {
    expect(detectLanguage('@PMCPune https://example.org/the/way/to/go कचरा उचलला नाही').lang).toBe('mr');
    expect(detectLanguage('the@example.org').lang).toBe('und');
  });

  it('says und when there is too little signal', () => {
    expect(detectLanguage('धन्यवाद')).toMatchObject({ lang: 'und', confidence: 0 }); // both languages say it
    expect(detectLanguage('12345')).toEqual({ lang: 'und', script: 'other', confidence: 0 });
    expect(detectLanguage('🙏🙏')).toMatchObject({ lang: 'und', script: 'other' });
    expect(detectLanguage('')).toMatchObject({ lang: 'und' });
  });

  it('says und for Nepali and Sanskrit rather than answer in the wrong language', () => {
    expect(detectLanguage('हाम्रो टोलमा तीन दिनदेखि पानी आएको छैन')).toMatchObject({ lang: 'und', script: 'Deva' });
    expect(detectLanguage('सडकमा ठूलो खाल्डो छ, कृपया मर्मत गर्नुहोस्').lang).toBe('und');
    expect(detectLanguage('सर्वे भवन्तु सुखिनः').lang).toBe('und');
  });

  it('is more confident with more evidence', () => {
    const short = detectLanguage('पाणी नाही');
    const long = detectLanguage('आमच्या भागात तीन दिवसांपासून पाणी आलेले नाही, कृपया लवकर व्यवस्था करा');
    expect(short.lang).toBe('mr');
    expect(long.confidence).toBeGreaterThan(short.confidence);
    expect(long.confidence).toBeLessThanOrEqual(1);
  });

  it('reads Marathi that arrived in the wrong character set', () => {
    const text = 'माझ्या घरासमोर कचरा आहे';
    const bytes = Buffer.from(text, 'utf8');
    for (const charset of ['windows-1252', 'ibm866']) {
      const garbled = new TextDecoder(charset).decode(bytes);
      expect(garbled).not.toBe(text);
      expect(detectLanguage(garbled)).toMatchObject({ lang: 'mr', script: 'Deva' });
    }
  });
});

describe('detectScript', () => {
  it('tells Devanagari, Latin, mixed and other apart', () => {
    expect(detectScript('कचरा')).toBe('Deva');
    expect(detectScript('kachra')).toBe('Latn');
    expect(detectScript('kachra कचरा')).toBe('mixed');
    expect(detectScript('ময়লা')).toBe('other'); // Bengali
    expect(detectScript('42 ✓')).toBe('other');
  });
});

describe('detectLanguage: evidence of spelling alone', () => {
  it('says when only the spelling of names tells (ळ, a nukta), so a place named alone does not count as a language', () => {
    for (const names of ['वारजे माळवाडी', 'गाडीतळ', 'लक्ष्मी रोड, तुळशीबाग', 'नळ स्टॉप', 'ज़ुबैर', 'मार्केट यार्ड']) {
      expect(detectLanguage(names).spellingOnly, names).toBe(true);
    }
  });

  it('does not say so when words or endings of the language are there, place names or not', () => {
    const cases: [string, 'mr' | 'hi'][] = [
      ['हडपसर गाडीतळाजवळ आहे', 'mr'],
      ['कात्रज चौकाजवळ', 'mr'], // the postposition glued to the place: Hindi says "के पास"
      ['तुळशीबागेसमोर कचरा साचला', 'mr'],
      ['गाडीतळ के पास है', 'hi'],
      ['माळवाडी में पानी नहीं आ रहा', 'hi'],
      ['पाणी नाही', 'mr'],
    ];
    for (const [text, lang] of cases) {
      const guess = detectLanguage(text);
      expect([guess.lang, guess.spellingOnly], text).toEqual([lang, undefined]);
    }
  });
});

describe('repairMojibake', () => {
  it('restores UTF-8 Devanagari read as Windows-1252 or IBM866', () => {
    const text = 'पाणी नाही ₹ 500 ✓';
    const bytes = Buffer.from(text, 'utf8');
    expect(repairMojibake(new TextDecoder('windows-1252').decode(bytes))).toBe(text);
    expect(repairMojibake(new TextDecoder('ibm866').decode(bytes))).toBe(text);
  });

  it('leaves real Latin-1 and Cyrillic text alone', () => {
    expect(repairMojibake('Café à la carte')).toBe('Café à la carte');
    expect(repairMojibake('привет, где мой заказ')).toBe('привет, где мой заказ');
    expect(repairMojibake('कचरा')).toBe('कचरा');
  });
});
