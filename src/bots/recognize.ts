import type { Language } from '../model/index.ts';
import type { Entities } from '../normalizer/index.ts';
import { foldedWords as fold, matchTokens } from '../normalizer/match-key.ts';

/**
 * What a citizen's short reply means, in any of our languages and scripts. Prompts from botbuilder know no
 * Marathi or Hindi ("होय" fails a ConfirmPrompt), so the bot asks with choices and reads answers here.
 * Words are compared folded (match-key.ts): "haan" = "han", "होय" with or without nukta, ee/i, w/v.
 */


const YES = fold('हो होय हां हाँ हा जी ठीक बरोबर सही हांजी हाँजी ho hoy haan han ha ji yes y yeah yep yup ok okay sure correct right theek thik barobar sahi');
const NO = fold('नाही नको नहीं नही ना चूक गलत nahi nahin nai nako na no n nope wrong chuk galat cancel रद्द radd');

const LANGUAGE_NAMES: readonly [Language, Set<string>][] = [
  ['mr', fold('मराठी मराठीत marathi marathit')],
  ['hi', fold('हिंदी हिन्दी hindi')],
  ['en', fold('english इंग्रजी इंग्लिश अंग्रेजी अंग्रेज़ी इंग्रजीत angrezi angreji ingraji')],
];
// a language refused: Marathi and Hindi say no after it ("English nako", "हिंदी नहीं"), English before ("not English")
const REFUSED_AFTER = fold('नको नाही नहीं नही nako nahi nahin nai');
const REFUSED_BEFORE = fold('not no dont');
// words that may stand around a language request without making it a complaint
const REQUEST_WORDS = fold(
  'मध्ये मधे में मे त please plz pls in madhe mdhe mein me bola बोला बोलें बात करें karen kara kar reply उत्तर answer ' +
  'द्या दें do talk speak write लिहा लिखें likha liha mala मला मुझे mujhe ka करा bolo boliye बोलो बोलिए likho',
);
const MOST_REQUEST_WORDS = 8;

/** "English please", "मराठीत बोला", "hindi mein", "English nako, marathi madhe bola": the language asked for. */
export function languageRequest(text: string): Language | undefined {
  const tokens = matchTokens(text);
  if (tokens.length === 0 || tokens.length > MOST_REQUEST_WORDS) return undefined;
  let asked: Language | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const key = tokens[i]!.key;
    const named = LANGUAGE_NAMES.find(([, names]) => names.has(key))?.[0];
    if (named) {
      const refused = REFUSED_AFTER.has(tokens[i + 1]?.key ?? '') || REFUSED_BEFORE.has(tokens[i - 1]?.key ?? '');
      if (refused) continue;
      if (asked && asked !== named) return undefined; // two languages asked for: not a clear request
      asked = named;
    } else if (!REQUEST_WORDS.has(key) && !REFUSED_AFTER.has(key) && !REFUSED_BEFORE.has(key)) {
      return undefined; // other words: a message about something else ("Marathi school madhe kachra")
    }
  }
  return asked;
}

/** A yes or a no, in any of our languages; undefined for anything else. */
export function yesOrNo(text: string): 'yes' | 'no' | undefined {
  const keys = matchTokens(text).map((t) => t.key);
  if (keys.length === 0 || keys.length > 3) return undefined;
  const yes = keys.some((k) => YES.has(k));
  const no = keys.some((k) => NO.has(k));
  if (yes === no) return undefined; // neither, or both ("हो नाही")
  // every word must be an answer word or a courtesy: "हो, बरोबर आहे" but not "नाही पाणी"
  return keys.every((k) => YES.has(k) || NO.has(k) || COURTESY.has(k)) ? (yes ? 'yes' : 'no') : undefined;
}
const COURTESY = fold('आहे है ahe aahe hai sir सर साहेब साहब saheb dhanyavad धन्यवाद thanks thank you please');

export type Intent = 'status' | 'info' | 'greeting' | 'thanks' | 'complaint';

const STATUS_WORDS = fold('status स्थिती स्थिति स्टेटस sthiti');
// "माझी तक्रार कुठे आहे", "meri shikayat ka kya hua", "what happened to my complaint"
const STATUS_PHRASES = [
  /(तक्रार|takrar|शिकायत|shikayat).{0,30}(कुठे|kuthe|काय झाल|kay zal|क्या हुआ|kya hua|कहाँ|कहां|kahan)/iu,
  /(कुठे|kuthe|क्या हुआ|kya hua).{0,30}(तक्रार|takrar|शिकायत|shikayat)/iu,
  /\b(where is|what happened to|status of|update on|any update on)\b.{0,20}\bcomplaint/iu,
];
const INFO_WORDS = fold('helpline हेल्पलाईन हेल्पलाइन timing timings वेळ समय office कार्यालय karyalay faq info information माहिती जानकारी');
const GREETINGS = fold('hi hello hey namaskar namaste नमस्कार नमस्ते राम good morning evening सुप्रभात शुभ');
const THANKS = fold('धन्यवाद आभार शुक्रिया thanks thank you thx dhanyavad dhanyawad shukriya ty');

/**
 * What a first message is about. Ticket numbers and status phrases make it a status query; a message that is only a
 * greeting, thanks or a question for information is that; anything else is taken as a complaint to collect.
 */
export function intentOf(text: string, entities: Pick<Entities, 'ticketNumbers'>): Intent {
  const keys = matchTokens(text).map((t) => t.key);
  const short = keys.length <= 6;
  if (entities.ticketNumbers.length > 0 || keys.some((k) => STATUS_WORDS.has(k)) || STATUS_PHRASES.some((p) => p.test(text))) {
    return 'status';
  }
  if (short && keys.some((k) => INFO_WORDS.has(k))) return 'info';
  if (keys.length > 0 && keys.every((k) => GREETINGS.has(k))) return 'greeting';
  if (keys.length > 0 && keys.every((k) => THANKS.has(k) || COURTESY.has(k))) return 'thanks';
  return 'complaint';
}
