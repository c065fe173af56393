import { foldedWords as fold, matchTokens } from '../../normalizer/match-key.ts';
import { problemPersists } from './rating-answer.ts';

// "later", "not now", "tomorrow": said by a citizen who will rate another time
const LATER = fold('नंतर नंतरच बाद बादमें later afterwards tomorrow उद्या कल nantar nanter baad badme baadme udya kal');
const NOT_NOW = [/(?:आत्ता|आता|अत्ता|अभी)\s*(?:नाही|नको|नहीं|नही)/u, /\b(?:not now|not right now|aata nahi|atta nahi|abhi nahi|abhi nahin)\b/iu];
// what is put off: the rating itself, or the verb of giving or telling it
const RATING = fold('rating ratings rate रेटिंग रेट गुण अंक स्टार stars star feedback फीडबॅक फीडबैक अभिप्राय राय प्रतिक्रिया नंबर number marks');
const GIVE_OR_TELL = fold(
  'देतो देते देईन देऊ दूंगा दूँगा दूंगी दूँगी देंगे देता देती देगा देगी सांगतो सांगते सांगेन सांगू बताऊंगा बताऊँगा बताऊंगी बताऊँगी बताएंगे बताता बताती ' +
    'give tell do deto dete deta deti dega degi dein deu dunga dungi denge sangto sangte sangen sangu bataunga bataungi batayenge batata batati',
);
// a number from 1 to 5 is a rating, whatever else is said ("3, बाकी नंतर सांगतो"), unless it counts something
// ("3 दिवस", "since 3 days", "तीन दिन से")
const A_NUMBER = /(?:^|[^\p{L}\p{N}])([1-5१-५]|one|two|three|four|five|ek|don|teen|char|paach|panch|एक|दोन|दो|तीन|चार|पाच|पांच|पाँच)(?![\p{L}\p{M}\p{N}])\s*(\p{L}*)/giu;
const COUNTED = /^(?:days?|weeks?|months?|hours?|times|दिवस\p{L}*|दिन\p{L}*|din\p{L}*|divas\p{L}*|आठवड\p{L}*|हफ्त\p{L}*|hafte|महिन\p{L}*|mahine|तास|ghante|घंटे|वेळा|वेळ|baar|बार|minutes?|मिनिट\p{L}*|मिनट|minute|वर्ष\p{L}*|साल)$/iu;
const ratesWithANumber = (text: string): boolean => [...text.matchAll(A_NUMBER)].some((m) => !COUNTED.test(m[2] ?? ''));
// without a word for the rating or for giving it, only a short answer puts it off ("later", "आत्ता नाही, नंतर"):
// "नंतर काहीच झाले नाही" says how the work went
const FEW_WORDS = 3;

/**
 * The answer to "rate us 1–5" puts the rating off: "रेटिंग नंतर देतो", "बाद में बताऊंगा", "I'll rate it later",
 * "aata nahi, nantar sangto". What else it says is read as if no rating had been asked ("…, आधी हे बघा — कात्रजला
 * परत कचरा साठलाय" is a complaint), and nothing is recorded: a made-up rating would flag or reopen a ticket.
 */
export function putsOffRating(text: string): boolean {
  if (ratesWithANumber(text)) return false;
  const words = matchTokens(text).map((t) => t.key);
  if (!words.some((w) => LATER.has(w)) && !NOT_NOW.some((p) => p.test(text))) return false;
  if (words.some((w) => RATING.has(w) || GIVE_OR_TELL.has(w))) return true;
  // "अभी नहीं हुआ" (not done yet) is no "not now"
  return words.length <= FEW_WORDS && !problemPersists(text);
}
