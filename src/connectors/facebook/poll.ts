import { AccountRefusedError, type PollResult, type Poller } from '../connector.ts';
import type { InboundMessage } from '../../model/index.ts';
import { graphFailure, isRefusedToken, PagePost, Page, RATE_LIMIT_CODES } from './graph.ts';
import { commentMessage } from './parse.ts';
import type { PageSender } from './send.ts';

// the posts whose comments are read: citizens comment on what the page posted lately
const RECENT_POSTS = 10;
// one post's comments read in one poll at most (5,000); the next poll goes on from where this one stopped
const MOST_PAGES_PER_POST = 50;
// comments a little older than the cursor are read again (clocks, Graph's own lag); the archive drops repeats
const OVERLAP_S = 120;

type Listed = Record<string, unknown>;
interface SdkCursor extends Array<Listed & { exportAllData?: () => Record<string, unknown> }> {
  hasNext(): boolean;
  next(): Promise<SdkCursor>;
}

/**
 * The catch-up: comments on the page's recent posts since the last poll, for what arrived while the bridge was down
 * or a webhook delivery Meta gave up on. A comment the webhook already brought has the same archive key (its id),
 * so it never becomes a second ticket. The cursor is the newest comment time read (unix seconds).
 */
export function commentsPoller(sender: PageSender, o: { everyMs: number; catchUpHours: number; action: string; now: () => Date; ourPages: ReadonlySet<string> }): Poller {
  const pageId = sender.page.id;
  return {
    accountId: pageId,
    name: 'comments',
    everyMs: o.everyMs,
    async poll(cursor): Promise<PollResult> {
      const nowS = Math.floor(o.now().getTime() / 1000);
      const since = cursor && /^\d+$/.test(cursor) ? Number(cursor) - OVERLAP_S : nowS - o.catchUpHours * 3600;
      const messages: InboundMessage[] = [];
      let newest = cursor && /^\d+$/.test(cursor) ? Number(cursor) : since;
      // the time read up to in a post whose read was cut: the next poll starts there, not past it
      let cutAt: number | undefined;
      try {
        const posts = (await new Page(pageId, {}, undefined, sender.api).getPosts(['id', 'created_time'], { limit: RECENT_POSTS })) as unknown as SdkCursor;
        for (const post of posts) {
          if (typeof post.id !== 'string') continue;
          let page = (await new PagePost(post.id, {}, undefined, sender.api).getComments(['id', 'message', 'from', 'created_time', 'parent'], {
            filter: 'stream',
            // oldest first from `since`: a read cut short has read the oldest, and the next one goes on after them
            order: 'chronological',
            since,
            limit: 100,
          })) as unknown as SdkCursor;
          let readUpTo = since;
          for (let n = 0; ; n++) {
            for (const c of page) {
              const m = commentOf(pageId, o.ourPages, post.id, c, { post_id: post.id, comment: c.exportAllData?.() ?? {} });
              if (!m) continue;
              const at = Math.floor(Date.parse(m.receivedAt) / 1000);
              newest = Math.max(newest, at);
              readUpTo = Math.max(readUpTo, at);
              messages.push(m);
            }
            if (!page.hasNext()) break;
            if (n + 1 >= MOST_PAGES_PER_POST) {
              cutAt = Math.min(cutAt ?? Infinity, readUpTo);
              break;
            }
            page = await page.next();
          }
        }
      } catch (err) {
        const f = graphFailure(err);
        const said = `Graph ${f.status ?? 'gave no answer'}${f.code ? ` (#${f.code})` : ''}: ${f.message}`;
        if (isRefusedToken(f)) throw new AccountRefusedError(said, o.action);
        // a rate limit part-way: keep what was read, read it all again at the reset (the archive drops repeats)
        if (f.code !== undefined && RATE_LIMIT_CODES.has(f.code))
          return { messages, waitUntil: new Date(o.now().getTime() + (f.waitMinutes ?? 5) * 60_000) };
        throw new Error(said);
      }
      // cut short, the cursor goes only as far as that post was read (the archive drops what is read again)
      // never behind where the last poll began: a Graph that ignored `since` must not send the cursor back each time
      const floor = cursor && /^\d+$/.test(cursor) ? Number(cursor) : since;
      return { messages, cursor: String(cutAt === undefined ? newest : Math.max(cutAt, floor)) };
    },
  };
}

/** a comment as a public message; the comments of any of our pages (our replies) are left out */
function commentOf(pageId: string, ourPages: ReadonlySet<string>, postId: string, c: Listed, raw: unknown): InboundMessage | undefined {
  const from = c.from as { id?: unknown; name?: unknown } | undefined;
  if (typeof c.id !== 'string' || typeof from?.id !== 'string' || ourPages.has(from.id)) return undefined;
  const created = typeof c.created_time === 'string' ? new Date(c.created_time.replace(/\+0000$/, 'Z')) : undefined;
  if (!created || Number.isNaN(created.getTime())) return undefined;
  const parent = (c.parent as { id?: unknown } | undefined)?.id;
  return commentMessage(
    pageId,
    {
      id: c.id,
      from: { id: from.id, ...(typeof from.name === 'string' ? { name: from.name } : {}) },
      message: typeof c.message === 'string' ? c.message : '',
      createdAt: created,
      parentId: typeof parent === 'string' && parent !== postId ? parent : undefined,
    },
    raw,
  );
}
