import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/normalizer/language.ts';
import { nameLikeWords, type LatinWord } from '../../src/normalizer/latin-names.ts';

// Written for these tests (issue 16, part 2): short chatty Hindi that used to be read as Marathi or as nothing,
// English full of Indian names that used to be read as romanised Hindi or Marathi, and the Marathi (Devanagari and
// romanised) that must not move with them.

const SHORT_HINDI = [
  'जय हो', // हो after a word is Hindi "be"; Marathi's हो is "yes", alone or first
  'शर्म करो', // imperative in -ो (Marathi: करा)
  'जल्दी आओ',
  'बेकार व्यवस्था, शर्म करो',
  'इतना गंदा मोहल्ला', // measure word (Marathi: इतका)
  'फ़ालतू खर्चा', // nukta: Marathi writes फालतू
  'सफ़ाई कब',
  'हम रोज़ शिकायत करते हे', // करते is Hindi's habitual too; हे for है
  'हम आपकी सेवा करते', // genitive pronoun in -की (Marathi: तुमची)
  'काम नहि कीया', // chat spelling: vowel length not kept
  'श्रीकृष्ण की कृपा', // ण of the Sanskrit cluster ष्ण is not a Marathi hint
];

const MARATHI_STAYS_MARATHI = [
  'हेच का?', // का ending a question, emphatic -च
  'तोच का?',
  'हो, येतो', // हो = yes
  'बरं हो', // हो after a word, but Marathi's polite "yes"
  'का बोलला तो?', // का = why, before a Marathi past in -ला
  'पाणी आले का?',
  'तुम्ही का आला नाही', // का = why, before a Marathi verb
  'कृष्णा नदी',
  'मी तक्रार करते',
  'परिस्थिती वाईट',
  'कचरा टाकू नये',
];

const ENGLISH_WITH_INDIAN_NAMES = [
  'Modi ji is doing a great job',
  'Garbage near Shivaji Nagar bus stand, Modi ji please help',
  'Sharad Pawar ji spoke in Pune',
  'Modi ji and Sharad Pawar met in Delhi',
  'Shivaji Nagar is near Deccan, Tai',
  'AAP won in Punjab by a big margin',
  'Link your PAN with Aadhaar before March',
  'Varun Gandhi spoke to the press',
  'Narasimha Rao was a good PM',
  'Jallianwala Bagh is in Amritsar',
  'Traffic jam at Saki Naka every evening',
  'Mala Sinha acted in many films',
  'Diya Mirza and Rahi Anil Barve',
];

// names beside romanised Marathi or Hindi, with no English around them: still Marathi or Hindi
const ROMANISED: [string, 'mr' | 'hi'][] = [
  ['Mala Pune madhe yaycha ahe', 'mr'],
  ['Shivaji Nagar la pani nahi', 'mr'],
  ['Tai kay zala', 'mr'],
  ['Kay re Arjun, kuthe ahes?', 'mr'],
  ['Pani Kadhi Yenar Ahe', 'mr'],
  ['SHIVAJI NAGAR MADHE PANI NAHI', 'mr'],
  ['modi ji ne kya kaha', 'hi'],
  ['AAP ne kuch nahi kiya', 'hi'],
  ['Mala Sinha ka gaana bahut accha hai', 'hi'],
  ['Rahul bhai kab aaoge', 'hi'],
];

describe('detectLanguage: Hindi, Marathi and English where they look alike', () => {
  it.each(SHORT_HINDI)('short Hindi is Hindi: %s', (text) => {
    expect(detectLanguage(text)).toMatchObject({ lang: 'hi', script: 'Deva' });
  });
  it.each(MARATHI_STAYS_MARATHI)('Marathi stays Marathi: %s', (text) => {
    expect(detectLanguage(text)).toMatchObject({ lang: 'mr', script: 'Deva' });
  });
  it.each(ENGLISH_WITH_INDIAN_NAMES)('English naming Indian people and places is English: %s', (text) => {
    expect(detectLanguage(text)).toMatchObject({ lang: 'en', script: 'Latn' });
  });
  it.each(ROMANISED)('romanised, names and all: %s', (text, lang) => {
    expect(detectLanguage(text)).toMatchObject({ lang, script: 'Latn' });
  });

  it('a lone or doubled हो is the Marathi "yes" as much as anything: too little to say', () => {
    expect(detectLanguage('हो').lang).toBe('und');
    expect(detectLanguage('हो हो').lang).toBe('und');
  });
});

function latinWords(text: string): LatinWord[] {
  return [...text.matchAll(/[A-Za-z]+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

function names(text: string): string[] {
  const words = latinWords(text);
  const flags = nameLikeWords(text, words);
  return words.filter((_, i) => flags[i]).map((w) => w.text);
}

describe('nameLikeWords', () => {
  it('takes capitalised words inside a sentence, acronyms and honorifics for names', () => {
    expect(names('We saw Mala Sinha with the AAP team and Modi ji')).toEqual(['Mala', 'Sinha', 'AAP', 'Modi', 'ji']);
  });
  it('a sentence-initial capital is a name only when the next word goes on with it', () => {
    expect(names('Mala pani nahi. Mala Sinha is here')).toEqual(['Mala', 'Sinha']);
  });
  it('says nothing from case when the text is in Title Case or in capitals throughout', () => {
    expect(names('Mala Pani Is Not Coming In The Morning')).toEqual([]);
    expect(names('MALA PANI NAHI ALE')).toEqual([]);
  });
});
