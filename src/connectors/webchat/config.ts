import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Config } from '../../config/schema.ts';

/** Everything the web chat connector needs, already validated by the config loader. */
export interface WebChatConnectorOptions {
  accountId: string;
  tokenSecret: string;
  tokenLifetimeSeconds: number;
  sessionsPerMinute: number;
  messagesPerMinute: number;
  maxConversations: number;
  maxActivitiesPerConversation: number;
  /** Web Chat's browser bundle, from the installed botframework-webchat package */
  webChatBundle: string;
}

/** The web chat options from the loaded config, or why web chat is off. */
export function webChatOptionsFromConfig(config: Readonly<Config>): WebChatConnectorOptions | { off: string } {
  const wc = config.channels.webchat;
  if (!wc.enabled) return { off: 'channels.webchat.enabled is false' };
  // Conversations live in this process's memory: a web-only process would take messages whose replies no worker
  // could deliver, and a worker has no browser to deliver to.
  if (config.pipeline.role !== 'all')
    return { off: `needs role all (this process is ${config.pipeline.role}): its conversations live in one process's memory` };
  const bundle = webChatBundlePath();
  if (!bundle) return { off: 'botframework-webchat is not installed (node_modules/botframework-webchat/dist/webchat.js): run npm ci' };
  // WEBCHAT_TOKEN_SECRET, from the environment only (the config loader refuses secrets in files, and one too short)
  const secret = wc.tokenSecret;
  return {
    accountId: wc.accountId,
    // Without WEBCHAT_TOKEN_SECRET tokens die with the process; so do the conversations they open (in memory), so
    // a random secret costs nothing more than a reload of the chat page after a restart.
    tokenSecret: secret ?? randomBytes(32).toString('base64url'),
    tokenLifetimeSeconds: wc.tokenMinutes * 60,
    sessionsPerMinute: wc.sessionsPerMinute,
    messagesPerMinute: wc.messagesPerMinute,
    maxConversations: wc.maxConversations,
    maxActivitiesPerConversation: wc.maxActivitiesPerConversation,
    webChatBundle: bundle,
  };
}

/**
 * dist/webchat.js of the installed package (the full bundle: React and the Direct Line client inside). The
 * package exports neither its package.json nor dist/, so it is looked up where Node would look for the package.
 */
export function webChatBundlePath(): string | undefined {
  const dirs = createRequire(import.meta.url).resolve.paths('botframework-webchat') ?? [];
  return dirs.map((dir) => join(dir, 'botframework-webchat', 'dist', 'webchat.js')).find((file) => existsSync(file));
}
