import type { TwitterApi } from 'twitter-api-v2';
import { AccountRefusedError, type PollResult, type Poller } from '../connector.ts';
import type { InboundMessage } from '../../model/index.ts';
import { describeX, xFailure } from './client.ts';
import { DmEvent, dmMessage, isCitizenDm, mentionMessage, Tweet, type Author } from './parse.ts';

const TWEET_FIELDS = ['id', 'text', 'author_id', 'created_at', 'conversation_id', 'in_reply_to_user_id', 'referenced_tweets', 'note_tweet'];
const DM_FIELDS = ['id', 'text', 'event_type', 'dm_conversation_id', 'created_at', 'sender_id', 'attachments'];
// the author, and the post a reply answers with its author (the thread a reply joins is found from them)
const MENTION_EXPANSIONS = ['author_id', 'referenced_tweets.id', 'in_reply_to_user_id'];
// a safety stop for a paginator that never ends (X lists at most 800 mentions); cut there, the cursor stays
const MOST_PAGES = 50;

export interface XPollDeps {
  accountId: string;
  /** reads mentions (the app's bearer client when there is one) */
  reader: TwitterApi;
  /** reads DMs: only the account itself may */
  account: TwitterApi;
  everyMs: number;
  catchUpHours: number;
  /** what to do when the account's keys are refused */
  action: string;
  /** what to do when the mentions reader's credentials are refused (the bearer token when there is one) */
  readerAction: string;
  /** the mentions reader's credential, for health: "app" (the bearer token) or "account" */
  readerCredential: string;
  now: () => Date;
  /** every account the bridge serves: what any of them wrote is never a complaint (A's reply may carry @B) */
  ours: ReadonlySet<string>;
  /** the thread a mention belongs to (a reply to our reply, or to the citizen's own post, joins it); `batch`: posts of this read */
  threadOf: (t: Tweet, batch: ReadonlyMap<string, { author: string; thread: string }>) => Promise<string>;
}

/** Why a poll stopped short: an account refused, a rate limit (resume from the old cursor at its reset), or else. */
function stopped(err: unknown, d: XPollDeps, messages: InboundMessage[], action = d.action): PollResult {
  const f = xFailure(err);
  if (f.auth) throw new AccountRefusedError(describeX(f), action);
  if (f.status === 429) return { messages, waitUntil: f.resetAt ?? new Date(d.now().getTime() + 15 * 60_000) };
  throw new Error(describeX(f));
}

/** after a whole read: wait for the window's reset when the read used it up */
function resetOf(limit: { remaining: number; reset: number } | undefined): { waitUntil: Date } | Record<string, never> {
  return limit && limit.remaining === 0 ? { waitUntil: new Date(limit.reset * 1000) } : {};
}

/**
 * Mentions of the account since the newest one archived (since_id), all pages of them. The cursor moves only
 * when every page was read: a read cut by a rate limit keeps the old cursor and goes on at the reset, so nothing
 * is lost, and what it read twice the archive drops.
 */
export function mentionsPoller(d: XPollDeps): Poller {
  return {
    accountId: d.accountId,
    name: 'mentions',
    everyMs: d.everyMs,
    credential: d.readerCredential,
    async poll(cursor): Promise<PollResult> {
      const since = cursor ? { since_id: cursor } : { start_time: new Date(d.now().getTime() - d.catchUpHours * 3_600_000).toISOString() };
      const read: InboundMessage[] = [];
      let page;
      try {
        page = await d.reader.v2.userMentionTimeline(d.accountId, { ...since, max_results: 100, expansions: MENTION_EXPANSIONS, 'tweet.fields': TWEET_FIELDS, 'user.fields': ['username', 'name'] } as never);
      } catch (err) {
        return stopped(err, d, read, d.readerAction);
      }
      const take = async (): Promise<void> => {
        read.length = 0;
        // oldest first, so that a reply finds the thread of the post it answers in the same read
        const batch = new Map<string, { author: string; thread: string }>();
        for (const raw of [...page.tweets].reverse()) {
          const t = Tweet.safeParse(raw);
          // ours, of this account or another we serve (a reply in a thread that mentions us), are never complaints
          if (!t.success || d.ours.has(t.data.author_id)) continue;
          const user = page.includes.author(raw);
          const author: Author | undefined = user ? { id: user.id, name: user.name, username: user.username } : undefined;
          const thread = await d.threadOf(t.data, batch);
          batch.set(t.data.id, { author: t.data.author_id, thread });
          read.push(mentionMessage(d.accountId, t.data, author, thread, raw));
        }
      };
      for (let n = 1; !page.done && n < MOST_PAGES; n++) {
        try {
          await page.fetchNext();
        } catch (err) {
          await take();
          return stopped(err, d, read, d.readerAction);
        }
      }
      await take();
      if (!page.done) return { messages: read };
      // the newest id comes with the first page; when nothing is new the cursor stays (none yet: the next poll reads
      // back catchUpHours again, never the whole timeline)
      const next = page.meta.newest_id ?? cursor;
      return { messages: read, ...(next ? { cursor: next } : {}), ...resetOf(page.rateLimit) };
    },
  };
}

const newer = (a: string, b: string): boolean => BigInt(a) > BigInt(b);

/**
 * The account's DM events, newest first, down to the last one archived (X has no since_id for DMs). The first
 * poll of an account reads back `catchUpHours`. The cursor is the newest event id, moved only after a whole read.
 */
export function dmsPoller(d: XPollDeps): Poller {
  return {
    accountId: d.accountId,
    name: 'dms',
    everyMs: d.everyMs,
    async poll(cursor): Promise<PollResult> {
      const from = d.now().getTime() - d.catchUpHours * 3_600_000;
      const isNew = (e: DmEvent): boolean => (cursor ? newer(e.id, cursor) : !e.created_at || Date.parse(e.created_at) >= from);
      const read: InboundMessage[] = [];
      let newest = cursor;
      let page;
      try {
        page = await d.account.v2.listDmEvents({ event_types: ['MessageCreate'], 'dm_event.fields': DM_FIELDS, max_results: 100 } as never);
      } catch (err) {
        return stopped(err, d, read);
      }
      let seen = 0;
      let reachedOld = false;
      const take = (): void => {
        for (const raw of page.events.slice(seen)) {
          const e = DmEvent.safeParse(raw);
          if (!e.success) continue;
          if (!newest || newer(e.data.id, newest)) newest = e.data.id;
          if (!isNew(e.data)) {
            reachedOld = true;
            continue;
          }
          if (isCitizenDm(d.ours, e.data)) read.push(dmMessage(d.accountId, e.data, raw));
        }
        seen = page.events.length;
      };
      take();
      for (let n = 1; !reachedOld && !page.done && n < MOST_PAGES; n++) {
        try {
          await page.fetchNext();
        } catch (err) {
          take();
          return stopped(err, d, read);
        }
        take();
      }
      if (!reachedOld && !page.done) return { messages: read };
      return { messages: read, ...(newest ? { cursor: newest } : {}), ...resetOf(page.rateLimit) };
    },
  };
}
