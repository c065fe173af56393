import { cleanText } from './text.ts';
import { numericForm } from './digits.ts';

export type Rating = 1 | 2 | 3 | 4 | 5;

// Number words a citizen answers with: Marathi and Hindi in Devanagari and in Latin letters, and English.
const NUMBER_WORDS = new Map<string, Rating>([
  ['एक', 1], ['दोन', 2], ['दो', 2], ['तीन', 3], ['चार', 4], ['पाच', 5], ['पांच', 5], ['पाँच', 5],
  ['one', 1], ['two', 2], ['three', 3], ['four', 4], ['five', 5],
  ['ek', 1], ['don', 2], ['do', 2], ['teen', 3], ['tin', 3], ['char', 4], ['chaar', 4],
  ['paanch', 5], ['panch', 5], ['paach', 5], ['pach', 5], ['paanch', 5],
]);

// Words that may stand around a rating without making the message anything else: "my rating", "I give", "stars",
// and the short verdicts and thanks people add ("5 - very good", "४ धन्यवाद"). A word outside this list means the
// message is about something else ("5 दिवस पाणी नाही" is five days without water, not a rating).
const RATING_WORDS = new Set(
  [
    // English
    'my', 'rating', 'rate', 'rated', 'i', 'give', 'giving', 'would', 'will', 'it', 'is', 'star', 'stars', 'out',
    'score', 'points', 'marks', 'ok', 'okay', 'thanks', 'thank', 'you', 'thx', 'very', 'good', 'great',
    'excellent', 'nice', 'average', 'poor', 'bad', 'satisfied', 'happy', 'service', 'sir', 'madam', 'feedback',
    'overall', 'so', 'much',
    // Marathi, Devanagari
    'माझे', 'माझी', 'माझा', 'रेटिंग', 'रेटींग', 'गुण', 'मी', 'देतो', 'देते', 'देईन', 'देतोय', 'दिले', 'आहे',
    'स्टार', 'तारे', 'तारा', 'छान', 'खूप', 'चांगले', 'चांगली', 'चांगला', 'उत्तम', 'बरे', 'ठीक', 'वाईट',
    'धन्यवाद', 'आभार', 'सेवा', 'साहेब', 'समाधानी',
    // Hindi, Devanagari
    'मेरी', 'मेरा', 'मैं', 'देता', 'देती', 'दूंगा', 'दूंगी', 'हूं', 'हूँ', 'है', 'सितारे', 'बहुत', 'अच्छा',
    'अच्छी', 'बढ़िया', 'खराब', 'बुरा', 'शुक्रिया', 'जी', 'अंक', 'संतुष्ट',
    // Marathi and Hindi in Latin letters
    'maze', 'majhe', 'maza', 'majha', 'mazi', 'majhi', 'mi', 'deto', 'dete', 'chan', 'chhan', 'khup', 'changle',
    'changla', 'uttam', 'bare', 'thik', 'theek', 'vait', 'dhanyavad', 'dhanyawad', 'aabhar', 'meri', 'mera',
    'main', 'mai', 'deta', 'deti', 'dunga', 'hu', 'hoon', 'hun', 'hai', 'bahut', 'bohot', 'accha', 'achha',
    'acha', 'badhiya', 'kharab', 'shukriya', 'ji',
  ].map((word) => word.normalize('NFC')),
);

const LONGEST_REPLY = 80; // characters, after cleanup; a rating reply is a few words
const MOST_WORDS = 12;

// "4/5", "4 out of 5", and the Marathi / Hindi order "5 पैकी 4", "5 में से 4": the denominator goes
const OUT_OF_FIVE_AFTER = /(?<=[0-9]\s*)(?:\/|out\s*of)\s*5(?![0-9])/g;
const OUT_OF_FIVE_BEFORE = /(?<![0-9])5\s*(?:पैकीं?|पैकि|में से|मे से|मधून|paiki|madhun|me se|mein se)(?![\p{L}\p{M}])/gu;
const STAR_WORD = /^[⭐★☆🌟]+$/u;
// emoji presentation selectors are combining marks (Mn) and would otherwise read as a word of their own: ⭐️
const VARIATION_SELECTORS = /[\uFE0E\uFE0F]/g;
const FILLED_STAR = /[⭐★🌟]/gu;
// digits glued to words ("5stars", "४स्टार") are two words
const DIGIT_LETTER = /(?<=[0-9])(?=[\p{L}\p{M}])|(?<=[\p{L}\p{M}])(?=[0-9])/gu;
const WORDS = /[\p{L}\p{M}\p{N}]+|[⭐★☆🌟]+/gu;
const ONE_TO_FIVE = /^[1-5]$/;

/**
 * The 1–5 rating in a reply to "please rate us 1–5", or undefined. Accepted only when the message is short and
 * essentially a rating: one value — a digit ("5", "५", "4/5", "५ पैकी ४"), a number word ("पाच", "चार", "दो",
 * "five", "paanch", "don"), or stars ("⭐⭐⭐⭐", "★★★☆☆" counts the filled ones) — and otherwise only words from a
 * short list of rating words, verdicts and thanks ("माझे रेटिंग ४", "rating: 4", "5 - very good", "5 stars").
 * Rejected: 0, 6 and above, long numbers, two different values, and any message with other words in it.
 */
export function parseRating(text: string): Rating | undefined {
  if (text.length > LONGEST_REPLY * 4) return undefined;
  const reply = numericForm(cleanText(text)).toLowerCase();
  if (reply.length > LONGEST_REPLY) return undefined;
  const words = reply
    .replace(VARIATION_SELECTORS, '')
    .replace(OUT_OF_FIVE_AFTER, ' ')
    .replace(OUT_OF_FIVE_BEFORE, ' ')
    .replace(DIGIT_LETTER, ' ')
    .match(WORDS);
  if (!words || words.length > MOST_WORDS) return undefined;

  let value: Rating | undefined;
  let stars = 0;
  for (const word of words) {
    let said: Rating | undefined;
    if (ONE_TO_FIVE.test(word)) said = Number(word) as Rating;
    else if (NUMBER_WORDS.has(word)) said = NUMBER_WORDS.get(word);
    else if (STAR_WORD.test(word)) {
      stars += word.match(FILLED_STAR)?.length ?? 0;
      continue;
    } else if (RATING_WORDS.has(word)) continue;
    else return undefined;
    if (value !== undefined && value !== said) return undefined;
    value = said;
  }
  if (value === undefined) return stars >= 1 && stars <= 5 ? (stars as Rating) : undefined;
  // "5 ⭐" or "5 ⭐⭐⭐⭐⭐": the stars are the unit or agree; "5 ⭐⭐" says two things
  return stars <= 1 || stars === value ? value : undefined;
}
