import { foldedWords as fold, matchTokens } from '../../normalizer/match-key.ts';
import { spellOutContractions } from './contractions.ts';
import { isLater, problemPersists } from './rating-answer.ts';

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
const A_NUMBER = /(?:^|[^\p{L}\p{N}])([1-5१-५]|one|two|three|four|five|ek|don|teen|char|paach|panch|एक|दोन|दो|तीन|चार|पाच|पांच|पाँच)(?![\p{L}\p{M}\p{N}])\s*([\p{L}\p{M}]*)/giu;
const COUNTED = /^(?:days?|weeks?|months?|hours?|times|minutes?|दिवस[\p{L}\p{M}]*|दिन[\p{L}\p{M}]*|din\p{L}*|divas\p{L}*|आठवड[\p{L}\p{M}]*|हफ्त[\p{L}\p{M}]*|hafte|महिन[\p{L}\p{M}]*|mahine|तास|ghante|घंटे|वेळा|वेळ|baar|बार|मिनिट[\p{L}\p{M}]*|मिनट|वर्ष[\p{L}\p{M}]*|साल)$/iu;
const ratesWithANumber = (text: string): boolean => [...spellOutContractions(text).matchAll(A_NUMBER)].some((m) => !COUNTED.test(m[2] ?? ''));
// "won't give even a star", "स्टार देणार नाही", "रेटिंग नको": a refusal, which says how it went
const REFUSAL = [
  /(?:नहीं|नही|मत)\s+(?:दूंगा|दूँगा|दूंगी|दूँगी|देंगे|दूं|दूँ)|(?:देणार|देईन|देतो|देते)\s+नाही|(?:रेटिंग|स्टार|गुण|अंक)\s+(?:नको|नाही)/u,
  /\b(?:won'?t|will not|not going to|never) (?:give|rate)|\b(?:nahi|nahin) (?:dunga|dungi|denge)|\bdenar nahi|\b(?:rating|star) nako\b/iu,
];
// "शिकायत करने के बाद", "काम झाल्या नंतर": "after" something happened, no putting off
const AFTER_SOMETHING = fold('के ke की ki');
const ENDS_LIKE_AFTER_SOMETHING = /(?:ल्या|lya|न्या|nya)$/u;
// without a word for the rating or for giving it, only a very short answer puts it off ("later", "बाद में"), or a
// "not now" ("आत्ता नाही, नंतर"): "later it broke" says how the work went
const FEW_WORDS = 2;
const FEW_WORDS_NOT_NOW = 3;

/**
 * The answer to "rate us 1–5" puts the rating off: "रेटिंग नंतर देतो", "बाद में बताऊंगा", "I'll rate it later",
 * "aata nahi, nantar sangto". Nothing is recorded: a made-up rating would flag a ticket. Never with a number that
 * rates, a refusal ("स्टार भी नहीं दूंगा"), or "later" told of the past ("शिकायत के बाद कोई नहीं आया"). Whether an
 * answer that also says the work went badly is still put off is the intent layer's call (understand.ts).
 */
export function putsOffRating(text: string): boolean {
  if (ratesWithANumber(text) || REFUSAL.some((p) => p.test(text))) return false;
  const spelt = spellOutContractions(text);
  const tokens = matchTokens(spelt);
  const words = tokens.map((t) => t.key);
  // "baad" folds to "bad": English "bad rating" is no "later"
  const saysLater = (w: string, i: number) => LATER.has(w) && (w !== 'bad' || isLater(spelt, tokens, i));
  const later = words.some((w, i) => saysLater(w, i) && !AFTER_SOMETHING.has(words[i - 1] ?? '') && !ENDS_LIKE_AFTER_SOMETHING.test(words[i - 1] ?? ''));
  const notNow = NOT_NOW.some((p) => p.test(text));
  if (!later && !notNow) return false;
  if (later && words.some((w) => RATING.has(w) || GIVE_OR_TELL.has(w))) return true;
  // "अभी नहीं हुआ" (not done yet) is no "not now"
  return words.length <= (notNow ? FEW_WORDS_NOT_NOW : FEW_WORDS) && !problemPersists(text);
}
