import type { ClientSession, Connection, Model } from 'mongoose';
import { canTransition, type SourceRef, type Ticket, type TicketStatus } from '../../model/index.ts';
import { InvalidTransitionError, TicketNotFoundError } from '../errors.ts';
import type { TicketDraft, TicketQuery } from '../store.ts';
import { newTicket } from '../new-ticket.ts';
import { iso, opt, sess } from './atomic.ts';
import { counterModel, nextSeq } from './counters.ts';
import { isDuplicateKey } from './mongo-errors.ts';
import { type HistoryDoc, historyModel, sourceKey, type TicketDoc, ticketDoc, ticketModel, type TicketRead, ticketReadPipeline, toTicket } from './ticket-docs.ts';
import { SETTLED, ticketFilter } from './ticket-query.ts';

const COUNTER = 'ticket';

/**
 * The update that takes the next ticket number (pure): it starts at `first`, and a later, higher first number in
 * the config moves the sequence up, never down (as SQLite's max(value + 1, first)). One findOneAndUpdate.
 */
export function ticketNumberUpdate(first: number): Record<string, unknown>[] {
  return [{ $set: { seq: { $max: [{ $add: [{ $ifNull: ['$seq', first - 1] }, 1] }, first] } } }];
}

/** a further source on a ticket that lacks it (pure); a source on another ticket is refused by the unique index */
export function addSourceUpdate(id: number, source: SourceRef, now: string, attachments: Ticket['attachments'] = []) {
  const key = sourceKey(source);
  return {
    filter: { _id: id, sourceKeys: { $ne: key } },
    update: {
      $push: { sources: { ...source }, sourceKeys: key, ...(attachments.length ? { attachments: { $each: attachments } } : {}) },
      $set: { updatedAt: now },
    },
  };
}

export type HistoryInput = Omit<HistoryDoc, '_id'>;

/** Tickets, their sources and their history; every multi-document write runs in the caller's transaction. */
export class MongoTickets {
  readonly model: Model<TicketDoc>;
  readonly history: Model<HistoryDoc>;

  constructor(
    private readonly conn: Connection,
    private readonly prefix: string,
    private readonly firstNumber: number,
  ) {
    this.model = ticketModel(conn);
    this.history = historyModel(conn);
  }

  async read(match: Record<string, unknown>, session?: ClientSession, page: { order?: 'asc' | 'desc'; offset?: number; limit?: number } = {}): Promise<Ticket[]> {
    const agg = this.model.aggregate<TicketRead>(ticketReadPipeline(match, page));
    if (session) agg.session(session);
    return (await agg).map(toTicket);
  }

  async get(ticketNo: string, session?: ClientSession): Promise<Ticket | undefined> {
    return (await this.read({ ticketNo }, session))[0];
  }

  async findBySource(source: SourceRef, session?: ClientSession): Promise<Ticket | undefined> {
    return (await this.read({ sourceKeys: sourceKey(source) }, session))[0];
  }

  async list(query: TicketQuery = {}): Promise<Ticket[]> {
    // MongoDB reads a limit of 0 as none at all; SQLite as nothing
    if (query.limit === 0) return [];
    return this.read(ticketFilter(query), undefined, { order: query.order ?? 'desc', ...opt('offset', query.offset), ...opt('limit', query.limit) });
  }

  async count(query: TicketQuery = {}): Promise<Partial<Record<TicketStatus, number>>> {
    const rows = await this.model.aggregate<{ _id: TicketStatus; n: number }>([{ $match: ticketFilter(query) }, { $group: { _id: '$status', n: { $sum: 1 } } }]);
    return Object.fromEntries(rows.map((r) => [r._id, r.n]));
  }

  /** the status and number of a ticket, or TicketNotFoundError */
  async mustFind(ticketNo: string, session?: ClientSession): Promise<Pick<TicketDoc, '_id' | 'status' | 'department' | 'ward' | 'contactId'>> {
    const d = await this.model.findOne({ ticketNo }, { _id: 1, status: 1, department: 1, ward: 1, contactId: 1 }, sess(session)).lean<TicketDoc>();
    if (!d) throw new TicketNotFoundError(ticketNo);
    return d;
  }

  async appendHistory(entries: HistoryInput[], session: ClientSession): Promise<void> {
    const ids = await nextSeq(this.conn, 'history', entries.length, { session });
    await this.history.insertMany(entries.map((e, i) => ({ _id: ids[i]!, ...e })), { session });
  }

  /** the lookup and the insert in the caller's transaction, so filing a source twice yields one ticket */
  async createWithin(draft: TicketDraft, session: ClientSession): Promise<{ ticket: Ticket; created: boolean }> {
    const existing = await this.findBySource(draft.source, session);
    if (existing) return { ticket: existing, created: false };
    // a message that names its ticket (a reply to our mail, a subject with the number): the citizen's own open one
    const named = draft.joinTicketNo ? await this.model.findOne({ ticketNo: draft.joinTicketNo }, { _id: 1, status: 1, contactId: 1 }, { session }).lean<TicketDoc>() : null;
    if (named && !SETTLED.includes(named.status) && named.contactId === draft.contact.id) return this.join(named._id, draft, session);
    const thread = draft.thread ? await this.model.findOne({ sourceKeys: sourceKey(draft.thread) }, { _id: 1, status: 1 }, { session }).lean<TicketDoc>() : null;
    // a later post of a thread whose complaint is open: it joins that ticket
    if (thread && !SETTLED.includes(thread.status)) return this.join(thread._id, draft, session);
    // a post in the thread of a settled complaint ("still not fixed") is a new one: the thread moves to it
    if (thread && draft.thread) {
      const { channel, accountId, externalId } = draft.thread;
      await this.model.updateOne({ _id: thread._id }, { $pull: { sources: { channel, accountId, externalId }, sourceKeys: sourceKey(draft.thread) } }, { session });
    }

    const counter = await counterModel(this.conn).findOneAndUpdate({ _id: COUNTER }, ticketNumberUpdate(this.firstNumber), { upsert: true, returnDocument: 'after', session, updatePipeline: true }).lean();
    const number = counter!.seq;
    const now = iso(new Date());
    // validated before anything is written (a throw aborts the transaction, number included)
    const ticket = newTicket(draft, `${this.prefix}${number}`, now);
    await this.model.create([ticketDoc(number, ticket)], { session });
    await this.appendHistory([{ ticket: number, ticketNo: ticket.ticketNo, at: now, by: draft.by, from: null, to: 'received', ...opt('note', draft.note) }], session);
    if (draft.rejectWith !== undefined) return { ticket: await this.statusWithin(ticket.ticketNo, 'rejected', draft.by, draft.rejectWith, session), created: true };
    // what was just written, parsed and validated above: no need to read it back
    return { ticket, created: true };
  }

  /** the message becomes another source of an open ticket, its files added to the ticket's */
  private async join(id: number, draft: TicketDraft, session: ClientSession): Promise<{ ticket: Ticket; created: false }> {
    const { filter, update } = addSourceUpdate(id, draft.source, iso(new Date()), draft.attachments);
    await this.model.updateOne(filter, update, { session });
    return { ticket: (await this.read({ _id: id }, session))[0]!, created: false };
  }

  /** in the caller's transaction: the history entry and the status together */
  async statusWithin(ticketNo: string, to: TicketStatus, by: string, note: string | undefined, session: ClientSession): Promise<Ticket> {
    const row = await this.mustFind(ticketNo, session);
    if (!canTransition(row.status, to)) throw new InvalidTransitionError(ticketNo, row.status, to);
    const now = iso(new Date());
    await this.appendHistory([{ ticket: row._id, ticketNo, at: now, by, from: row.status, to, ...opt('note', note) }], session);
    await this.model.updateOne({ _id: row._id }, { $set: { status: to, updatedAt: now } }, { session });
    return (await this.get(ticketNo, session))!;
  }

  /**
   * false when the source is on a ticket already: this one (the filter misses) or another (the unique index
   * refuses it). One update, no transaction needed.
   */
  async addSource(ticketNo: string, source: SourceRef, attachments: Ticket['attachments'] = []): Promise<boolean> {
    const { _id } = await this.mustFind(ticketNo);
    const { filter, update } = addSourceUpdate(_id, source, iso(new Date()), attachments);
    try {
      return (await this.model.updateOne(filter, update)).modifiedCount === 1;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async setFollowUp(ticketNo: string, followUp: boolean): Promise<Ticket> {
    const r = await this.model.updateOne({ ticketNo }, { $set: { followUp, updatedAt: iso(new Date()) } });
    if (r.matchedCount === 0) throw new TicketNotFoundError(ticketNo);
    return (await this.get(ticketNo))!;
  }

  /** the time the rating question was asked (`ratingRequestedAt`) or asked again (`ratingRemindedAt`) */
  async markRating(field: 'ratingRequestedAt' | 'ratingRemindedAt', ticketNo: string, at: Date, session?: ClientSession): Promise<void> {
    const r = await this.model.updateOne({ ticketNo }, { $set: { [field]: iso(at), updatedAt: iso(at) } }, sess(session));
    if (r.matchedCount === 0) throw new TicketNotFoundError(ticketNo);
  }

  async ensureIndexes(): Promise<void> {
    for (const m of [this.model, this.history] as { createCollection(): Promise<unknown>; createIndexes(): Promise<unknown> }[]) {
      await m.createCollection();
      await m.createIndexes();
    }
  }
}
