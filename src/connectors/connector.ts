import type { FastifyInstance } from 'fastify';
import type { Channel, InboundMessage, OutboundMessage } from '../model/index.ts';
import type { Store } from '../store/store.ts';

/** How long a reply may be on this channel; replies are shaped to it before they reach the outbox. */
export interface ChannelLimits {
  /** hard cap in characters (e.g. Messenger 2000, X 280 weighted) */
  maxChars?: number;
  /** how maxChars is counted: code points (default), or X's weighted length (CJK and emoji count 2, a URL 23) */
  countBy?: 'code-points' | 'x-weighted';
  /** SMS: the segment budget a reply must fit in */
  maxSegments?: number;
  /** sends per second the provider allows us */
  ratePerSecond?: number;
  /** answers offered as buttons (quick replies, suggested actions): how many, and how long each may be */
  buttons?: { most: number; longest: number };
  /** replies carry a subject line (email): the ticket number goes in it */
  subject?: boolean;
  /** what a citizen can send us on this channel: the bot asks for a photo or a pin only where they can */
  carries?: { photos: boolean; location: boolean };
  /** replies may carry markdown: a phone number becomes a tel: link */
  markdown?: boolean;
  /** a public post is also answered privately, once (Messenger's private reply to a page comment) */
  privateReplyToPublic?: boolean;
}

export type SendResult = { providerId: string };

/** A failure worth trying again later (timeouts, 429, 5xx). */
export class RetryableSendError extends Error {
  override readonly name: string = 'RetryableSendError';
  constructor(
    message: string,
    /** the provider asked us to wait this long (Retry-After) */
    readonly retryAfterMs?: number,
    /**
     * The provider may have taken the message: the request was sent but its answer was lost (a reset, a time-out,
     * a 5xx from a gateway). The next attempt must look it up before sending again.
     */
    readonly outcomeUnknown = false,
  ) {
    super(message);
  }
}

/**
 * The provider refused the send for its rate (HTTP 429, Twilio 20429, Graph's rate-limit codes): not this message's
 * fault, so the whole channel slows down, in every process on a shared queue, for `retryAfterMs` (or its backoff).
 */
export class RateLimitedSendError extends RetryableSendError {
  override readonly name: string = 'RateLimitedSendError';
}

/**
 * The account cannot send now and will not until a person acts (a page token expired or was revoked): the reply
 * waits, without spending its retries, and is tried again after `retryAfterMs` (the connector answers at once
 * while the account is unhealthy, without calling the provider).
 */
export class HeldSendError extends RetryableSendError {
  override readonly name = 'HeldSendError';
}

/** A failure that will not go away by retrying (invalid number, unsubscribed recipient, bad credentials). */
export class PermanentSendError extends Error {
  override readonly name: string = 'PermanentSendError';
  constructor(
    message: string,
    readonly code?: string | number,
  ) {
    super(message);
  }
}

/**
 * This channel cannot deliver the reply now and retrying will not change that (Messenger's 24-hour window has
 * closed and the page has no message tag): the outbox sends the same text by another channel of the citizen's
 * (SMS, when they gave a number), or records the reply as unreachable.
 */
export class ReachElsewhereError extends PermanentSendError {
  override readonly name = 'ReachElsewhereError';
}

/** What a connector may call on the pipeline: archive-before-acknowledge and delivery receipts. */
export interface PipelineIntake {
  /** resolves once every message is durably archived (duplicates are dropped); only then may a webhook answer 2xx */
  accept(messages: InboundMessage[]): Promise<{ accepted: number; duplicates: number }>;
  /** a delivery receipt from the provider */
  recordDelivery(providerId: string, state: 'sent' | 'delivered' | 'undelivered', error?: string): Promise<void>;
}

export interface ConnectorContext {
  intake: PipelineIntake;
  store: Store;
}

/** What a poll read: messages to archive, and where the next poll starts. */
export interface PollResult {
  messages: InboundMessage[];
  /**
   * The cursor after these messages, when the whole page was read; undefined when the read was cut short (a rate
   * limit in the middle of paging): the next poll starts from the old cursor again, and the archive drops repeats.
   */
  cursor?: string;
  /** the provider asked us to wait until then (a rate limit's reset) */
  waitUntil?: Date;
  /** there is more to read now (a mailbox with a long backlog is read a batch at a time): poll again at once */
  more?: boolean;
  /** runs once the messages are archived and the cursor moved: tell the provider they were taken (IMAP \Seen, a move) */
  afterArchive?: () => Promise<void>;
}

/** One thing a pull channel reads on an interval, for one account: X mentions, X DMs, a page's recent comments. */
export interface Poller {
  readonly accountId: string;
  /** what it reads ("mentions", "dms", "comments"): with the channel and account, the key of its cursor */
  readonly name: string;
  readonly everyMs: number;
  /** which credential it reads with, for health ("account" by default; X's mentions may use the app's token: "app") */
  readonly credential?: string;
  poll(cursor: string | undefined): Promise<PollResult>;
  /**
   * A channel that can hear of new messages between polls (IMAP IDLE): starts listening, calls `wake` when there is
   * something to read (the scheduler polls at once), and resolves `stop` when the bridge stops.
   */
  watch?(wake: () => void): { stop(): Promise<void> };
}

/**
 * The provider refused the account's credentials (a revoked token, a changed password): polling it again will not
 * help until a person acts, as `action` says. Thrown by a poller; the scheduler marks the account unauthorised.
 */
export class AccountRefusedError extends Error {
  override readonly name = 'AccountRefusedError';
  constructor(
    message: string,
    readonly action: string,
  ) {
    super(message);
  }
}

/**
 * How a connector tells the bridge that an account works or needs a person (/readyz, `pmc-bridge channels`).
 * `unauthorised`: the credentials were refused; `action` says what to do ("re-authorise page 123 …"). `source` is
 * which credential it was ("account", the default: the page token, the account's keys; "app": X's bearer token):
 * an account is refused while any of them is, and one that works does not clear another's refusal.
 */
export interface HealthReporter {
  ok(channel: Channel, accountId: string, source?: string): void;
  failed(channel: Channel, accountId: string, error: string): void;
  unauthorised(channel: Channel, accountId: string, error: string, action: string, source?: string): void;
  isUnauthorised(channel: Channel, accountId: string): boolean;
}

/**
 * One interface for every channel; the parts a channel lacks are left out. The pipeline only ever sees this.
 */
export interface Connector {
  readonly channel: Channel;
  /** the account ids (numbers, pages, mailboxes) this connector serves */
  readonly accountIds: readonly string[];
  readonly limits: ChannelLimits;
  /** push channels: mount the webhook routes */
  routes?(server: FastifyInstance, ctx: ConnectorContext): void | Promise<void>;
  /** pull channels (and webhook channels' catch-up): what the pipeline's scheduler polls, each on its interval */
  readonly pollers?: readonly Poller[];
  /** throws RetryableSendError or PermanentSendError */
  send(message: OutboundMessage, opts: { outboxId: number }): Promise<SendResult>;
  /** how a send whose outcome is unknown (a crash, a reset, a time-out) is tried again without a duplicate */
  readonly resend: ResendGuard;
  /**
   * Channels whose conversations end (a web chat page closed): whether this one can still be written to. Absent:
   * always (an SMS number, a Messenger PSID).
   */
  canReach?(threadKey: string): boolean | Promise<boolean>;
  close?(): Promise<void>;
}

/**
 * Every connector says how it avoids sending a reply twice when an attempt's outcome is unknown:
 * - lookup: `findSent` asks the provider whether it already has the message; the outbox calls it before any
 *   attempt that follows a crash mid-send or an unknown outcome. Undefined = not found (safe to send again).
 * - idempotent: sending the same outbox entry again can never deliver it twice (the provider honours an
 *   idempotency key, or the channel is the bridge's own); `how` says why, for the reader.
 */
export type ResendGuard =
  | { kind: 'lookup'; findSent(message: OutboundMessage, since: Date): Promise<SendResult | undefined> }
  | { kind: 'idempotent'; how: string };

/** A channel that is configured off, and why: shown in the start banner and /readyz. */
export interface ChannelStatus {
  channel: Channel;
  on: boolean;
  reason: string;
}
