import type { Language } from '../model/index.ts';
import { foldedWords as words, matchTokens, type MatchToken } from '../normalizer/match-key.ts';
import type { Messages } from './messages.ts';

/** A question from the FAQ (config/messages, `faq:`): which entry, answered in the citizen's language. */
export interface Faq {
  /** the id of the entry the message asks, or undefined when it is not such a question */
  match(text: string): string | undefined;
}

// a complaint often names a channel ("SMS केला पण उत्तर नाही"): only a short message that asks is an FAQ question
const MOST_WORDS = 14;
// these ask wherever they stand ("तक्रार कशी करायची", "kitne din lagenge")
const ASKING = words('कसे कशी कसा कसं कधी किती कैसे कब कितने कितना kase kasa kashi kasa kadhi kiti kaise kab kitne kitna how');
// these ask only at the start ("Can I send a photo"); inside a sentence they state ("Garbage is dumped … photo attached")
const ASKING_FIRST = words('काय कोणत्या कोणता क्या कहाँ कहां कौन what when where which can could does do is are kay kya');

const hits = (tokens: readonly MatchToken[], phrase: readonly string[], at: number): boolean =>
  phrase.every((word, i) => {
    const t = tokens[at + i];
    return t !== undefined && (t.key === word || t.stems.includes(word));
  });

/**
 * Matches a citizen's question to an FAQ entry by its keywords, in any of our languages and scripts (the keywords
 * of all three files count for each entry, folded as the normalizer folds words, Marathi endings read: "फेसबुकवर").
 * The entry with the most keyword words wins; a tie goes to the entry listed first.
 */
export function createFaq(messages: Messages): Faq {
  const langs = Object.keys(messages) as Language[];
  const entries = new Map<string, string[][]>();
  for (const lang of langs)
    for (const [id, entry] of Object.entries(messages[lang].faq)) {
      const phrases = entries.get(id) ?? [];
      for (const k of entry.keywords) phrases.push(matchTokens(k).map((t) => t.key));
      entries.set(id, phrases);
    }
  return {
    match(text) {
      const tokens = matchTokens(text);
      if (tokens.length === 0 || tokens.length > MOST_WORDS) return undefined;
      const asks = text.includes('?') || ASKING_FIRST.has(tokens[0]!.key) || tokens.some((t) => ASKING.has(t.key));
      if (!asks) return undefined;
      let best: { id: string; score: number } | undefined;
      for (const [id, phrases] of entries) {
        let score = 0;
        for (const phrase of phrases) if (phrase.length > 0 && tokens.some((_, at) => hits(tokens, phrase, at))) score += phrase.length;
        if (score > 0 && (!best || score > best.score)) best = { id, score };
      }
      return best?.id;
    },
  };
}
