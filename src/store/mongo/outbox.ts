import { Schema, type ClientSession, type Connection, type Model } from 'mongoose';
import { Channel, DeliveryState, type OutboundMessage, type OutboxEntry } from '../../model/index.ts';
import type { OutboxQuery } from '../store.ts';
import { iso, lit, opt } from './atomic.ts';
import { nextSeq } from './counters.ts';

type Receipt = 'sent' | 'delivered' | 'undelivered';

/** One outbox entry. `message` is the OutboundMessage as JSON text; what queries need is copied beside it. */
export interface OutboxDoc {
  _id: number;
  idempotencyKey: string;
  message: string;
  channel: Channel;
  accountId: string;
  threadKey: string;
  kind: string;
  ticketNo?: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string;
  providerId?: string;
  lastError?: string;
  unsureSince?: string;
  createdAt: string;
  updatedAt: string;
}

export const OutboxSchema = new Schema<OutboxDoc>(
  {
    _id: { type: Number, required: true },
    idempotencyKey: { type: String, required: true, minlength: 1 },
    message: { type: String, required: true },
    channel: { type: String, enum: Channel.options, required: true },
    accountId: { type: String, required: true },
    threadKey: { type: String, required: true },
    kind: { type: String, required: true },
    ticketNo: String,
    state: { type: String, enum: DeliveryState.options, default: 'pending', required: true },
    attempts: { type: Number, default: 0, min: 0 },
    nextAttemptAt: { type: String, required: true },
    providerId: String,
    lastError: String,
    unsureSince: String,
    createdAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
  },
  { versionKey: false, collection: 'outbox', minimize: false },
);
OutboxSchema.index({ idempotencyKey: 1 }, { unique: true, name: 'outbox_key' });
OutboxSchema.index({ state: 1, nextAttemptAt: 1 }, { name: 'outbox_due' });
// delivery receipts find their entry by the provider's id
OutboxSchema.index({ providerId: 1 }, { name: 'outbox_provider', partialFilterExpression: { providerId: { $exists: true } } });
// a ticket's page: what was said about it, and in its conversation
OutboxSchema.index({ ticketNo: 1, _id: -1 }, { name: 'outbox_ticket', partialFilterExpression: { ticketNo: { $exists: true } } });
OutboxSchema.index({ threadKey: 1, _id: -1 }, { name: 'outbox_thread' });

export function outboxModel(conn: Connection): Model<OutboxDoc> {
  return (conn.models.Outbox as Model<OutboxDoc> | undefined) ?? conn.model<OutboxDoc>('Outbox', OutboxSchema);
}

export function outboxDoc(id: number, m: OutboundMessage, at: string): OutboxDoc {
  return {
    _id: id,
    idempotencyKey: m.idempotencyKey,
    message: JSON.stringify(m),
    channel: m.channel,
    accountId: m.accountId,
    threadKey: m.threadKey,
    kind: m.kind,
    ...opt('ticketNo', m.ticketNo),
    state: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    createdAt: at,
    updatedAt: at,
  };
}

export function toOutboxEntry(d: OutboxDoc): OutboxEntry {
  return {
    id: d._id,
    message: JSON.parse(d.message) as OutboundMessage,
    state: d.state,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    ...opt('providerId', d.providerId),
    ...opt('lastError', d.lastError),
    ...opt('unsureSince', d.unsureSince),
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** pending entries due at `now`, and entries a crash left in `sending` */
export function dueOutboxQuery(now: Date) {
  return { $or: [{ state: 'pending' as const, nextAttemptAt: { $lte: iso(now) } }, { state: 'sending' as const }] };
}

/** one attempt: pending → sending, attempts + 1; a `sending` one a crash left can be taken again */
export function claimOutboxUpdate(id: number, now: Date) {
  return { filter: { _id: id, state: { $in: ['pending', 'sending'] as DeliveryState[] } }, update: { $set: { state: 'sending' as const, updatedAt: iso(now) }, $inc: { attempts: 1 } } };
}

/**
 * A failed attempt (an aggregation update): back to pending at `next`; an uncounted one gives its attempt back;
 * `unsureSince` keeps the earliest unsure attempt, as any of them may be the one the provider has.
 */
export function outboxRetryUpdate(id: number, error: string, next: Date, now: Date, unsureSince?: Date, uncounted = false) {
  return {
    filter: { _id: id, state: { $in: ['pending', 'sending'] as DeliveryState[] } },
    update: [
      {
        $set: {
          state: lit('pending'),
          attempts: { $max: [{ $subtract: ['$attempts', uncounted ? 1 : 0] }, 0] },
          lastError: lit(error),
          nextAttemptAt: lit(iso(next)),
          updatedAt: lit(iso(now)),
          ...(unsureSince ? { unsureSince: { $ifNull: ['$unsureSince', lit(iso(unsureSince))] } } : {}),
        },
      },
    ],
  };
}

export function outboxDeadUpdate(id: number, error: string, now: Date, unsureSince?: Date) {
  return {
    filter: { _id: id, state: { $in: ['pending', 'sending'] as DeliveryState[] } },
    update: [{ $set: { state: lit('dead'), lastError: lit(error), updatedAt: lit(iso(now)), ...(unsureSince ? { unsureSince: { $ifNull: ['$unsureSince', lit(iso(unsureSince))] } } : {}) } }],
  };
}

/**
 * Which states a receipt may move an entry out of: a late "sent" never undoes "delivered" or "undelivered", and
 * "delivered" is final. An entry retried since (pending, sending) or dead is left alone.
 */
export const RECEIPT_FROM: Record<Receipt, DeliveryState[]> = {
  sent: ['sending', 'sent'],
  delivered: ['sending', 'sent', 'undelivered'],
  undelivered: ['sending', 'sent'],
};

export function receiptUpdate(providerId: string, state: Receipt, now: Date, error?: string) {
  return { filter: { providerId, state: { $in: RECEIPT_FROM[state] } }, update: { $set: { state, updatedAt: iso(now), ...(error !== undefined ? { lastError: error } : {}) } } };
}

/**
 * A staff retry of a dead or undelivered entry: pending, due now, attempts from zero. The old provider id goes, so
 * a late receipt for the failed send cannot touch the new attempt; an undelivered entry's outcome is known, so its
 * unsure mark goes too, while a dead one may still have an unsure attempt to look up.
 */
export function outboxReviveUpdate(id: number, now: Date) {
  return {
    filter: { _id: id, state: { $in: ['dead', 'undelivered'] as DeliveryState[] } },
    update: [
      { $set: { state: lit('pending'), attempts: 0, nextAttemptAt: lit(iso(now)), updatedAt: lit(iso(now)), unsureSince: { $cond: [{ $eq: ['$state', 'undelivered'] }, '$$REMOVE', '$unsureSince'] } } },
      { $unset: ['providerId'] },
    ],
  };
}

/** an account works again: its held replies (last error a HeldSendError) are due now; others keep their time */
export function releaseOutboxUpdate(channel: Channel, accountId: string, now: Date) {
  return {
    filter: { state: 'pending' as const, nextAttemptAt: { $gt: iso(now) }, lastError: { $regex: '^HeldSendError:' }, channel, accountId },
    update: { $set: { nextAttemptAt: iso(now), updatedAt: iso(now) } },
  };
}

export function outboxListFilter(q: OutboxQuery): { state?: DeliveryState; ticketNo?: string; threadKey?: string } {
  return { ...opt('state', q.state), ...opt('ticketNo', q.ticketNo), ...opt('threadKey', q.threadKey) };
}

/** The outbox: `attempts` counts claims; a retry or dead mark applies to a pending or sending entry only. */
export class MongoOutbox {
  readonly model: Model<OutboxDoc>;

  constructor(
    private readonly conn: Connection,
    private readonly prepare: (message: OutboundMessage) => OutboundMessage = (m) => m,
  ) {
    this.model = outboxModel(conn);
  }

  /**
   * In the caller's transaction: the keys already queued, one reservation of ids for the new ones (in order), one
   * insert. A concurrent enqueue of the same key is an E11000 that re-runs the transaction (atomically).
   */
  async enqueueWithin(messages: OutboundMessage[], at: string, session: ClientSession): Promise<{ id: number; created: boolean }[]> {
    if (messages.length === 0) return [];
    const prepared = messages.map((m) => this.prepare(m));
    const firsts = new Map<string, OutboundMessage>();
    for (const m of prepared) if (!firsts.has(m.idempotencyKey)) firsts.set(m.idempotencyKey, m);
    const found = await this.model.find({ idempotencyKey: { $in: [...firsts.keys()] } }, { _id: 1, idempotencyKey: 1 }, { session }).lean<Pick<OutboxDoc, '_id' | 'idempotencyKey'>[]>();
    const ids = new Map(found.map((d) => [d.idempotencyKey, d._id]));
    const fresh = [...firsts.values()].filter((m) => !ids.has(m.idempotencyKey));
    // outside the transaction, as the inbound ids are (inbound.ts): a gap after an abort is harmless
    const reserved = fresh.length ? await nextSeq(this.conn, 'outbox', fresh.length) : [];
    fresh.forEach((m, i) => ids.set(m.idempotencyKey, reserved[i]!));
    if (fresh.length) await this.model.insertMany(fresh.map((m) => outboxDoc(ids.get(m.idempotencyKey)!, m, at)), { session, ordered: true });
    const created = new Set(fresh.map((m) => m.idempotencyKey));
    return prepared.map((m) => ({ id: ids.get(m.idempotencyKey)!, created: created.delete(m.idempotencyKey) }));
  }

  async get(id: number): Promise<OutboxEntry | undefined> {
    const d = await this.model.findById(id).lean<OutboxDoc>();
    return d ? toOutboxEntry(d) : undefined;
  }

  async list(query: OutboxQuery = {}): Promise<OutboxEntry[]> {
    // MongoDB reads a limit of 0 as none at all; SQLite as nothing
    if (query.limit === 0) return [];
    const q = this.model.find(outboxListFilter(query)).sort({ _id: -1 });
    if (query.limit !== undefined) q.limit(query.limit);
    return (await q.lean<OutboxDoc[]>()).map(toOutboxEntry);
  }

  async listDue(now: Date, limit: number): Promise<number[]> {
    if (limit <= 0) return [];
    return (await this.model.find(dueOutboxQuery(now), { _id: 1 }).sort({ _id: 1 }).limit(limit).lean<{ _id: number }[]>()).map((r) => r._id);
  }

  async claim(id: number): Promise<boolean> {
    const { filter, update } = claimOutboxUpdate(id, new Date());
    return (await this.model.updateOne(filter, update)).modifiedCount === 1;
  }

  async markSent(id: number, providerId: string): Promise<void> {
    await this.model.updateOne({ _id: id, state: { $in: ['pending', 'sending'] as DeliveryState[] } }, { $set: { state: 'sent', providerId, updatedAt: iso(new Date()) } });
  }

  async markRetry(id: number, error: string, next: Date, unsureSince?: Date, uncounted = false): Promise<void> {
    const { filter, update } = outboxRetryUpdate(id, error, next, new Date(), unsureSince, uncounted);
    await this.model.updateOne(filter, update, { updatePipeline: true });
  }

  async markDead(id: number, error: string, unsureSince?: Date): Promise<void> {
    const { filter, update } = outboxDeadUpdate(id, error, new Date(), unsureSince);
    await this.model.updateOne(filter, update, { updatePipeline: true });
  }

  async release(channel: Channel, accountId: string, now: Date): Promise<number> {
    const { filter, update } = releaseOutboxUpdate(channel, accountId, now);
    return (await this.model.updateMany(filter, update)).modifiedCount;
  }

  /** true when the provider id is ours, even if the receipt was too late to change anything */
  async recordDelivery(providerId: string, state: Receipt, error?: string): Promise<boolean> {
    const { filter, update } = receiptUpdate(providerId, state, new Date(), error);
    await this.model.updateMany(filter, update);
    return (await this.model.exists({ providerId })) !== null;
  }

  async retryDead(id: number): Promise<boolean> {
    const { filter, update } = outboxReviveUpdate(id, new Date());
    return (await this.model.updateOne(filter, update, { updatePipeline: true })).modifiedCount === 1;
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createCollection();
    await this.model.createIndexes();
  }
}
