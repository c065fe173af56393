/**
 * Which PMC ward office a message names: "Kothrud", "कोथरूडमध्ये", "baner la", "Nagar Rd", "Karve Nagar".
 * The phrases come from config/wards.yaml (src/config/gazetteer.ts loads and checks them).
 */
import type { Ward } from '../config/gazetteer.ts';
import { matchTokens, PhraseIndex } from './match-key.ts';

export interface WardMatch {
  wardId: string;
  /** the words as written in the message, without a glued Marathi ending */
  matched: string;
  /** which list of the ward's entry the phrase came from */
  via: 'name' | 'alias' | 'formerName' | 'locality';
}

interface Found {
  wardId: string;
  /** the phrase starts with a generic word ("Nagar Road"): "Anand Nagar Road" is another road, not this ward */
  headless: boolean;
  via: WardMatch['via'];
  /** words in the configured phrase: "Karve Nagar" counts 2 even when written "Karvenagar" */
  words: number;
}

/**
 * Builds the index once; the returned function is pure and cheap (one Map lookup per word).
 * When a message names several places the longest phrase wins (the more specific: "Kothrud Depot" over
 * "Kothrud", "Karve Nagar" over "Kothrud"), and among equally long ones the earliest in the message.
 * A phrase listed under two wards goes to the first (the loader rejects such files).
 */
// words that name a kind of place; a phrase starting with one needs no name before it to be the ward's
const GENERIC_FIRST_WORDS = new Set(['nagar', 'नगर', 'road', 'रोड', 'peth', 'पेठ']);
// words that may stand right before such a phrase without changing which place it is
const LEAD_INS = new Set(
  'in at on near of from to the and or opp opposite behind la var madhe madhye jawal javal samor मध्ये ला वर जवळ समोर में पर के'.split(' '),
);
const WORD_BEFORE = /([\p{L}\p{M}]+)[^\S\n]*$/u;

/** Is the phrase at `start` preceded, on the same line, by a word that makes it part of a longer name? */
function namedBefore(text: string, start: number): boolean {
  const before = WORD_BEFORE.exec(text.slice(Math.max(0, start - 40), start));
  return before !== null && !LEAD_INS.has(before[1]!.toLowerCase());
}

export function createWardMatcher(wards: readonly Ward[]): (text: string) => WardMatch | undefined {
  const index = new PhraseIndex<Found>();
  // names first, so a phrase that is both a name and an alias reports 'name'
  for (const ward of wards) {
    const add = (phrase: string, via: WardMatch['via']) => {
      const tokens = matchTokens(phrase);
      const headless = GENERIC_FIRST_WORDS.has(tokens[0]?.key ?? '');
      index.add(phrase, { wardId: ward.id, via, words: tokens.length, headless });
    };
    add(ward.name.en, 'name');
    add(ward.name.mr, 'name');
    for (const a of ward.aliases) add(a, 'alias');
    for (const f of ward.formerNames) add(f, 'formerName');
    for (const l of ward.localities) add(l, 'locality');
  }

  return (text) => {
    let best: { found: Found; start: number; end: number } | undefined;
    for (const hit of index.scan(text)) {
      if (hit.value.headless && namedBefore(text, hit.start)) continue;
      if (!best || hit.value.words > best.found.words) best = { found: hit.value, start: hit.start, end: hit.end };
    }
    return best && { wardId: best.found.wardId, matched: text.slice(best.start, best.end), via: best.found.via };
  };
}
