import type { Language } from '../model/index.ts';
import { foldedWords as words, matchTokens, type MatchToken } from '../normalizer/match-key.ts';
import type { Messages } from './messages.ts';

/** A question from the FAQ (config/messages, `faq:`): which entry, answered in the citizen's language. */
export interface Faq {
  /**
   * the id of the entry the message asks, or undefined when it is not such a question; `asked`: the intent layer
   * already read it as a question, so it need not show a question word
   */
  match(text: string, opts?: { asked?: boolean }): string | undefined;
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

interface Phrase {
  id: string;
  words: string[];
}

/**
 * Matches a citizen's question to an FAQ entry by its keywords, in any of our languages and scripts (the keywords
 * of all three files count for each entry, folded as the normalizer folds words, Marathi endings read: "फेसबुकवर").
 * The entry with the most keyword words wins; a tie goes to the entry listed first. Phrases are indexed by their
 * first word, so a message is read once, whatever the number of entries.
 */
export function createFaq(messages: Messages): Faq {
  const langs = Object.keys(messages) as Language[];
  const order = new Map<string, number>();
  const byFirstWord = new Map<string, Phrase[]>();
  for (const lang of langs)
    for (const [id, entry] of Object.entries(messages[lang].faq)) {
      if (!order.has(id)) order.set(id, order.size);
      for (const k of entry.keywords) {
        const words = matchTokens(k).map((t) => t.key);
        if (words.length === 0) continue;
        const list = byFirstWord.get(words[0]!) ?? [];
        if (!list.some((p) => p.id === id && p.words.join(' ') === words.join(' '))) list.push({ id, words });
        byFirstWord.set(words[0]!, list);
      }
    }
  return {
    match(text, opts = {}) {
      const tokens = matchTokens(text);
      if (tokens.length === 0 || tokens.length > MOST_WORDS * (opts.asked ? 2 : 1)) return undefined;
      const asks = opts.asked || text.includes('?') || ASKING_FIRST.has(tokens[0]!.key) || tokens.some((t) => ASKING.has(t.key));
      if (!asks) return undefined;
      // each phrase scores once however often it occurs
      const found = new Set<Phrase>();
      tokens.forEach((t, at) => {
        for (const first of [t.key, ...t.stems]) for (const p of byFirstWord.get(first) ?? []) if (!found.has(p) && hits(tokens, p.words, at)) found.add(p);
      });
      const score = new Map<string, number>();
      for (const p of found) score.set(p.id, (score.get(p.id) ?? 0) + p.words.length);
      let best: { id: string; score: number } | undefined;
      for (const [id, n] of score) if (!best || n > best.score || (n === best.score && order.get(id)! < order.get(best.id)!)) best = { id, score: n };
      return best?.id;
    },
  };
}
