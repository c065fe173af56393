import type { TwitterApi } from 'twitter-api-v2';
import { HeldSendError, PermanentSendError, RetryableSendError, type HealthReporter, type SendResult } from '../connector.ts';
import type { OutboundMessage } from '../../model/index.ts';
import type { Store } from '../../store/store.ts';
import { describeX, xFailure } from './client.ts';
import type { XAccount } from './config.ts';

// an account whose keys were refused is asked again this often (one real call); its other replies wait
const PROBE_EVERY_MS = 5 * 60_000;

export interface XSender {
  account: XAccount;
  client: TwitterApi;
}

export interface XSendDeps {
  accounts: ReadonlyMap<string, XSender>;
  store: Store;
  health: HealthReporter;
  action: (a: XAccount) => string;
  now: () => Date;
}

/** the key under which our public reply remembers the citizen's thread: their answer to it joins that thread */
export const ourPostKey = (accountId: string, tweetId: string): string => `twitter:ours:${accountId}:${tweetId}`;

/**
 * Replies on X: to a mention, one public reply under it (the number, nothing personal, an invitation to DM); to a
 * DM, a DM. X refuses duplicate posts and DMs to people who do not accept them: those are final.
 */
export function createXSender(deps: XSendDeps) {
  const refusedAt = new Map<string, number>();

  async function send(msg: OutboundMessage): Promise<SendResult> {
    const sender = deps.accounts.get(msg.accountId);
    if (!sender) throw new PermanentSendError(`X account ${msg.accountId} is not configured: add it to channels.twitter.accounts (or X_ACCOUNT_ID)`);
    const id = sender.account.id;
    const now = deps.now().getTime();
    const refused = refusedAt.get(id);
    if (refused !== undefined && now - refused < PROBE_EVERY_MS && deps.health.isUnauthorised('twitter', id))
      throw new HeldSendError(`X account ${id} is waiting for new keys`, PROBE_EVERY_MS - (now - refused));
    try {
      let providerId: string;
      if (msg.public) {
        if (!msg.inReplyTo) throw new PermanentSendError('a public reply names no post to answer');
        const posted = await sender.client.v2.reply(msg.text, msg.inReplyTo);
        providerId = posted.data.id;
        // the citizen's answer to this post belongs to their complaint's thread (kept before we say it was sent)
        await deps.store.setCursor(ourPostKey(id, providerId), msg.threadKey);
      } else {
        const sent = await sender.client.v2.sendDmToParticipant(msg.to, { text: msg.text });
        providerId = `dm:${sent.dm_event_id}`;
      }
      refusedAt.delete(id);
      deps.health.ok('twitter', id);
      return { providerId };
    } catch (err) {
      if (err instanceof PermanentSendError) throw err;
      const f = xFailure(err);
      const said = describeX(f);
      if (f.auth) {
        refusedAt.set(id, now);
        deps.health.unauthorised('twitter', id, said, deps.action(sender.account));
        throw new HeldSendError(`X account ${id}: ${said}`, PROBE_EVERY_MS);
      }
      if (f.status === 429) throw new RetryableSendError(said, f.resetAt ? Math.max(1000, f.resetAt.getTime() - now) : 60_000);
      if (f.status === null || f.status >= 500) {
        deps.health.failed('twitter', id, said);
        // X may have posted it: the next attempt looks for it first
        throw new RetryableSendError(said, undefined, true);
      }
      // 403 duplicate content, not allowed to DM this person, the post is gone; 400: refused as written
      throw new PermanentSendError(said, f.status);
    }
  }

  /** whether X already has a reply whose answer was lost: our recent posts, or our DMs to the citizen */
  async function findSent(msg: OutboundMessage, since: Date): Promise<SendResult | undefined> {
    const sender = deps.accounts.get(msg.accountId);
    if (!sender) return undefined;
    const id = sender.account.id;
    const start = new Date(since.getTime() - 60_000).toISOString();
    try {
      if (msg.public) {
        const mine = await sender.client.v2.userTimeline(id, { start_time: start, max_results: 100, 'tweet.fields': ['id', 'text', 'referenced_tweets'] } as never);
        const found = mine.tweets.find((t) => t.text === msg.text && t.referenced_tweets?.some((r) => r.id === msg.inReplyTo));
        return found ? { providerId: found.id } : undefined;
      }
      const dms = await sender.client.v2.listDmEvents({ event_types: ['MessageCreate'], 'dm_event.fields': ['id', 'text', 'sender_id', 'created_at', 'dm_conversation_id'], max_results: 100 } as never);
      const found = dms.events.find(
        (e) => e.event_type === 'MessageCreate' && e.sender_id === id && e.text === msg.text && (e.dm_conversation_id ?? '').split('-').includes(msg.to) && (!e.created_at || e.created_at >= start),
      );
      return found ? { providerId: `dm:${found.id}` } : undefined;
    } catch (err) {
      throw new Error(`could not look up the earlier send at X: ${describeX(xFailure(err))}`);
    }
  }

  return { send, findSent };
}
