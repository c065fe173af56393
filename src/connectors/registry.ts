import type { AttachmentStore } from '../attachments/attachment-store.ts';
import type { Config } from '../config/schema.ts';
import type { Category } from '../config/gazetteer.ts';
import type { Channel, Language } from '../model/index.ts';
import { createLokshahiConnector, LOKSHAHI_WEBHOOK_PATH, lokshahiOptionsFromConfig } from './lokshahi/index.ts';
import { createIntakeConnector, intakeOptionsFromConfig, intakePath } from './intake/index.ts';
import type { Store } from '../store/store.ts';
import type { Logger } from '../http/logger.ts';
import type { Connector, HealthReporter } from './connector.ts';
// a channel's config.ts says whether it is on; its index.ts (and the provider's SDK behind it) is loaded only then,
// so a bridge without Facebook or email does not carry their SDKs in memory
import { emailOptionsFromConfig } from './email/config.ts';
import { facebookOptionsFromConfig } from './facebook/config.ts';
import { smsOptionsFromConfig } from './sms/config.ts';
import { xOptionsFromConfig } from './twitter/config.ts';
import { webChatOptionsFromConfig } from './webchat/config.ts';

type Built = { connector: Connector; reason: string } | { off: string };

/** What the composition root hands every connector besides its config. */
export interface ConnectorDeps {
  store: Store;
  attachments: AttachmentStore;
  /** where connectors report an account working, failing or refused */
  health: HealthReporter;
  logger: Logger;
  /** web chat's greeting when a chat opens (config/messages), and the languages offered with it */
  webChatGreeting: { text: string; choices: string[] };
  /** config/messages `emailSubject` per language: the subject of a mail that answers none of the citizen's */
  emailSubjects: Record<Language, string>;
  /** the complaint categories (Open311's services, an intake envelope's category) */
  categories: readonly Category[];
}

function intake(channel: 'phone' | 'api', config: Config, deps: ConnectorDeps): Built {
  const { sources, off } = intakeOptionsFromConfig(config, channel);
  const who = channel === 'phone' ? 'agents' : 'systems';
  if (sources.length === 0) return { off: off.length > 0 ? `no intake source has its key: ${off.join(', ')}` : `no intake source for ${who} is configured (intake.sources, channel ${channel})` };
  const connector = createIntakeConnector(channel, sources, { attachments: deps.attachments, categories: deps.categories });
  const open311 = sources.some((s) => s.open311) ? ', Open311 at /open311/v2' : '';
  return { connector, reason: `${sources.map((s) => intakePath(s.id)).join(', ')}${open311}${off.length > 0 ? `; off: ${off.join(', ')}` : ''}` };
}

/**
 * Every channel and how it is built from config. Adding a channel is adding a line here and a folder beside
 * this file; nothing else in the bridge changes.
 */
export const CONNECTORS: Record<Channel, (config: Config, deps: ConnectorDeps) => Built | Promise<Built>> = {
  sms: async (config) => {
    const twilio = config.channels.sms.twilio;
    if (!twilio) return { off: 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM are not set' };
    const { createSmsConnector } = await import('./sms/index.ts');
    return { connector: createSmsConnector(smsOptionsFromConfig(config)), reason: `Twilio, from ${twilio.from.startsWith('MG') ? 'a Messaging Service' : 'a number'}` };
  },
  facebook: async (config, deps) => {
    const opts = facebookOptionsFromConfig(config);
    if ('off' in opts) return opts;
    const { createFacebookConnector } = await import('./facebook/index.ts');
    const named = new Map(config.channels.facebook.pages.map((p) => [p.id, p.tokenEnv]));
    const connector = createFacebookConnector(opts, { store: deps.store, health: deps.health, logger: deps.logger, tokenEnvOf: (id) => named.get(id) ?? 'FACEBOOK_PAGE_TOKEN' });
    return { connector, reason: `Messenger and comments of ${opts.pages.length === 1 ? `page ${opts.pages[0]!.id}` : `${opts.pages.length} pages`}, webhook /webhooks/facebook` };
  },
  twitter: async (config, deps) => {
    const opts = xOptionsFromConfig(config);
    if ('off' in opts) return opts;
    const { createXConnector } = await import('./twitter/index.ts');
    const connector = createXConnector(opts, { store: deps.store, health: deps.health });
    const which = opts.accounts.length === 1 ? `account ${opts.accounts[0]!.id}` : `${opts.accounts.length} accounts`;
    return { connector, reason: `mentions and DMs of ${which}, ${opts.webhookSecret ? 'webhook /webhooks/twitter with polling to catch up' : `polled every ${Math.round(opts.pollMs / 1000)} s`}` };
  },
  email: async (config, deps) => {
    const opts = emailOptionsFromConfig(config);
    if ('off' in opts) return opts;
    const { createEmailConnector } = await import('./email/index.ts');
    const connector = createEmailConnector(opts, { store: deps.store, attachments: deps.attachments, health: deps.health, logger: deps.logger, subjects: deps.emailSubjects });
    const which = opts.mailboxes.length === 1 ? `mailbox ${opts.mailboxes[0]!.env.from}` : `${opts.mailboxes.length} mailboxes`;
    const off = opts.skipped.length > 0 ? `; off: ${opts.skipped.join(', ')}` : '';
    return { connector, reason: `${which} over IMAP (IDLE, and a sweep every ${Math.round(opts.sweepMs / 1000)} s), replies over SMTP${off}` };
  },
  lokshahi: (config, deps) => {
    const opts = lokshahiOptionsFromConfig(config);
    const connector = createLokshahiConnector(opts, { categories: deps.categories });
    const webhook = opts.secret ? `webhook ${LOKSHAHI_WEBHOOK_PATH}` : 'webhook off (LOKSHAHI_SECRET not set)';
    return { connector, reason: `register import (pmc-bridge import lokshahi); ${webhook}` };
  },
  phone: (config, deps) => intake('phone', config, deps),
  api: (config, deps) => intake('api', config, deps),
  webchat: async (config, deps) => {
    const opts = await webChatOptionsFromConfig(config, deps.store);
    if ('off' in opts) return opts;
    const { createWebChatConnector } = await import('./webchat/index.ts');
    const connector = createWebChatConnector(opts, { store: deps.store, attachments: deps.attachments, greeting: deps.webChatGreeting });
    return { connector, reason: `Web Chat at /chat (account ${opts.accountId})` };
  },
};
