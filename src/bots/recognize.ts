import type { Language } from '../model/index.ts';
import { foldedWords as fold, matchTokens } from '../normalizer/match-key.ts';

/**
 * What a citizen's short reply means, in any of our languages and scripts. Prompts from botbuilder know no
 * Marathi or Hindi ("होय" fails a ConfirmPrompt), so the bot asks with choices and reads answers here.
 * Words are compared folded (match-key.ts): "haan" = "han", "होय" with or without nukta, ee/i, w/v.
 */


const YES = fold('हो होय हां हाँ हा जी ठीक बरोबर सही हांजी हाँजी ho hoy haan han ha ji yes y yeah yep yup ok okay sure correct right theek thik barobar sahi');
const NO = fold('नाही नको नहीं नही ना चूक गलत nahi nahin nai nako na no n nope wrong chuk galat cancel रद्द radd');

const LANGUAGE_NAMES: readonly [Language, Set<string>][] = [
  // with the emphatic -च glued on too ("मराठीतच बोला", "marathitch")
  ['mr', fold('मराठी मराठीत मराठीतून मराठीच मराठीतच marathi marathit marathitun marathich marathitch marathitach')],
  ['hi', fold('हिंदी हिन्दी हिंदीत हिंदीतून हिंदीच हिंदीतच hindi hindit hindich hinditch')],
  ['en', fold('english इंग्रजी इंग्लिश अंग्रेजी अंग्रेज़ी इंग्रजीत इंग्रजीतून इंग्रजीच इंग्रजीतच angrezi angreji ingraji ingrajit inglish englishch')],
];
// a language refused: Marathi and Hindi say no after it ("English nako", "हिंदी नहीं"), English before ("not English")
const REFUSED_AFTER = fold('नको नाही नहीं नही nako nahi nahin nai');
// "don't" and "can't" are cut at the apostrophe into "don" / "can" and "t"
const REFUSED_BEFORE = fold('not no dont cannot cant t');
// words that may stand around a language request without making it a complaint
const REQUEST_WORDS = fold(
  'मध्ये मधे में मे त please plz pls in madhe mdhe mein me bola बोला बोलें बात करें karen kara kar reply उत्तर answer ' +
    'द्या दें do talk speak write लिहा लिखें likha liha mala मला मुझे mujhe ka करा bolo boliye बोलो बोलिए likho ' +
    'कृपया kripaya सांगा sanga sangaa bolaa samjhao samjhaiye समझाइए बताइए bataiye batao बताओ can could you u me to with ' +
    'आमच्याशी mazyashi majhyashi मुझसे mujhse humse हमसे baat kariye करिए karo करो kijiye कीजिए message messages मेसेज ' +
    'only फक्त सिर्फ sirf fakt language भाषा bhasha bhashet भाषेत reply replies chat',
);
const MOST_REQUEST_WORDS = 10;

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

/**
 * The languages a message names as wanted (a refused one left out: "English nako, marathi madhe bola" → mr):
 * what a request the intent layer recognised by its phrasing asks for ("Can you reply in English?").
 */
export function languagesNamed(text: string): Language[] {
  return languagesIn(text).wanted;
}

/** the languages a message names, wanted and refused ("मराठी समझ नहीं आती, हिंदी में लिखिए": wanted hi, refused mr) */
export function languagesIn(text: string): { wanted: Language[]; refused: Language[] } {
  const tokens = matchTokens(text);
  const named = new Set<Language>();
  const refusedOnes = new Set<Language>();
  for (let i = 0; i < tokens.length; i++) {
    const language = LANGUAGE_NAMES.find(([, names]) => names.has(tokens[i]!.key))?.[0];
    if (!language) continue;
    // "English nako", "इंग्रजी नीट कळत नाही", "मराठी समझ नहीं आती" refuse it after; "not English", "I don't understand Hindi"
    // before: a few words either way, up to another language's name ("hindi me likho, marathi nahi aati")
    const isName = (t: { key: string }) => LANGUAGE_NAMES.some(([, names]) => names.has(t.key));
    const upTo = (list: readonly { key: string }[]) => {
      const stop = list.findIndex(isName);
      return (stop < 0 ? list : list.slice(0, stop)).map((t) => t.key);
    };
    const after = upTo(tokens.slice(i + 1, i + 5));
    const before = upTo(tokens.slice(Math.max(0, i - 3), i).reverse());
    const refused = after.some((k) => REFUSED_AFTER.has(k)) || before.some((k) => REFUSED_BEFORE.has(k));
    if (refused) refusedOnes.add(language);
    else named.add(language);
  }
  return { wanted: [...named], refused: [...refusedOnes].filter((l) => !named.has(l)) };
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
