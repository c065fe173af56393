import { join } from 'node:path';
import type { Normalize } from '../../normalizer/index.ts';
import { createFaq } from '../faq.ts';
import type { Messages } from '../messages.ts';
import { loadIntentExamples } from './intent-examples.ts';
import { createUnderstander, type Understander } from './understand.ts';

export type { Understander, Understanding } from './understand.ts';
export { UNSURE } from './understand.ts';
export type { Intent, TurnContext } from './intents.ts';
export { INTENTS, CONTEXTS } from './intents.ts';

/** The intent layer as the bridge builds it at start: trained from config/intents, with the FAQ of config/messages. */
export function loadUnderstander(configDir: string, normalize: Normalize, messages: Messages): Understander {
  return createUnderstander({ examples: loadIntentExamples(join(configDir, 'intents')), normalize, faq: createFaq(messages) });
}
