/**
 * Which Latin-letter words of a message are names rather than words: "Sharad Pawar", "Saki Naka", "AAP", "Modi ji".
 *
 * Indian English is full of names that happen to spell romanised Marathi or Hindi ("Mala Sinha", "Narasimha Rao",
 * "Jallianwala Bagh", "AAP", "PAN card"). English writes them the way it writes every name: Capitalised in the
 * middle of a sentence, acronyms in capitals, an honorific after them. Those spellings are what tell a name from a
 * marker word; a text written in Title Case or in capitals throughout says nothing by its case, so there only the
 * honorifics count.
 */
import { LATN_ENGLISH } from './language-markers.ts';

/** Said after (or instead of) a name in Indian English as much as in Marathi or Hindi: "Modi ji", "Pawar saheb". */
const HONORIFICS: ReadonlySet<string> = new Set('ji jee saheb sahab saab sahib rao tai dada bhau bhai didi'.split(' '));

export interface LatinWord {
  /** as written, case kept */
  text: string;
  start: number;
  end: number;
}

const CAPITALISED = /^\p{Lu}\p{Ll}+$/u;
const HAS_CAPITAL = /\p{Lu}/u;
const ACRONYM = /^\p{Lu}{2,}$/u;
// what ends a sentence, so that the word after it is capitalised for that reason alone
const SENTENCE_BREAK = /[.!?।॥:;\n]/u;
// more than this share of words in capitals and case is style (shouting), not acronyms
const CASE_IS_STYLE = 0.5;

function shareOf(words: readonly LatinWord[], test: (w: LatinWord) => boolean): number {
  let n = 0;
  for (const w of words) if (test(w)) n++;
  return words.length === 0 ? 0 : n / words.length;
}

/** Title Case shows in the small words: "Is", "In", "The" capitalised inside a sentence, not just the names. */
function isTitleCase(text: string, words: readonly LatinWord[]): boolean {
  let upper = 0;
  let lower = 0;
  words.forEach((w, i) => {
    if (i === 0 || LATN_ENGLISH[w.text.toLowerCase()] === undefined || w.text.length < 2) return;
    if (SENTENCE_BREAK.test(text.slice(words[i - 1]!.end, w.start))) return;
    if (/^\p{Lu}/u.test(w.text)) upper++;
    else lower++;
  });
  return upper > lower;
}

/**
 * For each word (Latin words of `text` in order, positions into `text`): is it a name? `text` is the message as
 * written, so the gaps between words (full stops, line ends) show where sentences start.
 */
export function nameLikeWords(text: string, words: readonly LatinWord[]): boolean[] {
  // all in lower case (most chat): only the honorifics can be names
  if (!HAS_CAPITAL.test(text)) return words.map((w) => HONORIFICS.has(w.text));
  const long = words.filter((w) => w.text.length >= 2);
  const titleCase = isTitleCase(text, words);
  const shouting = shareOf(long, (w) => ACRONYM.test(w.text)) > CASE_IS_STYLE;
  const capitalised = words.map((w) => !titleCase && CAPITALISED.test(w.text));
  const acronym = words.map((w) => !shouting && ACRONYM.test(w.text));
  return words.map((w, i) => {
    if (HONORIFICS.has(w.text.toLowerCase()) || acronym[i]) return true;
    if (!capitalised[i]) return false;
    const before = i === 0 ? text.slice(0, w.start) : text.slice(words[i - 1]!.end, w.start);
    const sentenceStart = i === 0 || SENTENCE_BREAK.test(before);
    if (!sentenceStart) return true;
    // a sentence's first word is capitalised anyway: a name only when the next word goes on with it ("Mala Sinha")
    const next = words[i + 1];
    return next !== undefined && (capitalised[i + 1] === true || acronym[i + 1] === true) && /^\s+$/u.test(text.slice(w.end, next.start));
  });
}
