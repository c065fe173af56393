import type Database from 'better-sqlite3';
import { canTransition, type Feedback, type SourceRef, type Ticket, type TicketStatus } from '../../model/index.ts';
import { InvalidTransitionError, TicketNotFoundError } from '../errors.ts';
import type { FeedbackResult, FeedbackRules, TicketDraft, TicketQuery } from '../store.ts';
import { newTicket } from '../new-ticket.ts';
import { TicketFeedback } from './ticket-feedback.ts';
import { ticketFilter } from './ticket-filter.ts';
import { TICKET_SELECT, type TicketData, type TicketRow, toTicket } from './rows.ts';

const COUNTER = 'ticket';

/** Tickets, their source messages and their history. Every write takes the write lock first (IMMEDIATE). */
// a complaint the city has settled: a later post in its public thread is a new complaint, not more of the same
const SETTLED: ReadonlySet<TicketStatus> = new Set(['resolved', 'closed', 'rejected']);

export class TicketTable {
  private readonly bySource;
  private readonly statusById;
  private readonly dropSource;
  private readonly byId;
  private readonly byNo;
  private readonly statusOf;
  private readonly nextNumber;
  private readonly insert;
  private readonly insertSource;
  private readonly insertHistory;
  private readonly setStatus;
  private readonly lists = new Map<string, Database.Statement<unknown[]>>();
  private readonly touch;
  private readonly setFollowUpFlag;
  private readonly setRatingRequested;
  private readonly feedback: TicketFeedback;
  private readonly statusTx;
  private readonly addSourceTx;
  private readonly attachTx;
  private readonly setAttachments;

  constructor(
    private readonly db: Database.Database,
    private readonly prefix: string,
    private readonly firstNumber: number,
  ) {
    this.bySource = db.prepare<[string, string, string]>(
      `SELECT ticket_id AS id FROM ticket_sources WHERE channel = ? AND account_id = ? AND external_id = ?`,
    );
    this.byId = db.prepare<[number]>(`${TICKET_SELECT} WHERE t.id = ?`);
    this.byNo = db.prepare<[string]>(`${TICKET_SELECT} WHERE t.ticket_no = ?`);
    this.statusOf = db.prepare<[string]>(`SELECT id, status FROM tickets WHERE ticket_no = ?`);
    // starts at firstNumber; a later, higher firstNumber in the config moves the sequence up, never down
    this.nextNumber = db.prepare<[string, number]>(
      `INSERT INTO counters (name, value) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET value = max(value + 1, excluded.value) RETURNING value`,
    );
    this.insert = db.prepare<[string, number, string, string, string, string, string, string]>(
      `INSERT INTO tickets (ticket_no, number, status, contact_id, citizen, data, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    this.statusById = db.prepare<[number]>(`SELECT status FROM tickets WHERE id = ?`);
    this.dropSource = db.prepare<[string, string, string]>(`DELETE FROM ticket_sources WHERE channel = ? AND account_id = ? AND external_id = ?`);
    this.insertSource = db.prepare<[number, string, string, string]>(
      `INSERT INTO ticket_sources (ticket_id, channel, account_id, external_id) VALUES (?, ?, ?, ?)`,
    );
    this.insertHistory = db.prepare<[number, string, string, string | null, string, string | null]>(
      `INSERT INTO ticket_history (ticket_id, at, by, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.setStatus = db.prepare<[string, string, number]>(`UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?`);
    this.touch = db.prepare<[string, number]>(`UPDATE tickets SET updated_at = ? WHERE id = ?`);
    this.setFollowUpFlag = db.prepare<[number, string, number]>(
      `UPDATE tickets SET data = json_set(data, '$.followUp', json(CASE ? WHEN 1 THEN 'true' ELSE 'false' END)), updated_at = ? WHERE id = ?`,
    );
    this.setRatingRequested = db.prepare<[string, string, number]>(
      `UPDATE tickets SET data = json_set(data, '$.ratingRequestedAt', ?), updated_at = ? WHERE id = ?`,
    );
    this.feedback = new TicketFeedback(db, this);
    this.addSourceTx = db.transaction((ticketNo: string, source: SourceRef) => {
      const { id } = this.mustFind(ticketNo);
      if (this.bySource.get(source.channel, source.accountId, source.externalId)) return false;
      this.insertSource.run(id, source.channel, source.accountId, source.externalId);
      this.touch.run(new Date().toISOString(), id);
      return true;
    });
    this.setAttachments = db.prepare<[string, string, number]>(
      `UPDATE tickets SET data = json_set(data, '$.attachments', json(?)), updated_at = ? WHERE id = ?`,
    );
    // the message becomes a source of the ticket in the same step, so the same photo message attaches once
    this.attachTx = db.transaction((ticketNo: string, source: SourceRef, attachments: Ticket['attachments']) => {
      const { id } = this.mustFind(ticketNo);
      if (this.bySource.get(source.channel, source.accountId, source.externalId)) return false;
      this.insertSource.run(id, source.channel, source.accountId, source.externalId);
      const ticket = this.mustRead(id);
      this.setAttachments.run(JSON.stringify([...ticket.attachments, ...attachments]), new Date().toISOString(), id);
      return true;
    });
    this.statusTx = db.transaction((no: string, to: TicketStatus, by: string, note?: string) =>
      this.statusInTx(no, to, by, note),
    );
  }

  attach(ticketNo: string, source: SourceRef, attachments: Ticket['attachments']): boolean {
    return this.attachTx.immediate(ticketNo, source, attachments);
  }

  get(ticketNo: string): Ticket | undefined {
    return this.read(this.byNo.get(ticketNo));
  }

  findBySource(source: SourceRef): Ticket | undefined {
    const hit = this.bySource.get(source.channel, source.accountId, source.externalId) as { id: number } | undefined;
    return hit && this.read(this.byId.get(hit.id));
  }

  list(query: TicketQuery = {}): Ticket[] {
    const order = query.order === 'asc' ? 'ASC' : 'DESC';
    const { sql: filter, params } = ticketFilter(query);
    const sql = `${TICKET_SELECT} ${filter} ORDER BY t.number ${order} LIMIT ? OFFSET ?`;
    // a negative LIMIT is no limit in SQLite
    return (this.prepared(sql).all(...params, query.limit ?? -1, query.offset ?? 0) as TicketRow[]).map(toTicket);
  }

  count(query: TicketQuery = {}): Partial<Record<TicketStatus, number>> {
    const { sql: filter, params } = ticketFilter(query);
    const rows = this.prepared(`SELECT t.status, count(*) AS n FROM tickets t ${filter} GROUP BY t.status`).all(...params) as { status: TicketStatus; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** a query's statement, prepared once per shape of query */
  private prepared(sql: string): Database.Statement<unknown[]> {
    let stmt = this.lists.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.lists.set(sql, stmt);
    }
    return stmt;
  }

  addSource(ticketNo: string, source: SourceRef): boolean {
    return this.addSourceTx.immediate(ticketNo, source);
  }

  /** compared with the running averages, flagged and reopened in the write's own transaction (ticket-feedback.ts) */
  recordFeedback(ticketNo: string, feedback: Feedback, rules?: FeedbackRules): FeedbackResult {
    return this.feedback.record(ticketNo, feedback, rules);
  }

  setFeedbackComment(ticketNo: string, comment: string): boolean {
    return this.feedback.comment(ticketNo, comment);
  }

  /** the caller holds the write transaction, or this is one statement on its own */
  markRatingReminded(ticketNo: string, at: Date): void {
    this.feedback.markReminded(ticketNo, at);
  }

  /** the caller holds the write transaction, or this is one statement on its own */
  markRatingRequested(ticketNo: string, at: Date): void {
    const { id } = this.mustFind(ticketNo);
    this.setRatingRequested.run(at.toISOString(), at.toISOString(), id);
  }

  setFollowUp(ticketNo: string, followUp: boolean): Ticket {
    const { id } = this.mustFind(ticketNo);
    this.setFollowUpFlag.run(followUp ? 1 : 0, new Date().toISOString(), id);
    return this.mustRead(id);
  }

  updateStatus(ticketNo: string, to: TicketStatus, by: string, note?: string): Ticket {
    return this.statusTx.immediate(ticketNo, to, by, note);
  }

  /** the caller holds the write transaction: the look-up and the insert share it, so filing a source twice yields one ticket */
  createWithin(draft: TicketDraft): { ticket: Ticket; created: boolean } {
    const { channel, accountId, externalId } = draft.source;
    const existing = this.bySource.get(channel, accountId, externalId) as { id: number } | undefined;
    if (existing) return { ticket: this.mustRead(existing.id), created: false };
    // a message that names its ticket (a reply to our mail, a subject with the number): the citizen's own open one
    const named = draft.joinTicketNo ? (this.byNo.get(draft.joinTicketNo) as { id: number } | undefined) : undefined;
    if (named && this.isOpen(named.id) && this.mustRead(named.id).citizen.contactId === draft.contact.id) return this.join(named.id, draft);
    const thread = draft.thread && (this.bySource.get(draft.thread.channel, draft.thread.accountId, draft.thread.externalId) as { id: number } | undefined);
    // a later post of a thread whose complaint is open: it joins that ticket
    if (thread && this.isOpen(thread.id)) return this.join(thread.id, draft);
    // a post in the thread of a settled complaint ("still not fixed") is a new one: the thread moves to it below
    if (thread && draft.thread) this.dropSource.run(draft.thread.channel, draft.thread.accountId, draft.thread.externalId);

    const { value: number } = this.nextNumber.get(COUNTER, this.firstNumber) as { value: number };
    const now = new Date().toISOString();
    // validated before anything is written (a throw rolls the number back too)
    const ticket = newTicket(draft, `${this.prefix}${number}`, now);
    const { ticketNo, status, history, citizen, sources: _s, createdAt, updatedAt, ...data } = ticket;
    const row = this.insert.get(
      ticketNo,
      number,
      status,
      citizen.contactId,
      JSON.stringify(citizen),
      JSON.stringify(data satisfies TicketData),
      createdAt,
      updatedAt,
    ) as { id: number };
    this.insertSource.run(row.id, channel, accountId, externalId);
    if (draft.thread) this.insertSource.run(row.id, draft.thread.channel, draft.thread.accountId, draft.thread.externalId);
    const first = history[0]!;
    this.insertHistory.run(row.id, first.at, first.by, null, first.to, draft.note ?? null);
    if (draft.rejectWith !== undefined) return { ticket: this.statusInTx(ticketNo, 'rejected', draft.by, draft.rejectWith), created: true };
    // what was just written, parsed and validated above: no need to read it back
    return { ticket, created: true };
  }

  private isOpen(id: number): boolean {
    return !SETTLED.has((this.statusById.get(id) as { status: TicketStatus }).status);
  }

  /** the message becomes another source of an open ticket, its files added to the ticket's */
  private join(id: number, draft: TicketDraft): { ticket: Ticket; created: false } {
    const { channel, accountId, externalId } = draft.source;
    this.insertSource.run(id, channel, accountId, externalId);
    const now = new Date().toISOString();
    if (draft.attachments.length > 0) this.setAttachments.run(JSON.stringify([...this.mustRead(id).attachments, ...draft.attachments]), now, id);
    else this.touch.run(now, id);
    return { ticket: this.mustRead(id), created: false };
  }

  /** the caller holds the write transaction */
  statusInTx(ticketNo: string, to: TicketStatus, by: string, note?: string): Ticket {
    const row = this.mustFind(ticketNo);
    if (!canTransition(row.status, to)) throw new InvalidTransitionError(ticketNo, row.status, to);
    const now = new Date().toISOString();
    // the history entry first: the store's trigger writes one for a status changed without it (another system)
    this.insertHistory.run(row.id, now, by, row.status, to, note ?? null);
    this.setStatus.run(to, now, row.id);
    return this.mustRead(row.id);
  }

  private mustFind(ticketNo: string): { id: number; status: TicketStatus } {
    const row = this.statusOf.get(ticketNo) as { id: number; status: TicketStatus } | undefined;
    if (!row) throw new TicketNotFoundError(ticketNo);
    return row;
  }

  private mustRead(id: number): Ticket {
    return this.read(this.byId.get(id)) as Ticket;
  }

  private read(row: unknown): Ticket | undefined {
    return row === undefined ? undefined : toTicket(row as TicketRow);
  }
}
