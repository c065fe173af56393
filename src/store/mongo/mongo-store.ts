import type { ClientSession, Connection } from 'mongoose';
import {
  type Channel,
  type ChannelMapping,
  type Contact,
  DeliveryState,
  type Feedback,
  type InboundMessage,
  type Language,
  type OutboundMessage,
  type OutboxEntry,
  type SourceRef,
  type Ticket,
  type TicketStatus,
} from '../../model/index.ts';
import type { OpenStoreOptions } from '../open-store.ts';
import { GridFsAttachmentStore } from './gridfs-attachments.ts';
import type {
  ArchiveResult,
  ArchivedInbound,
  AttemptOutcome,
  ChatConversation,
  ChatEntry,
  CompletedInbound,
  CompletedTurn,
  ContactSighting,
  DeadLetter,
  FeedbackResult,
  FeedbackRow,
  FeedbackRules,
  HistoryEvent,
  InboundCompletion,
  InboundState,
  OutboxQuery,
  Store,
  StoreStats,
  StoredConversation,
  TicketChange,
  TicketDraft,
  TicketQuery,
  WardDayCounts,
} from '../store.ts';
import { MongoAdminStore } from './admin.ts';
import { atomically, iso } from './atomic.ts';
import { MongoCampaignStore } from './campaigns.ts';
import { MongoChatLog } from './chat-log.ts';
import { connectMongo } from './connection.ts';
import { MongoContacts } from './contacts.ts';
import { MongoConversations } from './conversations.ts';
import { counterModel } from './counters.ts';
import { deadLetters } from './dead-letters.ts';
import { MongoFeedback } from './feedback.ts';
import { MongoHistory } from './history.ts';
import { MongoInbound } from './inbound.ts';
import { MongoOutbox } from './outbox.ts';
import { MongoCursors, MongoMappings } from './small-collections.ts';
import { MongoTicketChanges } from './ticket-changes.ts';
import { MongoTickets } from './tickets.ts';

/** "durable on return", as SQLite's FULL sync: a majority of the replica set has it in its journal */
const DURABLE = { writeConcern: { w: 'majority' as const, journal: true } };

/**
 * The shared store: MongoDB through mongoose, for many processes on many machines. Multi-document writes are
 * transactions, so it needs a replica set (one node is enough). The files citizens send are in GridFS (`files`).
 */
export class MongoStore implements Store {
  readonly kind = 'mongodb';
  readonly admin: MongoAdminStore;
  readonly campaigns: MongoCampaignStore;
  /** the files citizens send, in GridFS: every process on every machine reads the same */
  readonly files: GridFsAttachmentStore;
  private readonly inbound: MongoInbound;
  private readonly contacts: MongoContacts;
  private readonly tickets: MongoTickets;
  private readonly outbox: MongoOutbox;
  private readonly conversations: MongoConversations;
  private readonly changes: MongoTicketChanges;
  private readonly feedback: MongoFeedback;
  private readonly history: MongoHistory;
  private readonly chats: MongoChatLog;
  private readonly cursors: MongoCursors;
  private readonly mappings: MongoMappings;

  /**
   * Connects (failing within `connectTimeoutMs` when no server answers), refuses a server that cannot run
   * transactions, and makes the collections and indexes. The caller (open-store.ts) names STORE_URL in the error.
   */
  static async open(url: string, opts: OpenStoreOptions): Promise<MongoStore> {
    if (!/^[A-Z]{0,8}$/.test(opts.ticketPrefix)) throw new Error(`ticket prefix "${opts.ticketPrefix}" must be 0–8 capital letters (A–Z)`);
    if (!Number.isSafeInteger(opts.firstTicketNumber) || opts.firstTicketNumber < 1) throw new Error(`first ticket number ${opts.firstTicketNumber} must be a whole number ≥ 1`);
    const conn = await connectMongo(url, opts.connectTimeoutMs);
    try {
      await refuseStandalone(conn);
      const store = new MongoStore(conn, opts);
      await store.ensureIndexes();
      return store;
    } catch (err) {
      await conn.close();
      throw err;
    }
  }

  constructor(
    private readonly conn: Connection,
    opts: OpenStoreOptions,
  ) {
    this.files = new GridFsAttachmentStore(conn);
    this.inbound = new MongoInbound(conn);
    this.contacts = new MongoContacts(conn);
    this.tickets = new MongoTickets(conn, opts.ticketPrefix, opts.firstTicketNumber);
    this.outbox = new MongoOutbox(conn, opts.prepareOutbound);
    this.conversations = new MongoConversations(conn);
    this.admin = new MongoAdminStore(conn);
    this.changes = new MongoTicketChanges(conn, this.tickets, (entry, at, session) => this.admin.appendAuditIn(entry, at, session));
    this.feedback = new MongoFeedback(conn, this.tickets);
    this.history = new MongoHistory(this.tickets);
    this.campaigns = new MongoCampaignStore(conn, this.contacts, this.outbox, this.inbound, this.tickets);
    this.chats = new MongoChatLog(conn);
    this.cursors = new MongoCursors(conn);
    this.mappings = new MongoMappings(conn);
  }

  /** every collection and index, made once at start (autoIndex is off: an index build is an operator's moment) */
  async ensureIndexes(): Promise<void> {
    await counterModel(this.conn).createCollection();
    await this.conn.createCollection('health').catch(ignoreExists);
    for (const part of [this.inbound, this.contacts, this.tickets, this.outbox, this.conversations, this.campaigns, this.admin, this.chats, this.cursors, this.mappings]) {
      await part.ensureIndexes();
    }
  }

  async ping(): Promise<void> {
    const db = this.conn.db;
    if (!db) throw new Error('the MongoDB connection is closed');
    await db.command({ ping: 1 });
  }

  /** one small write, acknowledged the way an archive is (a majority, journalled) */
  async checkWritable(): Promise<void> {
    await this.conn.collection('health').updateOne({ _id: 1 as never }, { $set: { checkedAt: iso(new Date()) } }, { upsert: true, ...DURABLE });
  }

  async close(): Promise<void> {
    await this.conn.close();
  }

  async stats(): Promise<StoreStats> {
    const inbound: Record<InboundState, number> = { pending: 0, done: 0, dead: 0 };
    let duplicatesDropped = 0;
    for (const r of await this.inbound.model.aggregate<{ _id: InboundState; n: number; d: number }>([{ $group: { _id: '$state', n: { $sum: 1 }, d: { $sum: '$duplicates' } } }])) {
      inbound[r._id] = r.n;
      duplicatesDropped += r.d;
    }
    const outbox = Object.fromEntries(DeliveryState.options.map((s) => [s, 0])) as Record<DeliveryState, number>;
    for (const r of await this.outbox.model.aggregate<{ _id: DeliveryState; n: number }>([{ $group: { _id: '$state', n: { $sum: 1 } } }])) outbox[r._id] = r.n;
    const tickets = await this.tickets.model.countDocuments({});
    return { inbound, duplicatesDropped, tickets, outbox };
  }

  // — inbound archive —
  async archiveInbound(messages: InboundMessage[]): Promise<ArchiveResult[]> {
    if (messages.length === 0) return [];
    return atomically(this.conn, (session) => this.inbound.archiveWithin(messages, new Date(), session), DURABLE);
  }
  async getInbound(id: number): Promise<ArchivedInbound | undefined> {
    return this.inbound.get(id);
  }
  async getInboundBySource(source: SourceRef): Promise<ArchivedInbound | undefined> {
    return this.inbound.getBySource(source);
  }
  async listDueInbound(now: Date, limit: number): Promise<number[]> {
    return this.inbound.listDue(now, limit);
  }
  async markInboundDone(id: number): Promise<void> {
    await this.inbound.markDone(id);
  }
  async markInboundRetry(id: number, error: string, nextAttemptAt: Date): Promise<void> {
    await this.inbound.markRetry(id, error, nextAttemptAt);
  }
  async markInboundDead(id: number, error: string): Promise<void> {
    await this.inbound.markDead(id, error);
  }
  async retryInbound(id: number): Promise<boolean> {
    return this.inbound.retryDead(id);
  }

  /** many messages, one transaction: the citizen, the ticket, the replies and the message done, or none of it */
  async completeInbound(items: InboundCompletion[]): Promise<CompletedInbound[]> {
    if (items.length === 0) return [];
    return atomically(this.conn, async (session) => {
      const done: CompletedInbound[] = [];
      for (const item of items) done.push(await this.completeOne(item, session));
      return done;
    });
  }

  private async completeOne(item: InboundCompletion, session: ClientSession): Promise<CompletedInbound> {
    const contact = await this.contacts.upsertWithin(item.sighting, session);
    const decision = item.decide(contact);
    const ticket = decision.ticket ? (await this.tickets.createWithin(decision.ticket, session)).ticket : undefined;
    const outboxIds = (await this.outbox.enqueueWithin(decision.replies(ticket), iso(item.now), session)).map((r) => r.id);
    await this.inbound.markDone(item.inboundId, session);
    return { contact, ...(ticket ? { ticket } : {}), outboxIds };
  }

  /** a conflicting state write throws EtagConflictError and aborts everything before it */
  async completeTurn(turn: CompletedTurn): Promise<{ outboxIds: number[] }> {
    return atomically(this.conn, async (session) => {
      for (const { key, data, etag } of turn.state) await this.conversations.write(key, data, etag, session);
      const outboxIds = (await this.outbox.enqueueWithin(turn.replies, iso(turn.now), session)).map((r) => r.id);
      if (turn.inboundId !== undefined) await this.inbound.markDone(turn.inboundId, session);
      if (turn.ratingRequested) await this.tickets.markRating('ratingRequestedAt', turn.ratingRequested, turn.now, session);
      if (turn.ratingReminded) await this.tickets.markRating('ratingRemindedAt', turn.ratingReminded, turn.now, session);
      if (turn.wake) await this.conversations.setWakeup(turn.wake, turn.inboundId, session);
      return { outboxIds };
    });
  }
  async listDueWakeups(now: Date, limit: number): Promise<{ conversation: string; inboundId: number; at: string }[]> {
    return this.conversations.listDueWakeups(now, limit);
  }

  // — contacts —
  async upsertContact(sighting: ContactSighting): Promise<Contact> {
    return atomically(this.conn, (session) => this.contacts.upsertWithin(sighting, session));
  }
  async getContact(id: string): Promise<Contact | undefined> {
    return this.contacts.get(id);
  }
  async findContactByIdentity(channel: Channel, channelUserId: string): Promise<Contact | undefined> {
    return this.contacts.findByIdentity(channel, channelUserId);
  }
  async setPreferredLanguage(contactId: string, language: Language | undefined): Promise<void> {
    await this.contacts.setPreferredLanguage(contactId, language);
  }

  // — tickets —
  async createTicket(draft: TicketDraft): Promise<{ ticket: Ticket; created: boolean }> {
    return atomically(this.conn, (session) => this.tickets.createWithin(draft, session));
  }
  async getTicket(ticketNo: string): Promise<Ticket | undefined> {
    return this.tickets.get(ticketNo);
  }
  async findTicketBySource(source: SourceRef): Promise<Ticket | undefined> {
    return this.tickets.findBySource(source);
  }
  async listTickets(query?: TicketQuery): Promise<Ticket[]> {
    return this.tickets.list(query);
  }
  async updateTicketStatus(ticketNo: string, to: TicketStatus, by: string, note?: string): Promise<Ticket> {
    return atomically(this.conn, (session) => this.tickets.statusWithin(ticketNo, to, by, note, session));
  }
  async addTicketSource(ticketNo: string, source: SourceRef): Promise<boolean> {
    return this.tickets.addSource(ticketNo, source);
  }
  async attachToTicket(ticketNo: string, source: SourceRef, attachments: Ticket['attachments']): Promise<boolean> {
    return this.tickets.addSource(ticketNo, source, attachments);
  }
  async recordFeedback(ticketNo: string, feedback: Feedback, rules?: FeedbackRules): Promise<FeedbackResult> {
    return this.feedback.record(ticketNo, feedback, rules);
  }
  async setFeedbackComment(ticketNo: string, comment: string): Promise<boolean> {
    return this.feedback.comment(ticketNo, comment);
  }
  async markRatingRequested(ticketNo: string, at: Date): Promise<void> {
    await this.tickets.markRating('ratingRequestedAt', ticketNo, at);
  }
  async markRatingReminded(ticketNo: string, at: Date): Promise<void> {
    await this.tickets.markRating('ratingRemindedAt', ticketNo, at);
  }
  async countTickets(query?: TicketQuery): Promise<Partial<Record<TicketStatus, number>>> {
    return this.tickets.count(query);
  }
  async countHistory(query: { from: Date; to: Date; listed: number }): Promise<WardDayCounts[]> {
    return this.history.countDay(query);
  }
  async changeTicket(ticketNo: string, change: TicketChange): Promise<Ticket> {
    return this.changes.change(ticketNo, change);
  }
  async listHistoryAfter(afterId: number, limit: number): Promise<HistoryEvent[]> {
    return this.history.listAfter(afterId, limit);
  }
  async setFollowUp(ticketNo: string, followUp: boolean): Promise<Ticket> {
    return this.tickets.setFollowUp(ticketNo, followUp);
  }
  async feedbackRows(from: Date, to: Date): Promise<FeedbackRow[]> {
    return this.feedback.rows(from, to);
  }

  // — conversations —
  async readConversations(keys: string[]): Promise<StoredConversation[]> {
    return this.conversations.readMany(keys);
  }
  async writeConversation(key: string, data: unknown, etag?: string): Promise<string> {
    return this.conversations.write(key, data, etag);
  }
  async deleteConversation(key: string): Promise<void> {
    await this.conversations.delete(key);
  }

  // — outbox —
  async enqueueOutbound(messages: OutboundMessage[], now: Date = new Date()): Promise<{ id: number; created: boolean }[]> {
    if (messages.length === 0) return [];
    return atomically(this.conn, (session) => this.outbox.enqueueWithin(messages, iso(now), session));
  }
  async getOutbox(id: number): Promise<OutboxEntry | undefined> {
    return this.outbox.get(id);
  }
  async listOutbox(query?: OutboxQuery): Promise<OutboxEntry[]> {
    return this.outbox.list(query);
  }
  async listDueOutbox(now: Date, limit: number): Promise<number[]> {
    return this.outbox.listDue(now, limit);
  }
  async claimOutbox(id: number): Promise<boolean> {
    return this.outbox.claim(id);
  }
  async markOutboxSent(id: number, providerId: string): Promise<void> {
    await this.outbox.markSent(id, providerId);
  }
  async markOutboxRetry(id: number, error: string, nextAttemptAt: Date, opts: AttemptOutcome = {}): Promise<void> {
    await this.outbox.markRetry(id, error, nextAttemptAt, opts.unsureSince, opts.uncounted === true);
  }
  async markOutboxDead(id: number, error: string, opts: AttemptOutcome = {}): Promise<void> {
    await this.outbox.markDead(id, error, opts.unsureSince);
  }
  async releaseOutbox(channel: Channel, accountId: string, now: Date): Promise<number> {
    return this.outbox.release(channel, accountId, now);
  }
  async recordDelivery(providerId: string, state: 'sent' | 'delivered' | 'undelivered', error?: string): Promise<boolean> {
    return this.outbox.recordDelivery(providerId, state, error);
  }
  async retryOutbox(id: number): Promise<boolean> {
    return this.outbox.retryDead(id);
  }

  async listDeadLetters(): Promise<DeadLetter[]> {
    return deadLetters(this.inbound.model, this.outbox.model);
  }

  // — web chat (src/store/mongo/chat-log.ts) —
  async openChat(conversation: ChatConversation, most: number): Promise<{ opened: boolean; created: boolean }> {
    return this.chats.openChat(conversation, most);
  }
  async getChat(id: string, now: Date): Promise<ChatConversation | undefined> {
    return this.chats.getChat(id, now);
  }
  async latestChatOf(userId: string, now: Date): Promise<ChatConversation | undefined> {
    return this.chats.latestChatOf(userId, now);
  }
  async reserveChatEntry(conversationId: string): Promise<number> {
    return this.chats.reserveChatEntry(conversationId);
  }
  async putChatEntry(conversationId: string, seq: number, activity: Record<string, unknown>): Promise<void> {
    await this.chats.putChatEntry(conversationId, seq, activity);
  }
  async cancelChatEntry(conversationId: string, seq: number): Promise<void> {
    await this.chats.cancelChatEntry(conversationId, seq);
  }
  async appendChatReply(conversationId: string, outboxId: number, activity: (seq: number) => Record<string, unknown>): Promise<{ seq: number; created: boolean }> {
    return this.chats.appendChatReply(conversationId, outboxId, activity);
  }
  async readChat(conversationId: string, afterSeq: number, limit: number): Promise<{ entries: ChatEntry[]; through: number }> {
    return this.chats.readChat(conversationId, afterSeq, limit);
  }
  async dropExpiredChats(now: Date): Promise<number> {
    return this.chats.dropExpiredChats(now);
  }

  // — poll cursors and channel mappings (src/store/mongo/small-collections.ts) —
  async getCursor(key: string): Promise<string | undefined> {
    return this.cursors.getCursor(key);
  }
  async setCursor(key: string, value: string): Promise<void> {
    await this.cursors.setCursor(key, value);
  }
  async setCursors(entries: readonly { key: string; value: string }[]): Promise<void> {
    await this.cursors.setCursors(entries);
  }
  async listCursors(prefix: string): Promise<{ key: string; value: string }[]> {
    return this.cursors.listCursors(prefix);
  }
  async listMappings(): Promise<ChannelMapping[]> {
    return this.mappings.listMappings();
  }
  async upsertMapping(mapping: ChannelMapping): Promise<void> {
    await this.mappings.upsertMapping(mapping);
  }
  async deleteMapping(id: string): Promise<boolean> {
    return this.mappings.deleteMapping(id);
  }
}

function ignoreExists(err: unknown): void {
  if ((err as { code?: unknown }).code !== 48) throw err;
}

/** what `hello` says of the server: transactions need a replica set member or a mongos */
export function transactionsPossible(hello: { setName?: unknown; msg?: unknown }): boolean {
  return typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
}

async function refuseStandalone(conn: Connection): Promise<void> {
  const hello = (await conn.db!.admin().command({ hello: 1 })) as { setName?: unknown; msg?: unknown };
  if (!transactionsPossible(hello)) {
    throw new Error('the MongoDB server is a standalone server, and the store needs transactions: run it as a replica set (one node is enough: mongod --replSet rs0, then mongosh --eval "rs.initiate()") and add ?replicaSet=rs0 to the URL');
  }
}
