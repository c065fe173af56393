import { join } from 'node:path';
import type { BotOptions } from '../../src/bots/bot-options.ts';
import { loadMessages } from '../../src/bots/messages.ts';
import { loadUnderstander, type Understander } from '../../src/bots/understand/index.ts';
import { loadGazetteer } from '../../src/config/gazetteer.ts';
import { createNormalizer } from '../../src/normalizer/index.ts';
import type { Store } from '../../src/store/store.ts';
import { ROOT } from './bridge-process.ts';

/** The shipped config as the bridge reads it: texts, gazetteer, and the normalizer built from it. */
export const SHIPPED = (() => {
  const dir = join(ROOT, 'config');
  const messages = loadMessages(join(dir, 'messages'));
  const gazetteer = loadGazetteer(dir);
  const normalize = createNormalizer({ ...gazetteer });
  return { dir, messages, gazetteer, normalize };
})();

let understander: Understander | undefined;
/** the intent layer trained from config/intents, once per test file (it takes most of a second) */
export function shippedUnderstander(): Understander {
  return (understander ??= loadUnderstander(SHIPPED.dir, SHIPPED.normalize, SHIPPED.messages));
}

/** The bot's options as the bridge builds them from the shipped config, on `store`. */
export function shippedBotOptions(store: Store, over: Partial<BotOptions> = {}): BotOptions {
  return {
    store,
    messages: SHIPPED.messages,
    understander: shippedUnderstander(),
    photoWaitMs: 15 * 60_000,
    attachPhotosMs: 24 * 3_600_000,
    contacts: { email: null, website: null, facebook: null, x: null },
    outsideAreas: new Map(SHIPPED.gazetteer.outsideAreas.map((a) => [a.id, { authority: a.authority, contact: a.contact }])),
    ...over,
  };
}
