import type { Config } from '../config/schema.ts';
import type { Gazetteer } from '../config/gazetteer.ts';
import type { Normalize } from '../normalizer/index.ts';
import type { Store } from '../store/store.ts';
import type { BotOptions } from './bot-options.ts';
import { createConversations, type Conversations } from './conversations.ts';
import type { Messages } from './messages.ts';
import { loadUnderstander } from './understand/index.ts';

/** The bot as the bridge runs it: trained from config/intents, its waits and the city's addresses from config. */
export function buildConversations(deps: {
  store: Store;
  messages: Messages;
  normalize: Normalize;
  configDir: string;
  gazetteer: Pick<Gazetteer, 'outsideAreas'>;
  config: Pick<Config, 'bot' | 'publicContacts' | 'feedback'>;
  now?: () => Date;
}): Conversations {
  const options: BotOptions = {
    store: deps.store,
    messages: deps.messages,
    understander: loadUnderstander(deps.configDir, deps.normalize, deps.messages),
    photoWaitMs: deps.config.bot.photoWaitMinutes * 60_000,
    attachPhotosMs: deps.config.bot.attachPhotosForHours * 3_600_000,
    contacts: deps.config.publicContacts,
    reopenBelowAverage: deps.config.feedback.reopenBelowAverage,
    outsideAreas: new Map(deps.gazetteer.outsideAreas.map((a) => [a.id, { authority: a.authority, contact: a.contact }])),
    ...(deps.now ? { now: deps.now } : {}),
  };
  return createConversations(options);
}
