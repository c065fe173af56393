import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Config } from '../../config/schema.ts';
import type { Store } from '../../store/store.ts';

/** Everything the web chat connector needs, already validated by the config loader. */
export interface WebChatConnectorOptions {
  accountId: string;
  tokenSecret: string;
  tokenLifetimeSeconds: number;
  sessionsPerMinute: number;
  messagesPerMinute: number;
  maxConversations: number;
  maxActivitiesPerConversation: number;
  keepDays: number;
  citizenDays: number;
  maxPhotoBytes: number;
  /** Web Chat's browser bundle, from the installed botframework-webchat package */
  webChatBundle: string;
}

// where a secret made for a bridge without WEBCHAT_TOKEN_SECRET is kept (the cursors table is the store's settings)
const SECRET_KEY = 'secret:webchat-token';

/**
 * The web chat options from the loaded config, or why web chat is off. Without WEBCHAT_TOKEN_SECRET a random
 * secret is made once and kept in the store, so that a restart does not lose the citizens' identities (or every
 * other web process a different one).
 */
export async function webChatOptionsFromConfig(config: Readonly<Config>, store: Store): Promise<WebChatConnectorOptions | { off: string }> {
  const wc = config.channels.webchat;
  if (!wc.enabled) return { off: 'channels.webchat.enabled is false' };
  const bundle = webChatBundlePath();
  if (!bundle) return { off: 'botframework-webchat is not installed (node_modules/botframework-webchat/dist/webchat-minimal.js): run npm ci' };
  let secret = wc.tokenSecret ?? (await store.getCursor(SECRET_KEY));
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    await store.setCursor(SECRET_KEY, secret);
  }
  return {
    accountId: wc.accountId,
    tokenSecret: secret,
    tokenLifetimeSeconds: wc.tokenMinutes * 60,
    sessionsPerMinute: wc.sessionsPerMinute,
    messagesPerMinute: wc.messagesPerMinute,
    maxConversations: wc.maxConversations,
    maxActivitiesPerConversation: wc.maxActivitiesPerConversation,
    keepDays: wc.keepDays,
    citizenDays: wc.citizenDays,
    maxPhotoBytes: wc.maxPhotoBytes,
    webChatBundle: bundle,
  };
}

/**
 * dist/webchat-minimal.js of the installed package (React and the Direct Line client inside; no speech or Adaptive
 * Cards, which the page does not use: half the size of the full bundle). The package exports neither its
 * package.json nor dist/, so it is looked up where Node would look for the package.
 */
export function webChatBundlePath(): string | undefined {
  const dirs = createRequire(import.meta.url).resolve.paths('botframework-webchat') ?? [];
  return dirs.map((dir) => join(dir, 'botframework-webchat', 'dist', 'webchat-minimal.js')).find((file) => existsSync(file));
}
