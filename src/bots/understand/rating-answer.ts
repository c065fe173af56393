import type { NormalizedMessage } from '../../normalizer/index.ts';
import { foldedWords as fold, matchTokens, type MatchToken } from '../../normalizer/match-key.ts';
import type { Rating } from '../../normalizer/rating.ts';

// number words that start an answer: "3 ok ahe", "teen, kaam theek", "पाच, छान काम"
const NUMBER_WORDS = new Map<string, Rating>([
  ...[...fold('एक ek one')].map((w) => [w, 1] as const),
  ...[...fold('दोन दो don do two')].map((w) => [w, 2] as const),
  ...[...fold('तीन teen tin three')].map((w) => [w, 3] as const),
  ...[...fold('चार char chaar four')].map((w) => [w, 4] as const),
  ...[...fold('पाच पांच पाँच panch paanch pach paach five')].map((w) => [w, 5] as const),
]);

// How a citizen says how the work was, when they write a sentence instead of a number. Each list is a rung.
const BEST = fold(
  'उत्तम अप्रतिम जबरदस्त भारी मस्त सर्वोत्तम उत्कृष्ट शानदार बढ़िया बढिया बेहतरीन excellent superb great awesome fantastic perfect outstanding wonderful ' +
    'uttam apratim zabardast jabardast bhari mast badhiya behtareen shandar',
);
const GOOD = fold('छान चांगले चांगला चांगली अच्छा अच्छी अच्छे good nice fine well happy satisfied समाधानी संतुष्ट खुश chan chhan changle changla accha acha achha achchha khush');
const SO_SO = fold('ठीक ठिक बरे बरं ठीकठाक ok okay average thik theek thikthak bare bara');
const BAD = fold('वाईट खराब बेकार असमाधानी नाराज bad poor slow late unhappy vait kharab bekar naraz naraj');
const WORST = fold('worst useless pathetic terrible horrible disgusting भयंकर घाण बकवास bakvas bakwas');
// said of the work: done on time (good), done late or half (not so good)
const ON_TIME = fold('वेळेत लवकर त्वरित तत्पर जलदी जल्दी तुरंत quickly quick fast prompt promptly velet lavkar jaldi turant');
const LATE = fold('उशीर उशिरा उशिराने उशीरा अर्धवट अर्धा आधा देर देरी late delay delayed half adhurach adhura ardhavat ushira ushir der');
const DONE = fold('झाले झालं झाला केले केलं केला झाली हुआ हुई किया कर दिया done fixed solved resolved cleaned repaired zala zhala kela keli hua kiya');
// a face or a hand says it too
const EMOJI_FEELING: ReadonlyMap<string, Rating> = new Map([
  ['😍', 5], ['🤩', 5], ['😊', 5], ['😀', 5], ['😃', 5], ['💯', 5], ['👏', 5], ['🙂', 4], ['👍', 4], ['👌', 4],
  ['😐', 3], ['😕', 2], ['🙁', 2], ['☹', 2], ['😞', 2], ['😒', 2], ['😠', 1], ['😡', 1], ['🤬', 1], ['👎', 1],
]);
const VERY = fold('खूप फार अतिशय बहुत बहोत very really so too khup far atishay bahut bohot');
const NOT = fold('नाही नहीं नही ना not no never nahi nahin nai');
// the problem is back or was never fixed: the rating is recorded and the ticket reopened
const PERSISTS = [
  /\b(still|again|not (?:been )?(?:fixed|solved|done|repaired|working)|nothing (?:was |has been )?done|no work)\b/iu,
  /(अजून|अजूनही|परत|पुन्हा|अभी भी|अब भी|फिर से|जैसे थे|जैसा था|तसेच|तसाच|तशीच|काहीच (?:केले|झाले|काम)|काहीही (?:केले|झाले)|कुछ नहीं (?:किया|हुआ)|नहीं हुआ)/u,
  /\b(ajun|ajunhi|parat|punha|abhi bhi|ab bhi|phir se|kahich (?:kela|zala|kam)|kuch nahi (?:kiya|hua)|nahi hua|tasach|tasech)\b/iu,
];

// romanised Hindi "baad" (later, after) folds to English "bad": "baad me", "uske baad" are no bad rating
const LATER_KEY = 'बाद';
const AFTER_BAAD = new Set(['me', 'mein', 'main', 'mai', 'se', 'mey']);
/** the word at `i` of `text` (folded to "bad") is romanised "baad", later: spelt so, or "bad me", "bad se" */
export function isLater(text: string, words: readonly MatchToken[], i: number): boolean {
  const w = words[i]!;
  if (w.key !== 'bad') return false;
  const next = words[i + 1];
  return /^baa+d$/iu.test(text.slice(w.start, w.end)) || (next !== undefined && AFTER_BAAD.has(next.key));
}

const CONTRACTION_FIRST = /^\s*\p{L}+['’]\p{L}/u;

/** the citizen says the problem is still there or back ("अजूनही", "still", "फिर से") */
export const problemPersists = (text: string): boolean => PERSISTS.some((p) => p.test(text));

export interface RatingAnswer {
  rating: Rating;
  /** the citizen says the problem is still there: the ticket is reopened */
  persists: boolean;
  /** what the answer says besides the rating ("2, garbage still there" → "garbage still there"): no "why?" needed */
  comment?: string;
}

// words around a rating that give no reason for it: the unit, a verdict, thanks ("5 stars", "४ छान, धन्यवाद")
const NO_REASON = new Set([
  ...fold('star stars स्टार तारे out of पैकी में से rating रेटिंग गुण अंक marks points my माझे मेरी i give देतो देते देता देती dunga deto'),
  ...fold('काम kaam kam work job service सेवा'),
  ...fold('thanks thank you thx धन्यवाद आभार शुक्रिया dhanyavad dhanyawad shukriya aabhar ji जी sir साहेब madam is it आहे है ahe hai'),
]);
const isReason = (key: string) => !(NO_REASON.has(key) || BEST.has(key) || GOOD.has(key) || SO_SO.has(key) || BAD.has(key) || WORST.has(key) || VERY.has(key) || /^[0-9०-९]+$/u.test(key));

/** the text from the first word past `skip` words, when some word of it gives a reason */
function commentAfter(text: string, tokens: readonly MatchToken[], skip: number): string | undefined {
  const rest = tokens.slice(skip);
  if (!rest.some((t) => isReason(t.key))) return undefined;
  return text.slice(rest[0]!.start).trim();
}

/**
 * A reply to "rate us 1–5", read as a citizen writes it: the normalizer's strict rating ("५", "⭐⭐⭐⭐", "4/5"), a
 * number that starts a sentence ("3 ok ahe", "1. Nothing was done"), or the feeling of a sentence with no number
 * ("छान काम केलंत, धन्यवाद" → 5, "बरं होतं" → 3, "काहीच झाले नाही" → 1). Undefined when it says none.
 */
export function ratingAnswer(n: Pick<NormalizedMessage, 'text' | 'numeric' | 'entities'>): RatingAnswer | undefined {
  const persists = problemPersists(n.text);
  // the normalizer takes a message as a rating only when it says nothing else
  if (n.entities.rating !== undefined) return { rating: n.entities.rating, persists };
  const words = matchTokens(n.text);
  const tokens = words.map((t, i) => (isLater(n.text, words, i) ? LATER_KEY : t.key));
  const withComment = (rating: Rating, skip: number): RatingAnswer => {
    const comment = commentAfter(n.text, words, skip);
    return { rating, persists, ...(comment ? { comment } : {}) };
  };
  const leading = /^\s*([1-5])(?![0-9])\s*(?:[.,):/\-–]|$|\s)/u.exec(n.numeric)?.[1];
  // "4/5 …": the denominator is no comment
  if (leading) return withComment(Number(leading) as Rating, /^\s*[1-5]\s*\/\s*5/u.test(n.numeric) ? 2 : 1);
  // "don't …" is no "दोन" (two): a word cut at an apostrophe is an English contraction
  const first = CONTRACTION_FIRST.test(n.text) ? undefined : NUMBER_WORDS.get(tokens[0] ?? '');
  if (first !== undefined && tokens.length > 1) return withComment(first, 1);
  const felt = feeling(tokens) ?? emojiFeeling(n.text);
  // a sentence with a feeling is its own comment ("छान काम केलंत"), a word or a face alone is not ("छान", "👍")
  if (felt === undefined) return persists ? withComment(1, 0) : undefined;
  return withComment(persists ? (Math.min(felt, 2) as Rating) : felt, 0);
}

function emojiFeeling(text: string): Rating | undefined {
  for (const [emoji, rating] of EMOJI_FEELING) if (text.includes(emoji)) return rating;
  return undefined;
}

/**
 * The strongest feeling said, a "not" before or after a word turning it round ("चांगले नाही", "not good"); failing
 * any, how the work is said to have gone (on time 5, late or half done 2, done 4).
 */
function feeling(tokens: readonly string[]): Rating | undefined {
  let best: Rating | undefined;
  let late = false;
  let onTime = false;
  let done = false;
  tokens.forEach((t, i) => {
    const negated = NOT.has(tokens[i - 1] ?? '') || NOT.has(tokens[i + 1] ?? '');
    const very = VERY.has(tokens[i - 1] ?? '');
    let r: Rating | undefined;
    if (BEST.has(t)) r = negated ? 2 : 5;
    else if (GOOD.has(t)) r = negated ? 2 : very ? 5 : 4;
    else if (SO_SO.has(t)) r = negated ? 2 : 3;
    else if (BAD.has(t)) r = negated ? 3 : very ? 1 : 2;
    else if (WORST.has(t)) r = 1;
    if (r !== undefined && (best === undefined || Math.abs(r - 3) > Math.abs(best - 3))) best = r;
    if (LATE.has(t)) late = true;
    if (ON_TIME.has(t)) onTime = true;
    if (DONE.has(t) && !negated) done = true;
  });
  if (best !== undefined) return late && best > 3 ? 3 : best;
  if (late) return done ? 3 : 2;
  if (onTime) return 5;
  return done ? 4 : undefined;
}
