import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.ts';
import type { Connector, ConnectorContext, HealthReporter, Poller } from '../connector.ts';
import { accountClient, appClient } from './client.ts';
import { renewKeys, type XConnectorOptions } from './config.ts';
import { threadOf, type Tweet } from './parse.ts';
import { dmsPoller, mentionsPoller } from './poll.ts';
import { createXSender, ourPostKey, type XSender } from './send.ts';
import { mountXWebhook } from './webhook.ts';

export { xOptionsFromConfig } from './config.ts';
export type { XConnectorOptions } from './config.ts';

export { X_WEBHOOK_PATH } from './webhook.ts';

export interface XDeps {
  store: Store;
  health: HealthReporter;
  now?: () => Date;
}

/**
 * X (Twitter) for every configured account: mentions and DMs polled (the pipeline's scheduler runs the pollers),
 * and with X_WEBHOOK_SECRET the Account Activity webhook, polling then only catching up. Replies through
 * twitter-api-v2: a public reply to a mention, DMs for the conversation.
 */
export function createXConnector(opts: XConnectorOptions, deps: XDeps): Connector {
  const now = deps.now ?? (() => new Date());
  const http = { apiBase: opts.apiBase, timeoutMs: opts.requestTimeoutMs };
  const accounts = new Map<string, XSender>(opts.accounts.map((account) => [account.id, { account, client: accountClient(account, http) }]));
  const reader = opts.bearerToken ? appClient(opts.bearerToken, http) : undefined;
  const sender = createXSender({ accounts, store: deps.store, health: deps.health, action: renewKeys, now });
  // every account we serve: none of them is ever a citizen to another
  const ours: ReadonlySet<string> = new Set(accounts.keys());

  /**
   * The thread of a mention, the same from the webhook and the poll: an answer to our public reply joins the thread
   * that reply answered; an answer to the citizen's own earlier post joins that post's thread; anything else starts
   * its own (one citizen's posts under one tweet, not everyone's: a city post gets many citizens' replies).
   */
  const thread = async (accountId: string, t: Tweet, batch: ReadonlyMap<string, { author: string; thread: string }> = new Map()): Promise<string> => {
    const repliedTo = t.referenced_tweets?.find((r) => r.type === 'replied_to')?.id;
    if (repliedTo) {
      if (t.in_reply_to_user_id === accountId) {
        const kept = await deps.store.getCursor(ourPostKey(accountId, repliedTo));
        if (kept) return kept;
      }
      const inRead = batch.get(repliedTo);
      if (inRead?.author === t.author_id) return inRead.thread;
      const archived = await deps.store.getInboundBySource({ channel: 'twitter', accountId, externalId: repliedTo });
      if (archived?.message.sender.id === t.author_id) return archived.message.threadKey;
    }
    return threadOf(t);
  };

  const pollers: Poller[] = [...accounts.values()].flatMap(({ account, client }) => {
    const readerAction = reader ? "renew the app's bearer token: in the X developer portal (the app → Keys and tokens) regenerate the Bearer Token, set X_BEARER_TOKEN, restart the bridge" : renewKeys(account);
    const d = { accountId: account.id, reader: reader ?? client, account: client, everyMs: opts.pollMs, catchUpHours: opts.catchUpHours, action: renewKeys(account), readerAction, readerCredential: reader ? 'app' : 'account', now, ours, threadOf: (t: Tweet, batch: ReadonlyMap<string, { author: string; thread: string }>) => thread(account.id, t, batch) };
    return [mentionsPoller(d), dmsPoller(d)];
  });

  return {
    channel: 'twitter',
    accountIds: [...accounts.keys()],
    // X's weighted 280 for a public reply; DMs are kept as short (the bot's replies fit an SMS anyway)
    limits: { maxChars: 280, countBy: 'x-weighted', carries: { photos: true, location: false } },
    ...(opts.webhookSecret ? { routes: (server: FastifyInstance, ctx: ConnectorContext) => mountXWebhook(server, ctx, opts.webhookSecret!, ours, thread) } : {}),
    pollers,
    send: (message) => sender.send(message),
    resend: { kind: 'lookup', findSent: (message, since) => sender.findSent(message, since) },
  };
}
