/**
 * What a citizen's turn means (eval/bot/INTENTS.md says each with examples). The classifier learns all but
 * `outside_area` from config/intents; `outside_area` is a complaint or place in an area that is not PMC's, read from
 * config/outside-areas.yaml.
 */
export const INTENTS = [
  'greeting',
  'thanks',
  'wish_to_complain',
  'complaint',
  'place',
  'status',
  'rating',
  'language',
  'question',
  'photo_promise',
  'no_photo',
  'cancel',
  'abuse',
  'off_topic',
  'outside_area',
] as const;
export type Intent = (typeof INTENTS)[number];

/** the intents config/intents holds examples of */
export const LEARNED_INTENTS = INTENTS.filter((i): i is Exclude<Intent, 'outside_area'> => i !== 'outside_area');
export type LearnedIntent = (typeof LEARNED_INTENTS)[number];

/** What the bot asked last, which some answers need to be read at all ("५" to a rating question, "हो" to a photo one). */
export const CONTEXTS = ['none', 'what', 'where', 'photo', 'rating'] as const;
export type TurnContext = (typeof CONTEXTS)[number];
