import type { Logger } from '../../http/logger.ts';
import type { Store } from '../../store/store.ts';
import type { Connector, HealthReporter } from '../connector.ts';
import { reauthorise, type FacebookConnectorOptions } from './config.ts';
import { limitGraphRequests, pageApi, useGraphBase } from './graph.ts';
import { commentsPoller } from './poll.ts';
import { createFacebookSender, type PageSender } from './send.ts';
import { mountFacebookWebhook } from './webhook.ts';
import { MessengerWindow } from './window.ts';

export { facebookOptionsFromConfig } from './config.ts';
export type { FacebookConnectorOptions } from './config.ts';

export { FACEBOOK_WEBHOOK_PATH } from './webhook.ts';

export interface FacebookDeps {
  store: Store;
  health: HealthReporter;
  logger: Logger;
  /** for each page, the environment variable its token came from (what a supervisor must set again) */
  tokenEnvOf: (pageId: string) => string;
  now?: () => Date;
}

/**
 * Messenger and the page's comments, for every configured page of one Meta app. Inbound: one webhook for all
 * pages, plus a catch-up poll of recent comments; outbound: the Send API and comment replies through
 * facebook-nodejs-business-sdk.
 */
export function createFacebookConnector(opts: FacebookConnectorOptions, deps: FacebookDeps): Connector {
  const now = deps.now ?? (() => new Date());
  useGraphBase(opts.graphBase);
  const unlimit = limitGraphRequests(opts.requestTimeoutMs);
  const pages = new Map<string, PageSender>(opts.pages.map((page) => [page.id, { page, api: pageApi(page.token), tokenEnv: deps.tokenEnvOf(page.id) }]));
  const window = new MessengerWindow(deps.store, (err) => deps.logger.warn({ err }, 'could not keep when citizens last wrote; tried again in a second'));
  const action = (pageId: string, tokenEnv: string) => reauthorise(pageId, tokenEnv);
  const sender = createFacebookSender({ pages, window, store: deps.store, health: deps.health, action, now });
  return {
    channel: 'facebook',
    accountIds: [...pages.keys()],
    // Messenger: 2000 characters, 13 quick replies of 20; a page comment's reply is shorter in practice
    limits: { maxChars: 2000, buttons: { most: 13, longest: 20 }, carries: { photos: true, location: true }, privateReplyToPublic: true },
    routes: (server, ctx) => mountFacebookWebhook(server, ctx, opts, { window, now }),
    pollers: [...pages.values()].map((p) =>
      commentsPoller(p, { everyMs: opts.commentsPollMs, catchUpHours: opts.catchUpHours, action: action(p.page.id, p.tokenEnv), now, ourPages: new Set(pages.keys()) }),
    ),
    send: (message) => sender.send(message),
    // the Send API has no idempotency key: the page's conversation (or the comment's replies) is looked at first
    resend: { kind: 'lookup', findSent: (message, since) => sender.findSent(message, since) },
    close: async () => {
      await window.close();
      unlimit();
    },
  };
}
