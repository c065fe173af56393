import { PermanentSendError, ReachElsewhereError, RateLimitedSendError, RetryableSendError, type HealthReporter, type SendResult } from '../connector.ts';
import type { OutboundMessage } from '../../model/index.ts';
import { AccountHold } from '../account-hold.ts';
import type { FacebookPage } from './config.ts';
import { Comment, Page, graphFailure, isRefusedToken, RATE_LIMIT_CODES, type GraphApi, type GraphFailure } from './graph.ts';
import type { Store } from '../../store/store.ts';
import { findSentOnFacebook, LookupFailed } from './find-sent.ts';
import type { MessengerWindow } from './window.ts';
import { messagingTypeFor } from './window.ts';

// a rate limit with no advised wait
const RATE_LIMIT_WAIT_MS = 60_000;

export interface PageSender {
  page: FacebookPage;
  api: GraphApi;
  /** the environment variable holding its token, for the message that says what to do */
  tokenEnv: string;
}

export interface FacebookSendDeps {
  pages: ReadonlyMap<string, PageSender>;
  window: MessengerWindow;
  /** the archive: when the message a reply answers came */
  store: Store;
  health: HealthReporter;
  /** what a supervisor must do for this page */
  action: (pageId: string, tokenEnv: string) => string;
  now: () => Date;
}

/**
 * Sends on Messenger and on the page's comments. Each reply goes the way Meta allows it then: a comment's public
 * reply under the comment, its private reply once to the commenter, a Messenger message within the 24-hour
 * window (or the HUMAN_AGENT tag's 7 days); past that, the outbox is told to reach the citizen another way.
 */
export function createFacebookSender(deps: FacebookSendDeps) {
  const hold = new AccountHold('facebook', deps.health);

  /** the page, unless it is waiting to be re-authorised (then its replies are held without calling Meta) */
  function pageFor(msg: OutboundMessage, now: number): PageSender {
    const sender = deps.pages.get(msg.accountId);
    if (!sender) throw new PermanentSendError(`page ${msg.accountId} is not configured: add it to channels.facebook.pages (or FACEBOOK_PAGE_ID)`);
    hold.check(sender.page.id, now, `page ${sender.page.id} is waiting to be re-authorised`);
    return sender;
  }

  /** the look-up before a resend, held like a send while the page's token is refused */
  async function findSent(msg: OutboundMessage, since: Date): Promise<SendResult | undefined> {
    const now = deps.now().getTime();
    const sender = pageFor(msg, now);
    try {
      return await findSentOnFacebook(sender, msg, since);
    } catch (err) {
      if (err instanceof LookupFailed && isRefusedToken(graphFailure(err.cause))) throw classify(err.cause, sender, now);
      throw err;
    }
  }

  async function send(msg: OutboundMessage): Promise<SendResult> {
    const now = deps.now().getTime();
    const sender = pageFor(msg, now);
    const pageId = sender.page.id;
    try {
      const providerId = await deliver(sender, msg);
      hold.worked(pageId);
      return { providerId };
    } catch (err) {
      // a second private reply to one comment is refused: the first (whose answer we lost) reached the citizen
      if (msg.privateReplyTo && graphFailure(err).code === 10900) return { providerId: `private-reply:${msg.privateReplyTo}` };
      throw classify(err, sender, now);
    }
  }

  async function deliver({ page, api }: PageSender, msg: OutboundMessage): Promise<string> {
    if (msg.public) {
      if (!msg.inReplyTo) throw new PermanentSendError('a public reply names no comment to answer');
      const reply = await new Comment(msg.inReplyTo, {}, undefined, api).createComment([], { message: msg.text });
      return String(reply.id);
    }
    const message = { text: msg.text, ...(msg.choices?.length ? { quick_replies: msg.choices.map((c) => ({ content_type: 'text', title: c, payload: c })) } : {}) };
    if (msg.privateReplyTo) {
      const sent = await new Page(page.id, {}, undefined, api).createMessage([], { recipient: { comment_id: msg.privateReplyTo }, message, messaging_type: 'RESPONSE' });
      return messageIdOf(sent);
    }
    const answered = msg.inReplyTo ? await deps.store.getInboundBySource({ channel: 'facebook', accountId: page.id, externalId: msg.inReplyTo }) : undefined;
    const lastHeard = await deps.window.lastHeard(page.id, msg.to, answered ? new Date(answered.message.receivedAt) : undefined);
    const how = messagingTypeFor(lastHeard, deps.now(), page.humanAgentTag);
    if (!how)
      throw new ReachElsewhereError(
        page.humanAgentTag ? "outside Messenger's 7 days for a HUMAN_AGENT reply" : "outside Messenger's 24-hour window, and the page has no HUMAN_AGENT tag",
        2018278,
      );
    const sent = await new Page(page.id, {}, undefined, api).createMessage([], { recipient: { id: msg.to }, message, ...how });
    return messageIdOf(sent);
  }

  function classify(err: unknown, { page, tokenEnv }: PageSender, now: number): Error {
    if (err instanceof PermanentSendError || err instanceof RetryableSendError) return err;
    const f = graphFailure(err);
    const said = describe(f);
    if (isRefusedToken(f)) {
      return hold.refused(page.id, now, said, deps.action(page.id, tokenEnv), `page ${page.id}: ${said}`);
    }
    if (f.status === null) {
      deps.health.failed('facebook', page.id, said);
      // no answer: Meta may have carried it out, so the next attempt looks first
      return new RetryableSendError(said, undefined, true);
    }
    if (f.code !== undefined && RATE_LIMIT_CODES.has(f.code)) {
      deps.health.failed('facebook', page.id, said);
      return new RateLimitedSendError(said, f.waitMinutes !== undefined ? f.waitMinutes * 60_000 : RATE_LIMIT_WAIT_MS);
    }
    if (f.code === 10 && f.subcode === 2018278) return new ReachElsewhereError(`Meta says: outside the allowed window (${said})`, 2018278);
    if (f.transient) {
      deps.health.failed('facebook', page.id, said);
      return new RetryableSendError(said, undefined, f.status >= 500);
    }
    // 10, 100, 200, 551, 10900 …: the citizen blocked the page, the comment is gone, a permission is missing
    return new PermanentSendError(said, f.code);
  }

  return { send, findSent };
}

function describe(f: GraphFailure): string {
  const code = f.code === undefined ? '' : ` (#${f.code}${f.subcode ? `/${f.subcode}` : ''})`;
  return `Graph ${f.status ?? 'gave no answer'}${code}: ${f.message}`;
}

/** createMessage resolves to a Page holding the Send API's answer */
function messageIdOf(sent: { exportAllData(): Record<string, unknown> }): string {
  const id = sent.exportAllData().message_id;
  if (typeof id !== 'string' || id === '') throw new RetryableSendError('Graph answered the send without a message id', undefined, true);
  return id;
}
