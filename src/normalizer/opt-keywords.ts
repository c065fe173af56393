import type { Language } from '../model/index.ts';

/** What a citizen's message asks of announcements (campaigns): stop them, or start them again. */
export interface OptKeyword {
  choice: 'in' | 'out';
  /** the language the keyword itself is in, when it says (STOP is English; बंद is Marathi or Hindi) */
  language?: Language;
}

// Only a message that is nothing but the keyword counts: "दिवा बंद आहे" (the light is off) and "पाणी बंद" (the
// water is off) are complaints. A leading "SMS"/"संदेश" ("संदेश बंद करा": stop the messages) is allowed, since it
// names what is to stop. "cancel", "end", "quit" and "yes" are left out on purpose: in a conversation with the bot
// they mean "cancel this complaint" or answer a question. Twilio's own STOP handling still covers them for SMS
// (its OptOutType parameter), see src/pipeline/opt-in-out.ts.
const WHAT = String.raw`(?:sms|messages?|msgs?|संदेश|मेसेज|मेसेजेस|मैसेज|एसएमएस)`;

const OUT: readonly { pattern: RegExp; language?: Language }[] = [
  { pattern: /^(?:stop|stop all|stopall|unsubscribe|opt out|optout)$/u, language: 'en' },
  { pattern: new RegExp(`^${WHAT} (?:stop|band|bandh)$`, 'u') },
  // Marathi imperatives: बंद करा (polite), बंद कर; रोका. Hindi: बंद करो, बंद कीजिए, रोको, रोकिए
  { pattern: new RegExp(`^(?:${WHAT} )?(?:बंद|बन्द|बंद करा|बन्द करा|बंद कर)$`, 'u') },
  { pattern: new RegExp(`^(?:${WHAT} )?(?:रोका|थांबवा)$`, 'u'), language: 'mr' },
  { pattern: new RegExp(`^(?:${WHAT} )?(?:बंद करो|बन्द करो|बंद कीजिए|बन्द कीजिए|बंद करें|रोको|रोकिए)$`, 'u'), language: 'hi' },
  // romanised, as people type on a phone
  { pattern: new RegExp(`^(?:${WHAT} )?(?:band|bandh|band kara|bandh kara|band kar|band karo|bandh karo|roka|roko|thambva)$`, 'u') },
];

// "चालू" or "सुरू" alone is an everyday answer ("is the light working now?" — "चालू"): only the imperative ("सुरू
// करा"), or the word with what is to start ("संदेश सुरू"), opts back in
const IN: readonly { pattern: RegExp; language?: Language }[] = [
  { pattern: /^(?:start|unstop|subscribe)$/u, language: 'en' },
  { pattern: new RegExp(`^(?:(?:${WHAT} )?(?:सुरू करा|सुरु करा|चालू करा)|${WHAT} (?:सुरू|सुरु|चालू))$`, 'u'), language: 'mr' },
  { pattern: new RegExp(`^(?:(?:${WHAT} )?(?:शुरू करो|शुरु करो|शुरू कीजिए|चालू करो)|${WHAT} (?:शुरू|शुरु))$`, 'u'), language: 'hi' },
  { pattern: new RegExp(`^(?:(?:${WHAT} )?(?:chalu kara|chalu karo|suru kara|shuru karo|start kara|start karo)|${WHAT} (?:chalu|chaalu|suru|shuru|start))$`, 'u') },
];

// what may surround the keyword: punctuation, quotes, the danda, emoji and spaces ("STOP!", "बंद।", "*stop*", "🙏 बंद")
const NOISE = /[^\p{L}\p{M}\p{N}]+/gu;
// zero-width joiners shape a conjunct (बन्‍द) and say nothing
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/gu;
// a message longer than this is never only a keyword
const LONGEST = 40;

/** The announcement keyword a message is, if it is nothing else. Pure. */
export function optKeyword(text: string): OptKeyword | undefined {
  if (text.length > LONGEST * 2) return undefined;
  const folded = text.normalize('NFC').replace(ZERO_WIDTH, '').toLowerCase().replace(NOISE, ' ').trim();
  if (folded.length === 0 || folded.length > LONGEST) return undefined;
  for (const { pattern, language } of OUT) if (pattern.test(folded)) return { choice: 'out', ...(language ? { language } : {}) };
  for (const { pattern, language } of IN) if (pattern.test(folded)) return { choice: 'in', ...(language ? { language } : {}) };
  return undefined;
}
