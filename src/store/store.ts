import type { AttachmentStore } from '../attachments/attachment-store.ts';
import type {
  Channel,
  ChannelMapping,
  Contact,
  DeliveryState,
  Feedback,
  InboundMessage,
  Language,
  OutboundMessage,
  OutboxEntry,
  Priority,
  RoutingExplanation,
  SourceRef,
  Ticket,
  TicketStatus,
} from '../model/index.ts';

import type { AdminStore } from './admin-store.ts';
import type { CampaignStore } from './campaign-store.ts';

/** Where an archived inbound message stands in the pipeline. */
export type InboundState = 'pending' | 'done' | 'dead';

export interface ArchivedInbound {
  id: number;
  message: InboundMessage;
  state: InboundState;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  /** how many redeliveries of the same (channel, accountId, externalId) were dropped */
  duplicates: number;
  archivedAt: string;
}

export interface ArchiveResult {
  id: number;
  duplicate: boolean;
}

/** What the pipeline knows when it files a ticket; the store gives it a number and times. */
export interface TicketDraft {
  source: SourceRef;
  contact: Contact;
  language: Language;
  description: { original: string; normalized: string };
  category?: string;
  department: string;
  ward?: string;
  location?: Ticket['location'];
  attachments: Ticket['attachments'];
  slaDueAt: string;
  priority?: Priority;
  /** why it went where it did (the router's explanation) */
  routing?: RoutingExplanation;
  /** who filed it, for the first history entry */
  by: string;
  /**
   * A public thread the ticket stands for (one citizen's posts under one tweet or comment): a later post of the
   * same thread joins the ticket filed for it (as another source) while that ticket is open; once it is resolved,
   * closed or rejected, the post files a new ticket and the thread moves to it.
   */
  thread?: SourceRef;
  /**
   * The ticket the message says it belongs to (a reply to our mail about it, its number in the subject): while it is
   * open and the same citizen's, the message joins it as another source (with its attachments) instead of filing.
   */
  joinTicketNo?: string;
  /** the first history entry's note */
  note?: string;
  /** filed as rejected at once, with this note (an application the source's rules do not admit) */
  rejectWith?: string;
}

/** What to file and say for one message, once the citizen is known. */
export interface InboundDecision {
  /** the ticket to file, idempotent on its source; absent when the message files none */
  ticket?: TicketDraft;
  /** the replies, built once the ticket and its number are known */
  replies: (ticket: Ticket | undefined) => OutboundMessage[];
}

/** What processing one inbound message comes to: the citizen, a ticket (or none), the replies, the message done. */
export interface InboundCompletion {
  inboundId: number;
  /** the citizen as this message shows them: found or created (upsertContact's rules) in the same step */
  sighting: ContactSighting;
  /** pure and synchronous, as it may run more than once and inside a transaction */
  decide: (contact: Contact) => InboundDecision;
  now: Date;
}

export interface CompletedInbound {
  contact: Contact;
  ticket?: Ticket;
  outboxIds: number[];
}

export interface ContactSighting {
  channel: Channel;
  /** the channel's own user id (phone number for SMS, PSID, handle id, address) */
  channelUserId: string;
  name?: string;
  /** E.164 only; the caller normalises */
  phone?: string;
  /** lower-cased */
  email?: string;
  /** the phone and email are another system's say-so (an API's sender): they find a contact, but are not added to one */
  claimed?: boolean;
}

/** What staff change on a ticket: its status, where it is (a forward), with a note; one history entry. */
export interface TicketChange {
  status?: TicketStatus;
  department?: string;
  /** null: no ward office */
  ward?: string | null;
  /** internal: staff read it, the citizen never does */
  note?: string;
  /** for the citizen: sent with the status update (the resolution, the reason for a rejection) */
  publicNote?: string;
  /** `user:<id>` */
  by: string;
  at: Date;
}

/** One change in the tickets' history, as the status updates read it (src/notify/status-updates.ts). */
export interface HistoryEvent {
  /** increasing: the order changes were made in, and the status updates' cursor */
  id: number;
  ticketNo: string;
  at: string;
  /** `user:<id>`, `cli:<name>`, `citizen`, `bridge`, `store` (a status another system wrote directly) */
  by: string;
  from: TicketStatus | null;
  to: TicketStatus;
  publicNote?: string;
  /** where a forward sent the ticket: what it named (a department, a ward office, or both) */
  place?: { department?: string; ward?: string };
  /** when the ticket's next change was made, if there is one: a change soon followed by another is not told */
  nextAt?: string;
}

export interface TicketQuery {
  status?: TicketStatus;
  /** only this citizen's tickets (a status query answers the owner only) */
  contactId?: string;
  /** only resolved tickets whose citizen has neither rated them nor been asked to: whom to ask for a rating */
  awaitingRating?: boolean;
  /** only resolved tickets asked for a rating in [askedFrom, askedBefore), neither rated nor reminded: whom to remind */
  ratingUnanswered?: { askedFrom: Date; askedBefore: Date };
  /** any of these statuses (with `status`, both must hold) */
  statuses?: readonly TicketStatus[];
  /** an officer's reach: tickets of any of these ward offices or departments */
  reach?: { wards: readonly string[]; departments: readonly string[] };
  ward?: string;
  department?: string;
  /** only tickets no rule routed (waiting for staff in the unrouted queue) */
  unrouted?: boolean;
  /** only open tickets whose due time is before this instant */
  overdueAt?: Date;
  /** only tickets whose due time is at or after this instant (with overdueAt: those fallen due since) */
  dueFrom?: Date;
  /** a ticket number, or words of the description */
  search?: string;
  /** skipped from the start of the ordered list (paging) */
  offset?: number;
  /** no limit when absent */
  limit?: number;
  /** newest first unless `order: 'asc'` */
  order?: 'asc' | 'desc';
}

/** A ward office's day as the staff digest reads it (src/notify/staff-digest.ts); tickets, not history entries. */
export interface WardDayCounts {
  /** the ward office the ticket is at now (null: none) */
  ward: string | null;
  /** filed in the period (the ticket's first history entry) */
  received: number;
  forwarded: number;
  resolved: number;
  /** open or resolved and flagged for follow-up now: how many, and the first `listed` numbers, oldest first */
  followUp: number;
  followUpTicketNos: string[];
}

/** A failed send attempt whose outcome is unknown: the provider may have the message since this time. */
export interface AttemptOutcome {
  unsureSince?: Date;
  /** the attempt does not count: the account was held (a person must act) and nothing reached the provider */
  uncounted?: boolean;
}

export interface OutboxQuery {
  state?: DeliveryState;
  /** what was said about this ticket (acknowledgements, status answers, rating questions) */
  ticketNo?: string;
  /** what was said in one conversation (a citizen's SMS thread, a Messenger chat) */
  threadKey?: string;
  limit?: number;
}

export interface FeedbackResult {
  /** as it is after the rating: flagged for follow-up, reopened */
  ticket: Ticket;
  /**
   * the mean rating of the other rated tickets, before this one, that the rating was compared with: of its
   * department and ward office when at least 5 were rated there, else of its department (at least 5), else of all;
   * undefined when none was rated yet
   */
  averageBefore?: number;
  /** whose average that was, and of how many ratings */
  comparedWith?: { scope: 'ward' | 'department' | 'overall'; ratings: number };
  /** below the average (with none, at or below `unhappyAtMost`), or the problem persists: flagged for follow-up */
  followUp: boolean;
  /** the resolved or closed ticket was reopened by this rating */
  reopened: boolean;
}

/** What a rating does to its ticket besides being recorded, decided in the same step as the comparison. */
export interface FeedbackRules {
  /** with no other rated ticket to compare with, a rating at or below this is below average (default 0: none is) */
  unhappyAtMost?: number;
  /** a rating below the average reopens a resolved or closed ticket (config feedback.reopenBelowAverage) */
  reopenBelowAverage?: boolean;
  /** the citizen says the problem is still there: flagged and reopened, whatever the rating */
  persists?: boolean;
  /** the history entry of a reopen: who, and the note */
  reopenBy?: string;
  reopenNote?: string;
}

/** What the feedback report reads of a ticket asked to rate, or rated, in a period (src/report/feedback-report.ts). */
export interface FeedbackRow {
  department: string;
  ward?: string;
  /** ISO, UTC: when the citizen was asked to rate it */
  askedAt?: string;
  rating?: number;
  /** ISO, UTC: when the rating was given */
  ratedAt?: string;
  followUp: boolean;
}

/**
 * One bot turn, made durable in one step: the bot's state, its replies, and the message marked done. A turn the
 * bridge starts itself (asking for a rating) has no message; it marks the ticket asked instead.
 */
export interface CompletedTurn {
  inboundId?: number;
  /** the ticket whose rating this turn asks for: marked asked in the same step */
  ratingRequested?: string;
  /** the ticket whose unanswered rating question this turn asks again: marked reminded in the same step */
  ratingReminded?: string;
  /**
   * the conversation asks for a turn of its own at `at` (null: no longer), on the message `inboundId` (kept from
   * an earlier turn when absent): a promised photo that never came, and the ticket is filed without it
   */
  wake?: { conversation: string; inboundId?: number; at: Date | null };
  /** state written during the turn; each with the eTag it was read with (absent or '*': overwrite) */
  state: { key: string; data: unknown; etag?: string }[];
  replies: OutboundMessage[];
  now: Date;
}

/** A web chat conversation as the store keeps it: whose it is, and until when it is kept. */
export interface ChatConversation {
  id: string;
  /** the web citizen it belongs to (`dl_…`): the only one who may read it */
  userId: string;
  /** ISO: kept, and resumable by its citizen, until then */
  keptUntil: string;
}

/** One activity of a web chat log, in order; `seq` is what Direct Line's watermark counts. */
export interface ChatEntry {
  seq: number;
  activity: Record<string, unknown>;
}

export interface StoredConversation {
  key: string;
  data: unknown;
  etag: string;
}

export interface DeadLetter {
  kind: 'inbound' | 'outbound';
  id: number;
  error: string;
  attempts: number;
  at: string;
  /** a short human label: channel/account/externalId, or channel → recipient kind */
  summary: string;
}

export interface StoreStats {
  inbound: Record<InboundState, number>;
  duplicatesDropped: number;
  tickets: number;
  outbox: Record<DeliveryState, number>;
}

/**
 * The store port. Every implementation passes test/contract/store.contract.ts. Every write the pipeline makes
 * is idempotent, so an at-least-once pipeline gives exactly-once tickets and replies.
 */
export interface Store {
  readonly kind: string;
  /** a store that keeps the files citizens send itself, for every process (MongoDB's GridFS); else a folder does */
  readonly files?: AttachmentStore;
  /** configuration records, audit and sessions (staff administration) */
  readonly admin: AdminStore;
  /** awareness campaigns and the citizens' announcement choice (STOP / START) */
  readonly campaigns: CampaignStore;
  /** throws when the store cannot be reached */
  ping(): Promise<void>;
  /**
   * A real write, as small as can be, made durable the way an archive is: throws when the store cannot take one
   * (a full or read-only disk, a lost lock). What /readyz asks, so a balancer stops sending before webhooks fail.
   */
  checkWritable(): Promise<void>;
  close(): Promise<void>;
  stats(): Promise<StoreStats>;

  // — inbound archive —
  /** stores each message with its raw payload, unique on (channel, accountId, externalId); durable on return */
  archiveInbound(messages: InboundMessage[]): Promise<ArchiveResult[]>;
  getInbound(id: number): Promise<ArchivedInbound | undefined>;
  /** the archived message with this (channel, accountId, externalId), e.g. a ticket's source */
  getInboundBySource(source: SourceRef): Promise<ArchivedInbound | undefined>;
  /** pending messages whose next attempt is due at `now`, oldest first */
  listDueInbound(now: Date, limit: number): Promise<number[]>;
  markInboundDone(id: number): Promise<void>;
  markInboundRetry(id: number, error: string, nextAttemptAt: Date): Promise<void>;
  markInboundDead(id: number, error: string): Promise<void>;
  /** back to pending, due now (a dead letter retried by staff) */
  retryInbound(id: number): Promise<boolean>;
  /**
   * For each item: find or create the citizen, file the ticket (idempotent on the source), put the replies in the
   * outbox (idempotent on their keys) and mark the message done. Each step is idempotent, so a repeat after a crash changes nothing; a store
   * that can makes the whole call one transaction (SQLite does: many messages, one commit).
   */
  completeInbound(items: InboundCompletion[]): Promise<CompletedInbound[]>;

  /**
   * A bot turn made durable at once: its state writes (eTag-checked), its replies in the outbox (idempotent on
   * their keys) and the message marked done. If any state was written by someone else since it was read, nothing
   * is written and EtagConflictError is thrown: the caller runs the turn again on the fresh state.
   */
  completeTurn(turn: CompletedTurn): Promise<{ outboxIds: number[] }>;
  /** conversations whose wake-up time has come (CompletedTurn.wake), earliest first */
  listDueWakeups(now: Date, limit: number): Promise<{ conversation: string; inboundId: number; at: string }[]>;

  // — contacts —
  /** finds the contact by channel identity, else by phone, else by email, else creates it; merges what is new */
  upsertContact(sighting: ContactSighting): Promise<Contact>;
  getContact(id: string): Promise<Contact | undefined>;
  /** the citizen known on a channel by this id (a PSID, an X user id, a phone number), if any */
  findContactByIdentity(channel: Channel, channelUserId: string): Promise<Contact | undefined>;
  /** the language the citizen chose ("English please", "मराठीत"); undefined forgets the choice */
  setPreferredLanguage(contactId: string, language: Language | undefined): Promise<void>;

  // — tickets —
  /** idempotent on draft.source: filing the same source again returns the first ticket with created=false */
  createTicket(draft: TicketDraft): Promise<{ ticket: Ticket; created: boolean }>;
  getTicket(ticketNo: string): Promise<Ticket | undefined>;
  findTicketBySource(source: SourceRef): Promise<Ticket | undefined>;
  listTickets(query?: TicketQuery): Promise<Ticket[]>;
  /** throws InvalidTransitionError when the move is not allowed */
  updateTicketStatus(ticketNo: string, to: TicketStatus, by: string, note?: string): Promise<Ticket>;
  /**
   * a further message on an existing ticket (a photo sent after the complaint). false when the source is already on
   * a ticket, this one or another; throws TicketNotFoundError for an unknown ticket.
   */
  addTicketSource(ticketNo: string, source: SourceRef): Promise<boolean>;
  /**
   * adds what a later message brought (a photo sent after the complaint was filed) and makes the message a source
   * of the ticket; idempotent on the source (false when it is already the ticket's). Throws TicketNotFoundError.
   */
  attachToTicket(ticketNo: string, source: SourceRef, attachments: Ticket['attachments']): Promise<boolean>;
  /**
   * the citizen's 1–5 rating; a second rating replaces the first. Compared with the running average (see
   * FeedbackResult), flagged for follow-up and reopened per `rules`, all in one step, so two ratings cannot cross.
   * Throws TicketNotFoundError.
   */
  recordFeedback(ticketNo: string, feedback: Feedback, rules?: FeedbackRules): Promise<FeedbackResult>;
  /** the comment the citizen gave after rating (the answer to "why?"); false when the ticket has no rating. Throws TicketNotFoundError. */
  setFeedbackComment(ticketNo: string, comment: string): Promise<boolean>;
  /** the citizen was asked to rate the ticket (or cannot be, and must not be tried again). Throws TicketNotFoundError. */
  markRatingRequested(ticketNo: string, at: Date): Promise<void>;
  /** the unanswered rating question was asked again (or cannot be): never a third time. Throws TicketNotFoundError. */
  markRatingReminded(ticketNo: string, at: Date): Promise<void>;
  /** how many tickets match, by status (paging and limits ignored) */
  countTickets(query?: TicketQuery): Promise<Partial<Record<TicketStatus, number>>>;
  /** per ward office: tickets filed, forwarded and resolved in [from, to) by their history, and flagged for follow-up now */
  countHistory(query: { from: Date; to: Date; listed: number }): Promise<WardDayCounts[]>;
  /**
   * a staff change (status, forward) and its audit entry, in one step. A forward with no status given moves the
   * ticket to `forwarded`. Throws InvalidTransitionError or TicketNotFoundError.
   */
  changeTicket(ticketNo: string, change: TicketChange): Promise<Ticket>;
  /** the tickets' history after `afterId`, in order (every ticket's changes, whoever made them) */
  listHistoryAfter(afterId: number, limit: number): Promise<HistoryEvent[]>;
  /** flags (or clears) the ticket for a call back by staff. Throws TicketNotFoundError. */
  setFollowUp(ticketNo: string, followUp: boolean): Promise<Ticket>;
  /** tickets asked to rate, or rated, in [from, to) (read-only: the feedback report) */
  feedbackRows(from: Date, to: Date): Promise<FeedbackRow[]>;

  // — conversations (bot state) —
  readConversations(keys: string[]): Promise<StoredConversation[]>;
  /** etag absent or '*' overwrites; otherwise it must match or EtagConflictError is thrown. Returns the new etag. */
  writeConversation(key: string, data: unknown, etag?: string): Promise<string>;
  deleteConversation(key: string): Promise<void>;

  // — outbox —
  /** idempotent on idempotencyKey */
  enqueueOutbound(messages: OutboundMessage[], now?: Date): Promise<{ id: number; created: boolean }[]>;
  getOutbox(id: number): Promise<OutboxEntry | undefined>;
  /** newest first */
  listOutbox(query?: OutboxQuery): Promise<OutboxEntry[]>;
  /** pending entries due at `now` and entries left in `sending` by a crash, oldest first */
  listDueOutbox(now: Date, limit: number): Promise<number[]>;
  /**
   * claims the entry for one attempt: pending → sending, attempts + 1. A `sending` entry (left by a crash, handed
   * out by listDueOutbox) can be claimed again; false for sent, delivered, undelivered, dead or unknown entries.
   */
  claimOutbox(id: number): Promise<boolean>;
  markOutboxSent(id: number, providerId: string): Promise<void>;
  /** with `unsureSince`, the attempt's outcome is unknown: it is kept (the earliest one) until the entry is sent */
  markOutboxRetry(id: number, error: string, nextAttemptAt: Date, opts?: AttemptOutcome): Promise<void>;
  markOutboxDead(id: number, error: string, opts?: AttemptOutcome): Promise<void>;
  /**
   * an account works again (a page re-authorised): its replies held until now (last error a HeldSendError) are due
   * at once; replies waiting for a rate limit or a backoff keep their time
   */
  releaseOutbox(channel: Channel, accountId: string, now: Date): Promise<number>;
  /** a delivery receipt; unknown provider ids are ignored (returns false) */
  recordDelivery(providerId: string, state: 'sent' | 'delivered' | 'undelivered', error?: string): Promise<boolean>;
  /** dead or undelivered → pending, due now */
  retryOutbox(id: number): Promise<boolean>;

  /** dead inbound messages and dead outbox entries, newest first */
  listDeadLetters(): Promise<DeadLetter[]>;

  // — web chat conversations and their logs (any web process can serve any conversation) —
  /**
   * opens the conversation, or keeps it longer; a new one is refused (`opened: false`) while `most` conversations
   * are kept. Never changes whose a conversation is.
   */
  openChat(conversation: ChatConversation, most: number): Promise<{ opened: boolean; created: boolean }>;
  /** a conversation kept at `now`, or undefined */
  getChat(id: string, now: Date): Promise<ChatConversation | undefined>;
  /** the citizen's most recent conversation still kept: a reload (or another tab) resumes it */
  latestChatOf(userId: string, now: Date): Promise<ChatConversation | undefined>;
  /**
   * reserves the next place in the log for a citizen's activity being archived: readers stop before it until it
   * is put (putChatEntry) or cancelled, so a reply can never be read before the message it answers
   */
  reserveChatEntry(conversationId: string): Promise<number>;
  putChatEntry(conversationId: string, seq: number, activity: Record<string, unknown>): Promise<void>;
  cancelChatEntry(conversationId: string, seq: number): Promise<void>;
  /** appends a reply, once per outbox entry (a second call returns the first one's seq, created false) */
  appendChatReply(conversationId: string, outboxId: number, activity: (seq: number) => Record<string, unknown>): Promise<{ seq: number; created: boolean }>;
  /** entries after `afterSeq`, up to the first one still reserved, at most `limit`; and the last seq readable */
  readChat(conversationId: string, afterSeq: number, limit: number): Promise<{ entries: ChatEntry[]; through: number }>;
  /** forgets conversations no longer kept, with their logs; how many */
  dropExpiredChats(now: Date): Promise<number>;

  // — poll cursors —
  getCursor(key: string): Promise<string | undefined>;
  setCursor(key: string, value: string): Promise<void>;
  /** several at once, in one write */
  setCursors(entries: readonly { key: string; value: string }[]): Promise<void>;
  /** every cursor whose key starts with `prefix`, by key */
  listCursors(prefix: string): Promise<{ key: string; value: string }[]>;

  // — channel mappings —
  listMappings(): Promise<ChannelMapping[]>;
  upsertMapping(mapping: ChannelMapping): Promise<void>;
  deleteMapping(id: string): Promise<boolean>;
}
