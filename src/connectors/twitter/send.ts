import type { TwitterApi } from 'twitter-api-v2';
import { AccountHold } from '../account-hold.ts';
import { PermanentSendError, RateLimitedSendError, RetryableSendError, type HealthReporter, type SendResult, type HeldSendError } from '../connector.ts';
import type { OutboundMessage } from '../../model/index.ts';
import type { Store } from '../../store/store.ts';
import { xWeightedLength } from '../../render/x-length.ts';
import { describeX, xFailure } from './client.ts';
import type { XAccount } from './config.ts';


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

/** the pages of 100 a look-up reads at most: past them it cannot tell, and the send waits rather than go twice */
export const LOOKUP_PAGES = 10;

class LookupCutShort extends Error {}

/**
 * Newest first, page after page, until `match` finds the item, one is `older` than the unsure attempt, or X has no
 * more. Undefined only when it is certain the item is not there.
 */
async function searchPages<T>(
  pages: { readonly done: boolean; readonly unusable: boolean; readonly errors: readonly { detail?: string; title?: string }[]; fetchNext(): Promise<unknown> },
  items: () => readonly T[],
  match: (t: T) => boolean,
  older: (t: T) => boolean,
  what: string,
): Promise<T | undefined> {
  let seen = 0;
  for (let n = 1; ; n++) {
    // a 200 with only errors is no page: it says nothing about whether the send is there
    if (pages.unusable) throw new LookupCutShort(`could not look up the earlier send at X: it answered ${what} with errors only (${pages.errors[0]?.detail ?? pages.errors[0]?.title ?? 'no detail'}); not sent again, tried later`);
    const all = items();
    for (const t of all.slice(seen)) {
      // older first: the conversation holds our earlier DMs, often with the same words (a question asked twice)
      if (older(t)) return undefined;
      if (match(t)) return t;
    }
    seen = all.length;
    if (pages.done) return undefined;
    if (n >= LOOKUP_PAGES) throw new LookupCutShort(`could not look up the earlier send at X: ${what} since the unsure attempt fill more than ${LOOKUP_PAGES} pages; not sent again, tried later`);
    await pages.fetchNext();
  }
}

/**
 * X refuses the same words twice from one account, and an invitation to DM is the same for every citizen: it
 * carries the last 8 digits of the post it answers (no personal data; 4 would repeat within a busy hour), so each one is its own. An acknowledgement
 * carries its ticket number already.
 */
function distinct(msg: OutboundMessage): string {
  if (msg.ticketNo || !msg.inReplyTo) return msg.text;
  const withRef = `${msg.text} · ${msg.inReplyTo.slice(-8)}`;
  return xWeightedLength(withRef) <= 280 ? withRef : msg.text;
}

const unescaped = (t: string | undefined): string | undefined => t?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** the key under which our public reply remembers the citizen's thread: their answer to it joins that thread */
export const ourPostKey = (accountId: string, tweetId: string): string => `twitter:ours:${accountId}:${tweetId}`;

/**
 * Replies on X: to a mention, one public reply under it (the number, nothing personal, an invitation to DM); to a
 * DM, a DM. X refuses duplicate posts and DMs to people who do not accept them: those are final.
 */
export function createXSender(deps: XSendDeps) {
  const hold = new AccountHold('twitter', deps.health);

  /** the account, unless it is waiting for new keys (then its replies are held without calling X) */
  function accountFor(msg: OutboundMessage, now: number): XSender {
    const sender = deps.accounts.get(msg.accountId);
    if (!sender) throw new PermanentSendError(`X account ${msg.accountId} is not configured: add it to channels.twitter.accounts (or X_ACCOUNT_ID)`);
    hold.check(sender.account.id, now, `X account ${sender.account.id} is waiting for new keys`);
    return sender;
  }

  const refuse = (sender: XSender, said: string, now: number): HeldSendError =>
    hold.refused(sender.account.id, now, said, deps.action(sender.account), `X account ${sender.account.id}: ${said}`);

  async function send(msg: OutboundMessage): Promise<SendResult> {
    const now = deps.now().getTime();
    const sender = accountFor(msg, now);
    const id = sender.account.id;
    try {
      let providerId: string;
      if (msg.public) {
        if (!msg.inReplyTo) throw new PermanentSendError('a public reply names no post to answer');
        const posted = await sender.client.v2.reply(distinct(msg), msg.inReplyTo);
        providerId = posted.data.id;
        // the citizen's answer to this post belongs to their complaint's thread (kept before we say it was sent)
        await deps.store.setCursor(ourPostKey(id, providerId), msg.threadKey);
      } else {
        const sent = await sender.client.v2.sendDmToParticipant(msg.to, { text: msg.text });
        // X answers { data: { dm_conversation_id, dm_event_id } }; the SDK's type says the fields come bare
        const result = sent as Partial<typeof sent> & { data?: Partial<typeof sent> };
        providerId = `dm:${result.data?.dm_event_id ?? result.dm_event_id ?? 'sent'}`;
      }
      hold.worked(id);
      return { providerId };
    } catch (err) {
      if (err instanceof PermanentSendError) throw err;
      const f = xFailure(err);
      const said = describeX(f);
      if (f.auth) throw refuse(sender, said, now);
      if (f.status === 429) throw new RateLimitedSendError(said, f.resetAt ? Math.max(1000, f.resetAt.getTime() - now) : 60_000);
      if (f.status === null || f.status >= 500) {
        deps.health.failed('twitter', id, said);
        // X may have posted it: the next attempt looks for it first
        throw new RetryableSendError(said, undefined, true);
      }
      // 403 duplicate content, not allowed to DM this person, the post is gone; 400: refused as written
      throw new PermanentSendError(said, f.status);
    }
  }

  /**
   * whether X already has a reply whose answer was lost: our post answering that post since the unsure attempt (X
   * returns a post's text with entities escaped, so the text is not compared), or our DM to the citizen
   */
  async function findSent(msg: OutboundMessage, since: Date): Promise<SendResult | undefined> {
    const now = deps.now().getTime();
    const sender = accountFor(msg, now);
    const id = sender.account.id;
    const start = new Date(since.getTime() - 60_000).toISOString();
    try {
      if (msg.public) {
        const mine = await sender.client.v2.userTimeline(id, { start_time: start, max_results: 100, 'tweet.fields': ['id', 'text', 'referenced_tweets'] } as never);
        const found = await searchPages(mine, () => mine.tweets, (t) => t.referenced_tweets?.some((r) => r.type === 'replied_to' && r.id === msg.inReplyTo) === true, () => false, 'our posts');
        if (found) await deps.store.setCursor(ourPostKey(id, found.id), msg.threadKey);
        return found ? { providerId: found.id } : undefined;
      }
      // the one conversation with this citizen, not every DM of the account: a busy account's other DMs cannot
      // push ours off the pages read
      const dms = await sender.client.v2.listDmEventsWithParticipant(msg.to, { event_types: ['MessageCreate'], 'dm_event.fields': ['id', 'text', 'sender_id', 'created_at', 'dm_conversation_id'], max_results: 100 } as never);
      const found = await searchPages(
        dms,
        () => dms.events,
        (e) => e.event_type === 'MessageCreate' && e.sender_id === id && unescaped(e.text) === msg.text && (e.dm_conversation_id ?? '').split('-').includes(msg.to),
        (e) => e.created_at !== undefined && e.created_at < start,
        "the DMs with the citizen",
      );
      return found ? { providerId: `dm:${found.id}` } : undefined;
    } catch (err) {
      if (err instanceof LookupCutShort) throw err;
      const f = xFailure(err);
      if (f.auth) throw refuse(sender, describeX(f), now);
      throw new Error(`could not look up the earlier send at X: ${describeX(f)}`);
    }
  }

  return { send, findSent };
}
