import { foldedWords as fold, matchTokens } from '../../normalizer/match-key.ts';

// what a citizen says who would rather not give a reason: "no", "नाही", "नहीं", "nahi", "skip", "काही नाही",
// "कुछ नहीं", "no comment", "no thanks" — the words of a refusal and of politeness, nothing else
const REFUSAL = fold(
  'no nope nah na not nothing none nil skip pass comment comments thanks thank you sorry ' +
    'नाही नको काही काहीच कुछ भी नहीं नही ना मत धन्यवाद शुक्रिया जी सांगायचे सांगायचं बताना ' +
    'nahi nahin nai nako kahi kahich kuch bhi mat dhanyavad dhanyawad shukriya ji',
);
// the words that make it a refusal at all: "thanks" alone is politeness, and is taken as the comment
const SAYS_NO = fold('no nope nah na nothing none nil skip pass नाही नको काहीच नहीं नही ना मत nahi nahin nai nako kahich');
// a refusal is short; a sentence that starts with "नाही" ("नाही, अजून कचरा तसाच आहे") is a comment
const MOST_WORDS = 5;

/** the reply to "why did you rate us so?" declines to say ("नाही", "no thanks", "कुछ नहीं", "skip") */
export function declinesComment(text: string): boolean {
  const words = matchTokens(text).map((t) => t.key);
  return words.length > 0 && words.length <= MOST_WORDS && words.every((w) => REFUSAL.has(w)) && words.some((w) => SAYS_NO.has(w));
}
