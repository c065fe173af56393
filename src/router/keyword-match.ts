import { matchTokens } from '../normalizer/match-key.ts';

// a word's ending: Devanagari vowel signs and nasal marks, or Latin vowels and the common English endings
const DEVANAGARI_ENDING = /[\u093E-\u094C\u0901-\u0903]+$/u;
const LATIN_ENDING = /(?:ing|ed|es|s|[aeiou]+)$/u;
// a stem this long may be followed by anything (तुंबल → तुंबलं, तुंबली, तुंबल्याने); a shorter one by a vowel sign only
const PREFIX_STEM = 3;
// the words of a phrase may stand this many words apart beyond their own count ("drain is overflowing")
const SLACK = 3;

interface Word {
  stem: string;
  short: boolean;
}

function wordOf(key: string): Word {
  const stem = /[a-z]/.test(key) ? key.replace(LATIN_ENDING, '') : key.replace(DEVANAGARI_ENDING, '');
  const kept = [...stem].length >= 2 ? stem : key;
  return { stem: kept, short: [...kept].length < PREFIX_STEM };
}

function wordMatches(w: Word, token: string): boolean {
  if (!token.startsWith(w.stem)) return false;
  if (!w.short) return true;
  const rest = token.slice(w.stem.length);
  return rest === '' || DEVANAGARI_ENDING.test(rest) && rest.replace(DEVANAGARI_ENDING, '') === '' || /^(?:s|es|[aeiou])$/u.test(rest);
}

/**
 * A rule's keywords as staff write them, matched the way citizens write: any script (folded as the categories'
 * keywords are), whatever the word's ending (overflow → overflowing, तुंबले → तुंबलं, तुंबली, फुटली → फुटल्याने, dog
 * → dogs), and a phrase's words in any order a few words apart ("drain overflow" in "the drain is overflowing").
 */
export function compileKeywords(keywords: readonly string[]): (text: string) => boolean {
  const phrases = keywords.map((k) => matchTokens(k).map((t) => wordOf(t.key))).filter((p) => p.length > 0);
  return (text) => {
    const tokens = matchTokens(text).map((t) => t.key);
    return phrases.some((words) => {
      const span = words.length + SLACK;
      return tokens.some((_t, start) => {
        const window = tokens.slice(start, start + span);
        return wordMatches(words[0]!, window[0]!) && words.slice(1).every((w) => window.some((t) => wordMatches(w, t)));
      });
    });
  };
}
