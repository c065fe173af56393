import { mkdirSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  type Channel,
  type ChannelMapping,
  type Contact,
  DeliveryState,
  type InboundMessage,
  type OutboundMessage,
  type OutboxEntry,
  type SourceRef,
  type Feedback,
  type Language,
  type Ticket,
  type TicketStatus,
} from '../../model/index.ts';
import type {
  ArchiveResult,
  CompletedInbound,
  InboundCompletion,
  ArchivedInbound,
  ContactSighting,
  DeadLetter,
  InboundState,
  OutboxQuery,
  Store,
  StoreStats,
  StoredConversation,
  TicketDraft,
  TicketChange,
  HistoryEvent,
  TicketQuery,
  WardDayCounts,
  FeedbackResult,
  FeedbackRules,
  FeedbackRow,
  CompletedTurn,
  AttemptOutcome,
  ChatConversation,
  ChatEntry,
} from '../store.ts';
import { ChatLogTable } from './chat-log.ts';
import { ContactTable } from './contacts.ts';
import { InboundTable } from './inbound.ts';
import { migrate } from './migrations.ts';
import { OutboxTable } from './outbox.ts';
import { ConversationTable, CursorTable, MappingTable } from './small-tables.ts';
import { TicketTable } from './tickets.ts';
import { AdminTables } from './admin-tables.ts';
import { CampaignTables } from './campaigns.ts';
import { TicketChanges } from './ticket-changes.ts';
import { countHistory } from './history-counts.ts';
import { selectFeedbackRows } from './feedback-report.ts';
import { HistoryLog } from './history-log.ts';
import { WalSync } from './wal-sync.ts';
import { WriteBatch } from './write-batch.ts';

export interface SqliteStoreOptions {
  /** 0–8 capital letters before the digits of a ticket number */
  ticketPrefix: string;
  /** the first ticket's number; later ones count up from it */
  firstTicketNumber: number;
  /** FULL (default): an archived message survives a power cut. NORMAL: a process crash only. */
  archiveSync?: 'FULL' | 'NORMAL';
  /** checkWritable fails when the file's disk has less free space than this (default 0: not checked) */
  minFreeBytes?: number;
  /** what every outbound message gets before it is written to the outbox (an SMS its DLT ids) */
  prepareOutbound?: (message: OutboundMessage) => OutboundMessage;
}

interface DeadRow {
  kind: 'inbound' | 'outbound';
  id: number;
  error: string | null;
  attempts: number;
  at: string;
  summary: string;
}

/** The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous; the port's promises wrap it. */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly inbound: InboundTable;
  private readonly contacts: ContactTable;
  private readonly tickets: TicketTable;
  private readonly outbox: OutboxTable;
  private readonly conversations: ConversationTable;
  private readonly cursors: CursorTable;
  private readonly mappings: MappingTable;
  readonly admin: AdminTables;
  readonly campaigns: CampaignTables;
  private readonly ticketChanges: TicketChanges;
  private readonly historyLog: HistoryLog;
  private readonly chats: ChatLogTable;
  /** the bot turn's and the send's small writes, many to one commit */
  private readonly writes: WriteBatch;
  private readonly q;
  private readonly completeTx;

  static open(file: string, opts: SqliteStoreOptions): SqliteStore {
    if (!/^[A-Z]{0,8}$/.test(opts.ticketPrefix)) {
      throw new Error(`ticket prefix "${opts.ticketPrefix}" must be 0–8 capital letters (A–Z)`);
    }
    if (!Number.isSafeInteger(opts.firstTicketNumber) || opts.firstTicketNumber < 1) {
      throw new Error(`first ticket number ${opts.firstTicketNumber} must be a whole number ≥ 1`);
    }
    const memory = file === ':memory:' || file === '';
    if (!memory) mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
      // each write of a WriteBatch is a savepoint, whose journal SQLite keeps in a temporary file by default: in
      // memory it costs no file writes (a savepoint's journal holds the pages it changed, until its release)
      db.pragma('temp_store = MEMORY');
      // NORMAL in WAL: a commit survives a crash of the process; archiveInbound adds a flush of the WAL (WalSync)
      // so an acknowledged message survives a power cut too
      db.pragma('synchronous = NORMAL');
      migrate(db);
      const walSync = !memory && (opts.archiveSync ?? 'FULL') === 'FULL' ? new WalSync(`${file}-wal`) : undefined;
      return new SqliteStore(db, opts, walSync, memory ? undefined : dirname(file));
    } catch (err) {
      db.close();
      throw err;
    }
  }

  private constructor(
    private readonly db: Database.Database,
    private readonly opts: SqliteStoreOptions,
    private readonly walSync?: WalSync,
    /** the folder of the file, whose disk's free space checkWritable reads */
    private readonly folder?: string,
  ) {
    this.inbound = new InboundTable(db);
    this.contacts = new ContactTable(db);
    this.tickets = new TicketTable(db, opts.ticketPrefix, opts.firstTicketNumber);
    this.outbox = new OutboxTable(db, opts.prepareOutbound);
    this.conversations = new ConversationTable(db);
    this.cursors = new CursorTable(db);
    this.mappings = new MappingTable(db);
    this.admin = new AdminTables(db);
    this.campaigns = new CampaignTables(db, this.contacts, this.outbox, this.inbound);
    this.ticketChanges = new TicketChanges(db, this.admin, (no) => this.tickets.get(no));
    this.historyLog = new HistoryLog(db);
    this.chats = new ChatLogTable(db);
    this.writes = new WriteBatch(db);
    this.completeTx = db.transaction((items: InboundCompletion[]) => items.map((it) => this.completeOne(it)));
    this.q = {
      ping: db.prepare(`SELECT 1`),
      wakeDelete: db.prepare<[string]>(`DELETE FROM wakeups WHERE conversation = ?`),
      wakeInbound: db.prepare<[string]>(`SELECT inbound_id FROM wakeups WHERE conversation = ?`),
      wakeUpsert: db.prepare<[string, number, string]>(
        `INSERT INTO wakeups (conversation, inbound_id, wake_at) VALUES (?, ?, ?)
         ON CONFLICT (conversation) DO UPDATE SET inbound_id = excluded.inbound_id, wake_at = excluded.wake_at`,
      ),
      wakeDue: db.prepare<[string, number]>(`SELECT conversation, inbound_id, wake_at FROM wakeups WHERE wake_at <= ? ORDER BY wake_at LIMIT ?`),
      health: db.prepare<[string]>(`INSERT INTO health (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`),
      inboundStats: db.prepare(`SELECT state, count(*) AS n, sum(duplicates) AS d FROM inbound GROUP BY state`),
      ticketCount: db.prepare(`SELECT count(*) AS n FROM tickets`),
      outboxStats: db.prepare(`SELECT state, count(*) AS n FROM outbox GROUP BY state`),
      dead: db.prepare(`
        SELECT 'inbound' AS kind, id, last_error AS error, attempts, updated_at AS at,
               channel || '/' || account_id || '/' || external_id AS summary
          FROM inbound WHERE state = 'dead'
        UNION ALL
        SELECT 'outbound', id, last_error, attempts, updated_at,
               json_extract(message, '$.channel') || ' → ' || json_extract(message, '$.kind')
               || coalesce(' ' || json_extract(message, '$.ticketNo'), '')
          FROM outbox WHERE state = 'dead'
        ORDER BY at DESC, id DESC`),
    };
  }

  async ping(): Promise<void> {
    this.q.ping.get();
  }

  /**
   * A small write can succeed on a full disk (SQLite reuses the WAL's pages) while archives fail, so the free
   * space is read too.
   */
  async checkWritable(): Promise<void> {
    const min = this.opts.minFreeBytes ?? 0;
    if (this.folder && min > 0) {
      const fs = statfsSync(this.folder);
      const free = fs.bavail * fs.bsize;
      if (free < min) throw new Error(`the disk of ${this.folder} has ${free} bytes free, less than store.minFreeBytes (${min})`);
    }
    this.q.health.run(new Date().toISOString());
    await this.walSync?.sync();
  }

  async close(): Promise<void> {
    // writes handed in this turn are committed before the file closes
    if (this.db.open) this.writes.flushNow();
    await this.walSync?.close();
    if (this.db.open) this.db.close();
  }

  async stats(): Promise<StoreStats> {
    const inbound: Record<InboundState, number> = { pending: 0, done: 0, dead: 0 };
    let duplicatesDropped = 0;
    for (const r of this.q.inboundStats.all() as { state: InboundState; n: number; d: number }[]) {
      inbound[r.state] = r.n;
      duplicatesDropped += r.d;
    }
    const outbox = Object.fromEntries(DeliveryState.options.map((s) => [s, 0])) as Record<DeliveryState, number>;
    for (const r of this.q.outboxStats.all() as { state: DeliveryState; n: number }[]) outbox[r.state] = r.n;
    const tickets = (this.q.ticketCount.get() as { n: number }).n;
    return { inbound, duplicatesDropped, tickets, outbox };
  }

  // — inbound archive —
  async archiveInbound(messages: InboundMessage[]): Promise<ArchiveResult[]> {
    const results = this.inbound.archive(messages);
    await this.walSync?.sync();
    return results;
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
    this.inbound.markDone(id);
  }
  async markInboundRetry(id: number, error: string, nextAttemptAt: Date): Promise<void> {
    this.inbound.markRetry(id, error, nextAttemptAt);
  }
  async markInboundDead(id: number, error: string): Promise<void> {
    this.inbound.markDead(id, error);
  }
  async retryInbound(id: number): Promise<boolean> {
    return this.inbound.retryDead(id);
  }
  async completeInbound(items: InboundCompletion[]): Promise<CompletedInbound[]> {
    return items.length === 0 ? [] : this.completeTx.immediate(items);
  }
  async completeTurn(turn: CompletedTurn): Promise<{ outboxIds: number[] }> {
    // a WriteBatch write is a savepoint of its own: the *Within methods need no transaction of their own inside it
    return this.writes.run(() => this.completeTurnWithin(turn));
  }
  /** runs in a WriteBatch savepoint: a conflicting state write throws and rolls back everything before it */
  private completeTurnWithin(turn: CompletedTurn): { outboxIds: number[] } {
    for (const { key, data, etag } of turn.state) this.conversations.write(key, data, etag);
    const outboxIds = this.outbox.enqueueWithin(turn.replies, turn.now.toISOString()).map((r) => r.id);
    if (turn.inboundId !== undefined) this.inbound.markDone(turn.inboundId);
    if (turn.ratingRequested) this.tickets.markRatingRequested(turn.ratingRequested, turn.now);
    if (turn.ratingReminded) this.tickets.markRatingReminded(turn.ratingReminded, turn.now);
    if (turn.wake) this.setWakeup(turn.wake, turn.inboundId);
    return { outboxIds };
  }

  private setWakeup(wake: NonNullable<CompletedTurn['wake']>, turnInbound: number | undefined): void {
    if (wake.at === null) {
      this.q.wakeDelete.run(wake.conversation);
      return;
    }
    const inboundId = wake.inboundId ?? turnInbound ?? (this.q.wakeInbound.get(wake.conversation) as { inbound_id: number } | undefined)?.inbound_id;
    if (inboundId === undefined) throw new Error(`a wake-up for ${wake.conversation} needs the message of its conversation`);
    this.q.wakeUpsert.run(wake.conversation, inboundId, wake.at.toISOString());
  }

  async listDueWakeups(now: Date, limit: number): Promise<{ conversation: string; inboundId: number; at: string }[]> {
    return (this.q.wakeDue.all(now.toISOString(), limit) as { conversation: string; inbound_id: number; wake_at: string }[]).map((r) => ({
      conversation: r.conversation,
      inboundId: r.inbound_id,
      at: r.wake_at,
    }));
  }
  /** runs inside completeTx: the *Within methods assume the caller holds the write transaction */
  private completeOne(item: InboundCompletion): CompletedInbound {
    const contact = this.contacts.upsertWithin(item.sighting);
    const decision = item.decide(contact);
    const ticket = decision.ticket ? this.tickets.createWithin(decision.ticket).ticket : undefined;
    const outboxIds = this.outbox.enqueueWithin(decision.replies(ticket), item.now.toISOString()).map((r) => r.id);
    this.inbound.markDone(item.inboundId);
    return { contact, ...(ticket ? { ticket } : {}), outboxIds };
  }

  // — contacts —
  async upsertContact(sighting: ContactSighting): Promise<Contact> {
    return this.writes.run(() => this.contacts.upsertWithin(sighting));
  }
  async findContactByIdentity(channel: Channel, channelUserId: string): Promise<Contact | undefined> {
    return this.contacts.findByIdentity(channel, channelUserId);
  }
  async getContact(id: string): Promise<Contact | undefined> {
    return this.contacts.get(id);
  }
  async setPreferredLanguage(contactId: string, language: Language | undefined): Promise<void> {
    this.contacts.setPreferredLanguage(contactId, language);
  }

  // — tickets —
  async createTicket(draft: TicketDraft): Promise<{ ticket: Ticket; created: boolean }> {
    return this.writes.run(() => this.tickets.createWithin(draft));
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
    return this.tickets.updateStatus(ticketNo, to, by, note);
  }
  async addTicketSource(ticketNo: string, source: SourceRef): Promise<boolean> {
    return this.tickets.addSource(ticketNo, source);
  }
  async attachToTicket(ticketNo: string, source: SourceRef, attachments: Ticket['attachments']): Promise<boolean> {
    return this.tickets.attach(ticketNo, source, attachments);
  }
  async recordFeedback(ticketNo: string, feedback: Feedback, rules?: FeedbackRules): Promise<FeedbackResult> {
    return this.tickets.recordFeedback(ticketNo, feedback, rules);
  }
  async setFeedbackComment(ticketNo: string, comment: string): Promise<boolean> {
    return this.tickets.setFeedbackComment(ticketNo, comment);
  }
  async markRatingRequested(ticketNo: string, at: Date): Promise<void> {
    this.tickets.markRatingRequested(ticketNo, at);
  }
  async markRatingReminded(ticketNo: string, at: Date): Promise<void> {
    this.tickets.markRatingReminded(ticketNo, at);
  }

  async countTickets(query?: TicketQuery): Promise<Partial<Record<TicketStatus, number>>> {
    return this.tickets.count(query);
  }
  async countHistory(query: { from: Date; to: Date; listed: number }): Promise<WardDayCounts[]> {
    return countHistory(this.db, query);
  }
  async changeTicket(ticketNo: string, change: TicketChange): Promise<Ticket> {
    return this.ticketChanges.change(ticketNo, change);
  }

  async listHistoryAfter(afterId: number, limit: number): Promise<HistoryEvent[]> {
    return this.historyLog.listAfter(afterId, limit);
  }

  async setFollowUp(ticketNo: string, followUp: boolean): Promise<Ticket> {
    return this.tickets.setFollowUp(ticketNo, followUp);
  }
  async feedbackRows(from: Date, to: Date): Promise<FeedbackRow[]> {
    return selectFeedbackRows(this.db, from, to);
  }

  // — conversations —
  async readConversations(keys: string[]): Promise<StoredConversation[]> {
    return this.conversations.readMany(keys);
  }
  async writeConversation(key: string, data: unknown, etag?: string): Promise<string> {
    return this.conversations.write(key, data, etag);
  }
  async deleteConversation(key: string): Promise<void> {
    this.conversations.delete(key);
  }

  // — outbox —
  async enqueueOutbound(messages: OutboundMessage[], now?: Date): Promise<{ id: number; created: boolean }[]> {
    return this.outbox.enqueue(messages, now);
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
    const claimed = await this.writes.run(() => this.outbox.claim(id));
    // durable before the send: a claim a power cut or a read-only disk loses would send the reply again
    if (claimed) await this.walSync?.sync();
    return claimed;
  }
  async markOutboxSent(id: number, providerId: string): Promise<void> {
    await this.writes.run(() => this.outbox.markSent(id, providerId));
  }
  async markOutboxRetry(id: number, error: string, nextAttemptAt: Date, opts: AttemptOutcome = {}): Promise<void> {
    this.outbox.markRetry(id, error, nextAttemptAt, opts.unsureSince, opts.uncounted === true);
  }
  async releaseOutbox(channel: Channel, accountId: string, now: Date): Promise<number> {
    return this.outbox.release(channel, accountId, now);
  }
  async markOutboxDead(id: number, error: string, opts: AttemptOutcome = {}): Promise<void> {
    this.outbox.markDead(id, error, opts.unsureSince);
  }
  async recordDelivery(
    providerId: string,
    state: 'sent' | 'delivered' | 'undelivered',
    error?: string,
  ): Promise<boolean> {
    return this.outbox.recordDelivery(providerId, state, error);
  }
  async retryOutbox(id: number): Promise<boolean> {
    return this.outbox.retryDead(id);
  }

  /** dead inbound and dead outbound entries, newest first */
  async listDeadLetters(): Promise<DeadLetter[]> {
    return (this.q.dead.all() as DeadRow[]).map((r) => ({ ...r, error: r.error ?? '' }));
  }

  // — web chat —
  async openChat(conversation: ChatConversation, most: number): Promise<{ opened: boolean; created: boolean }> {
    return this.chats.open(conversation, most, new Date());
  }
  async getChat(id: string, now: Date): Promise<ChatConversation | undefined> {
    return this.chats.get(id, now);
  }
  async latestChatOf(userId: string, now: Date): Promise<ChatConversation | undefined> {
    return this.chats.latestOf(userId, now);
  }
  async reserveChatEntry(conversationId: string): Promise<number> {
    return this.chats.reserve(conversationId);
  }
  async putChatEntry(conversationId: string, seq: number, activity: Record<string, unknown>): Promise<void> {
    this.chats.put(conversationId, seq, activity);
  }
  async cancelChatEntry(conversationId: string, seq: number): Promise<void> {
    this.chats.cancel(conversationId, seq);
  }
  async appendChatReply(conversationId: string, outboxId: number, activity: (seq: number) => Record<string, unknown>): Promise<{ seq: number; created: boolean }> {
    return this.chats.appendReply(conversationId, outboxId, activity);
  }
  async readChat(conversationId: string, afterSeq: number, limit: number): Promise<{ entries: ChatEntry[]; through: number }> {
    return this.chats.read(conversationId, afterSeq, limit);
  }
  async dropExpiredChats(now: Date): Promise<number> {
    return this.chats.dropExpired(now);
  }

  // — poll cursors —
  async getCursor(key: string): Promise<string | undefined> {
    return this.cursors.get(key);
  }
  async setCursor(key: string, value: string): Promise<void> {
    this.cursors.set(key, value);
  }
  async setCursors(entries: readonly { key: string; value: string }[]): Promise<void> {
    if (entries.length > 0) this.cursors.setMany(entries);
  }
  async listCursors(prefix: string): Promise<{ key: string; value: string }[]> {
    return this.cursors.list(prefix);
  }

  // — channel mappings —
  async listMappings(): Promise<ChannelMapping[]> {
    return this.mappings.list();
  }
  async upsertMapping(mapping: ChannelMapping): Promise<void> {
    this.mappings.upsert(mapping);
  }
  async deleteMapping(id: string): Promise<boolean> {
    return this.mappings.delete(id);
  }
}
