import type { InboundMessage, Language } from '../../model/index.ts';
import type { Normalize, NormalizedMessage } from '../../normalizer/index.ts';
import { matchTokens } from '../../normalizer/match-key.ts';
import type { Faq } from '../faq.ts';
import { languageRequest, languagesIn, yesOrNo } from '../recognize.ts';
import type { IntentExample } from './intent-examples.ts';
import { IntentModel } from './intent-model.ts';
import { LEARNED_INTENTS, type Intent, type LearnedIntent, type TurnContext } from './intents.ts';
import { declinesPhoto } from './photo-answer.ts';
import { thanksForAFix } from './thanks-for-a-fix.ts';
import { ratingAnswer, type RatingAnswer } from './rating-answer.ts';
import { putsOffRating } from './rating-later.ts';
import { asksWhere } from './asks-where.ts';
import { turnFeatures } from './turn-features.ts';

/** What a turn means, and what it carries for the intent. */
export interface Understanding {
  intent: Intent;
  /** the classifier's belief in its own reading, 0–1 (1 when a rule decided) */
  confidence: number;
  /** `rating`: the value, and whether the citizen says the problem is still there */
  rating?: RatingAnswer;
  /** `language`: the language asked for */
  language?: Language;
  /** `question`: the FAQ entry asked, when one matches */
  faq?: string;
  /** the citizen says there is no photo (also alongside a place: "फोटो नाही. बिबवेवाडी…") */
  declinesPhoto: boolean;
  /** `complaint`: the words only point at the photo they came with ("हे बघा"); what is wrong is still to be asked */
  photoCaption?: boolean;
  /** asked for a rating, the citizen will give it later ("रेटिंग नंतर देतो"): nothing to record, not asked again now;
   *  with `rating` alone, or beside what they said instead (a new complaint, a status query) */
  ratingLater?: boolean;
}

/** The intent layer: the classifier trained from config/intents, with rules for what rules do best. */
export interface Understander {
  read(n: NormalizedMessage, context: TurnContext): Understanding;
  /** the words that pulled the turn to its intent (tuning, `pmc-bridge understand --explain`) */
  explain(n: NormalizedMessage): { intent: LearnedIntent; probability: number; because: { feature: string; weight: number }[] };
}

// a ticket number with at most this many words around it asks about that ticket; more is a complaint quoting one
const STATUS_BY_NUMBER_WORDS = 8;
// below this the classifier is guessing: answered with notUnderstood, or read as the answer the bot asked for
export const UNSURE = 0.45;

/** an example as the normalizer sees it: a message of one citizen, on no particular channel */
export function exampleMessage(text: string): InboundMessage {
  return {
    channel: 'sms',
    accountId: 'example',
    externalId: 'example',
    threadKey: 'example',
    sender: { id: 'example' },
    receivedAt: '2026-01-01T00:00:00.000Z',
    text,
    attachments: [],
    raw: null,
  };
}

export function createUnderstander(opts: { examples: readonly IntentExample[]; normalize: Normalize; faq: Faq }): Understander {
  const featuresOf = (n: Pick<NormalizedMessage, 'text' | 'numeric' | 'entities'>) => turnFeatures(n, { faq: opts.faq.match(n.text, { asked: true }) !== undefined });
  const samples = opts.examples.map((e) => ({ features: featuresOf(opts.normalize(exampleMessage(e.text))), label: LEARNED_INTENTS.indexOf(e.intent) }));
  const model = IntentModel.train(samples, LEARNED_INTENTS.length);

  const learned = (n: NormalizedMessage, context: TurnContext): Guess => {
    const probabilities = withContext(model.predict(featuresOf(n)).probabilities, context);
    let label = 0;
    for (let c = 1; c < probabilities.length; c++) if (probabilities[c]! > probabilities[label]!) label = c;
    return { intent: LEARNED_INTENTS[label]!, probability: probabilities[label]!, probabilities };
  };

  return {
    read(n, context) {
      const reading = readTurn(n, context, learned, opts.faq);
      // "no photo" matters where a photo or a place is the answer, or where the message says it of itself
      const i = reading.intent;
      const declines = reading.sure || i === 'complaint' || i === 'place' || i === 'no_photo' || context === 'where' || context === 'photo' ? declinesPhoto(n.text) : false;
      return { intent: i, confidence: reading.confidence, declinesPhoto: declines, ...reading.extra };
    },
    explain(n) {
      const features = featuresOf(n);
      const p = model.predict(features);
      return { intent: LEARNED_INTENTS[p.label]!, probability: p.probability, because: model.explain(features, p.label) };
    },
  };
}

// a message this short that names a place says the place
const PLACE_ALONE_WORDS = 4;
// readings a named place overrides in a short message: "कात्रज" is not a greeting
const LITTLE_SAID: ReadonlySet<Intent> = new Set(['greeting', 'thanks', 'off_topic', 'abuse']);
// intents that a sentence with a feeling may be, instead of a rating, when the bot asked for one
const ASIDE_FROM_RATING: ReadonlySet<Intent> = new Set(['complaint', 'status', 'wish_to_complain', 'language', 'question', 'cancel', 'place']);
// what a rating put off may come with, said instead ("rating nantar, aadhi he aika: … gutter tumbla ahe")
const SAID_INSTEAD_OF_RATING: ReadonlySet<Intent> = new Set(['complaint', 'place', 'status', 'wish_to_complain', 'language', 'question', 'outside_area']);
// intents that say nothing about a place, even when one is named ("Wakad ward office cha number kay?")
const NOT_ABOUT_A_PLACE: ReadonlySet<Intent> = new Set(['status', 'language', 'question', 'cancel', 'photo_promise', 'no_photo', 'rating']);
// the readings a named civic problem overrides ("hello sir, …", "you idiots, the pipe is leaking …")
const PROBLEM_MAKES_COMPLAINT: ReadonlySet<Intent> = new Set(['greeting', 'thanks', 'abuse', 'wish_to_complain']);

// What the bot just asked makes some readings likelier: an answer to "where?" is most often a place. A prior on the
// classifier's probabilities, not a rule: a clear status query or language request to "where?" still wins.
const CONTEXT_PRIOR: Readonly<Record<TurnContext, Partial<Record<LearnedIntent, number>>>> = {
  none: {},
  what: { complaint: 3 },
  where: { place: 4, complaint: 1.5 },
  photo: { photo_promise: 3, no_photo: 3 },
  rating: { rating: 4, thanks: 2 },
};

// the priors as multipliers in class order, made once
const PRIOR_VECTORS = Object.fromEntries(
  Object.entries(CONTEXT_PRIOR).map(([context, prior]) => [context, Float64Array.from(LEARNED_INTENTS, (i) => prior[i] ?? 1)]),
) as Record<TurnContext, Float64Array>;

/** the classifier's probabilities times the context's prior, normalised again (in place: they are the turn's own) */
function withContext(probabilities: Float64Array, context: TurnContext): Float64Array {
  if (context === 'none') return probabilities;
  const prior = PRIOR_VECTORS[context];
  let sum = 0;
  for (let c = 0; c < probabilities.length; c++) sum += probabilities[c]! *= prior[c]!;
  for (let c = 0; c < probabilities.length; c++) probabilities[c]! /= sum;
  return probabilities;
}

interface Guess {
  intent: LearnedIntent;
  probability: number;
  probabilities: Float64Array;
}

interface Reading {
  intent: Intent;
  confidence: number;
  /** a rule decided it, not the classifier */
  sure: boolean;
  extra: Partial<Understanding>;
}

const ruled = (intent: Intent, extra: Partial<Understanding> = {}): Reading => ({ intent, confidence: 1, sure: true, extra });
const guessed = (intent: Intent, guess: Guess, extra: Partial<Understanding> = {}): Reading => ({ intent, confidence: guess.probability, sure: false, extra });

/** The rules around the classifier, in order: what rules do best first, the classifier's reading corrected after. */
function readTurn(n: NormalizedMessage, context: TurnContext, learned: (n: NormalizedMessage, context: TurnContext) => Guess, faq: Faq): Reading {
  // nothing written: a shared pin says where; a photo alone is (part of) a complaint
  if (n.text === '') return ruled(n.entities.location?.source === 'pin' ? 'place' : 'complaint');
  const strictLanguage = languageRequest(n.text);
  if (strictLanguage) return ruled('language', { language: strictLanguage });

  const guess = learned(n, context);
  let intent: Intent = guess.intent;
  const words = matchTokens(n.text).length;
  const e = n.entities;

  if (context === 'rating') {
    // a number ("५", "3 ok ahe", "1. Nothing was done") is the answer whatever follows; a sentence with a feeling
    // is one unless it is plainly something else (a new complaint, a status query)
    const numbered = e.rating !== undefined || LEADING_RATING.test(n.numeric);
    const answer = ratingAnswer(n);
    // "रेटिंग नंतर देतो, आधी हे ऐका — …": nothing to record; the rest is read as if no rating had been asked. An
    // answer that also says it went badly is the rating ("काम अजून झालं नाही, रेटिंग नंतर देतो" reopens the ticket),
    // unless it names a problem or a place: then it is a complaint ("…, आधी हे बघा — कात्रजला परत कचरा साठलाय")
    const namesAProblem = e.categories.length > 0 || Boolean(e.place || e.ward);
    const wentBadly = answer !== undefined && answer.rating <= 2;
    if (!numbered && (!wentBadly || namesAProblem) && putsOffRating(n.text)) {
      const rest = readTurn(n, 'none', learned, faq);
      // a new complaint must name its problem or its place: the classifier's guess alone would open an intake
      const saidInstead = rest.intent === 'complaint' ? namesAProblem : SAID_INSTEAD_OF_RATING.has(rest.intent);
      return saidInstead ? { ...rest, extra: { ...rest.extra, ratingLater: true } } : ruled('rating', { ratingLater: true });
    }
    // "अजूनही कचरा तसाच आहे" to "how was it?" is about the same problem: a low rating, and the ticket reopened;
    // a "complaint" that names no problem and no place ("bahut badhiya, ek hi din me kaam ho gaya") is the rating
    const noNewComplaint = intent === 'complaint' && !namesAProblem && !CONTRAST.test(n.text);
    if (answer && (numbered || answer.persists || noNewComplaint || !ASIDE_FROM_RATING.has(intent))) return ruled('rating', { rating: answer });
    // a plain thank-you to "how was it?" says it was good
    if (intent === 'thanks' && guess.probability >= UNSURE) return ruled('rating', { rating: { rating: 5, persists: false } });
  }
  if (context === 'photo' && !e.place && !e.ward) {
    const yn = yesOrNo(n.text);
    if (yn === 'no' || declinesPhoto(n.text)) return ruled('no_photo');
    if (yn === 'yes') return ruled('photo_promise');
  }
  if (e.ticketNumbers.length > 0 && (words <= STATUS_BY_NUMBER_WORDS || intent === 'status')) return ruled('status');

  // a request for a language names one; "Marathi school madhe kachra" names one too, so the classifier must also
  // think it likely (first or second); "not X, Y please" is a request whatever else it says
  const { wanted, refused } = languagesIn(n.text);
  if (wanted.length === 1 && (refused.length > 0 || intent === 'language' || secondBest(guess.probabilities, intent) === 'language'))
    return guessed('language', guess, { language: wanted[0]! });
  if (intent === 'language') intent = secondBest(guess.probabilities, 'language');
  if (intent === 'rating' && context !== 'rating') {
    // a rating nobody asked for counts only as a plain one ("५", "⭐⭐⭐⭐"); the policy records it if one is due.
    // "थँक्यू, छान काम" out of the blue is thanks.
    if (e.rating !== undefined) return guessed('rating', guess, { rating: { rating: e.rating, persists: false } });
    // 'language' was set aside above when no language was named: not back here
    intent = secondBest(guess.probabilities, 'rating', 'language');
  }
  // thanks for a problem set right names the problem, and is still thanks
  if (context !== 'rating' && thanksForAFix(n)) return ruled('thanks');
  // a problem named makes it a complaint, whatever greeting, thanks or swear word stands around it; so is a place
  // with a problem, except to "where?", where a place may be named after what is there ("कचरा डेपोकडे जाणारा रस्ता")
  if (e.categories.length > 0 && (PROBLEM_MAKES_COMPLAINT.has(intent) || (intent === 'place' && context !== 'where'))) intent = 'complaint';
  // a problem told with "no photo" at its end ("…near Karve Road, no photo", "कचरा साचला आहे, फोटो नाही") is the
  // complaint, the photo declined with it; not as the answer to "photo?" or to "where?" ("फोटो नाही, पण जागा
  // सांगतो: … पाण्याच्या टाकीजवळ" names its place by what is there)
  if (intent === 'no_photo' && context !== 'photo' && context !== 'where' && e.categories.length > 0) intent = 'complaint';
  // "no photo, sorry. Location: Baner" to "where?" answers where
  if (intent === 'no_photo' && context !== 'photo' && (e.place || e.ward || e.outsideArea)) intent = 'place';
  // a pin shared with a few words and no problem named ("हे ठिकाण", "मंदिराजवळ"): the place
  if (e.location?.source === 'pin' && e.categories.length === 0 && words <= PLACE_ALONE_WORDS && !NOT_ABOUT_A_PLACE.has(intent)) intent = 'place';
  // a place named, and little else the classifier can read ("कात्रज", "Kothrud depot javal"): the place
  if ((e.ward || e.place) && words <= PLACE_ALONE_WORDS && (guess.probability < UNSURE || LITTLE_SAID.has(intent))) intent = 'place';
  // "कोथरूड क्षेत्रीय कार्यालय कुठे आहे?" asks where a place is; it does not say where a problem is
  if (intent === 'place' && context !== 'where' && asksWhere(n.text)) intent = 'question';
  if (e.outsideArea && !e.ward && !NOT_ABOUT_A_PLACE.has(intent)) return guessed('outside_area', guess);
  if (intent === 'question') {
    const id = faq.match(n.text, { asked: true });
    return guessed('question', guess, id ? { faq: id } : {});
  }
  return guessed(intent, guess);
}

const LEADING_RATING = /^\s*[1-5](?![0-9])/u;
// "काम छान झालं, पण आता शेजारी रोज रात्री गाणी वाजवतात": praise, then something else
const CONTRAST = /(?:^|[\s,.])(?:पण|परंतु|पर|लेकिन|मगर|किंतु)(?=[\s,.]|$)|\b(?:but|however|pan|par|lekin|magar)\b/iu;

/** the likeliest intent other than `not` (and `alsoNot`) */
function secondBest(probabilities: Float64Array, not: LearnedIntent, alsoNot?: LearnedIntent): LearnedIntent {
  let best = -1;
  for (let c = 0; c < probabilities.length; c++) {
    const i = LEARNED_INTENTS[c];
    if (i !== not && i !== alsoNot && (best < 0 || probabilities[c]! > probabilities[best]!)) best = c;
  }
  return LEARNED_INTENTS[best]!;
}
