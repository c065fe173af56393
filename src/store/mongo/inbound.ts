import { Schema, type ClientSession, type Connection, type Model } from 'mongoose';
import type { InboundMessage, SourceRef } from '../../model/index.ts';
import type { ArchiveResult, ArchivedInbound, InboundState } from '../store.ts';
import { iso, opt, sess } from './atomic.ts';
import { nextSeq } from './counters.ts';

/** One archived message. `message` is the InboundMessage as JSON text: a raw payload's keys may hold `.` or `$`. */
export interface InboundDoc {
  _id: number;
  channel: string;
  accountId: string;
  externalId: string;
  message: string;
  // copied out of the message for the campaigns' look-up of where a citizen can be reached
  threadKey: string;
  senderId: string;
  receivedAt: string;
  public: boolean;
  state: InboundState;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  duplicates: number;
  archivedAt: string;
  updatedAt: string;
}

export const InboundSchema = new Schema<InboundDoc>(
  {
    _id: { type: Number, required: true },
    channel: { type: String, required: true },
    accountId: { type: String, required: true },
    externalId: { type: String, required: true },
    message: { type: String, required: true },
    threadKey: { type: String, required: true },
    senderId: { type: String, required: true },
    receivedAt: { type: String, required: true },
    public: { type: Boolean, default: false },
    state: { type: String, enum: ['pending', 'done', 'dead'], default: 'pending', required: true },
    attempts: { type: Number, default: 0, min: 0 },
    nextAttemptAt: { type: String, required: true },
    lastError: String,
    duplicates: { type: Number, default: 0, min: 0 },
    archivedAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
  },
  { versionKey: false, collection: 'inbound', minimize: false },
);
InboundSchema.index({ channel: 1, accountId: 1, externalId: 1 }, { unique: true, name: 'inbound_source' });
InboundSchema.index({ state: 1, nextAttemptAt: 1 }, { name: 'inbound_due' });
InboundSchema.index({ state: 1, updatedAt: -1 }, { name: 'inbound_state_updated' });

export function inboundModel(conn: Connection): Model<InboundDoc> {
  return (conn.models.Inbound as Model<InboundDoc> | undefined) ?? conn.model<InboundDoc>('Inbound', InboundSchema);
}

/** the document a message is archived as (pure) */
export function inboundDoc(id: number, m: InboundMessage, now: string): InboundDoc {
  return {
    _id: id,
    channel: m.channel,
    accountId: m.accountId,
    externalId: m.externalId,
    message: JSON.stringify(m),
    threadKey: m.threadKey,
    senderId: m.sender.id,
    receivedAt: m.receivedAt,
    public: m.public === true,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    duplicates: 0,
    archivedAt: now,
    updatedAt: now,
  };
}

export const sourceFilter = (s: SourceRef): { channel: string; accountId: string; externalId: string } => ({ channel: s.channel, accountId: s.accountId, externalId: s.externalId });

/** pending messages due at `now` (sorted by id by the caller) */
export function dueInboundQuery(now: Date): { state: 'pending'; nextAttemptAt: { $lte: string } } {
  return { state: 'pending', nextAttemptAt: { $lte: iso(now) } };
}

/** a failed attempt: later, and counted; only a pending message (a late report cannot undo another's success) */
export function inboundRetryUpdate(id: number, error: string, next: Date, now: Date) {
  return {
    filter: { _id: id, state: 'pending' as const },
    update: { $set: { state: 'pending' as const, lastError: error, nextAttemptAt: iso(next), updatedAt: iso(now) }, $inc: { attempts: 1 } },
  };
}

export function inboundDeadUpdate(id: number, error: string, now: Date) {
  return { filter: { _id: id, state: 'pending' as const }, update: { $set: { state: 'dead' as const, lastError: error, updatedAt: iso(now) }, $inc: { attempts: 1 } } };
}

/** only a dead message comes back, due now, its attempts from zero */
export function inboundReviveUpdate(id: number, now: Date) {
  return { filter: { _id: id, state: 'dead' as const }, update: { $set: { state: 'pending' as const, attempts: 0, nextAttemptAt: iso(now), updatedAt: iso(now) } } };
}

export function toArchived(d: InboundDoc): ArchivedInbound {
  return {
    id: d._id,
    message: JSON.parse(d.message) as InboundMessage,
    state: d.state,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    ...opt('lastError', d.lastError),
    duplicates: d.duplicates,
    archivedAt: d.archivedAt,
  };
}

const keyOf = (s: SourceRef) => JSON.stringify([s.channel, s.accountId, s.externalId]);

/**
 * The inbound archive. `attempts` counts failed processing attempts (inbound work has no claim step). Retry and
 * dead marks apply to pending messages only.
 */
export class MongoInbound {
  readonly model: Model<InboundDoc>;

  constructor(private readonly conn: Connection) {
    this.model = inboundModel(conn);
  }

  /**
   * One pass for the whole batch inside the caller's transaction: the keys already archived, one reservation of
   * ids for the new ones (in the batch's order), one insert, and the redeliveries counted.
   */
  async archiveWithin(messages: InboundMessage[], now: Date, session: ClientSession): Promise<ArchiveResult[]> {
    const at = iso(now);
    const firsts = new Map<string, InboundMessage>();
    for (const m of messages) if (!firsts.has(keyOf(m))) firsts.set(keyOf(m), m);
    const found = await this.model
      .find({ $or: [...firsts.values()].map(sourceFilter) }, { _id: 1, channel: 1, accountId: 1, externalId: 1 })
      .session(session)
      .lean<Pick<InboundDoc, '_id' | 'channel' | 'accountId' | 'externalId'>[]>();
    const ids = new Map<string, number>(found.map((d) => [keyOf(d as unknown as SourceRef), d._id]));
    const fresh = [...firsts.entries()].filter(([k]) => !ids.has(k));
    // outside the transaction: one counter held until every archive commits would make all of them wait on each
    // other; a transaction that aborts leaves a gap in the ids, which nothing minds
    const reserved = fresh.length ? await nextSeq(this.conn, 'inbound', fresh.length) : [];
    fresh.forEach(([k], i) => ids.set(k, reserved[i]!));
    if (fresh.length) await this.model.insertMany(fresh.map(([k, m]) => inboundDoc(ids.get(k)!, m, at)), { session, ordered: true });
    const created = new Set(fresh.map(([k]) => k));
    const duplicates = new Map<number, number>();
    const results = messages.map((m) => {
      const k = keyOf(m);
      const id = ids.get(k)!;
      // the first copy of a new message is the one kept; every other copy is a redelivery
      if (created.delete(k)) return { id, duplicate: false };
      duplicates.set(id, (duplicates.get(id) ?? 0) + 1);
      return { id, duplicate: true };
    });
    if (duplicates.size) await this.model.bulkWrite([...duplicates].map(([id, n]) => ({ updateOne: { filter: { _id: id }, update: { $inc: { duplicates: n } } } })), { session });
    return results;
  }

  async get(id: number): Promise<ArchivedInbound | undefined> {
    const d = await this.model.findById(id).lean<InboundDoc>();
    return d ? toArchived(d) : undefined;
  }

  async getBySource(source: SourceRef): Promise<ArchivedInbound | undefined> {
    const d = await this.model.findOne(sourceFilter(source)).lean<InboundDoc>();
    return d ? toArchived(d) : undefined;
  }

  async listDue(now: Date, limit: number): Promise<number[]> {
    // MongoDB reads a limit of 0 as none at all; SQLite as nothing
    if (limit <= 0) return [];
    const rows = await this.model.find(dueInboundQuery(now), { _id: 1 }).sort({ _id: 1 }).limit(limit).lean<{ _id: number }[]>();
    return rows.map((r) => r._id);
  }

  async markDone(id: number, session?: ClientSession): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { state: 'done', updatedAt: iso(new Date()) } }, sess(session));
  }

  async markRetry(id: number, error: string, next: Date): Promise<void> {
    const { filter, update } = inboundRetryUpdate(id, error, next, new Date());
    await this.model.updateOne(filter, update);
  }

  async markDead(id: number, error: string): Promise<void> {
    const { filter, update } = inboundDeadUpdate(id, error, new Date());
    await this.model.updateOne(filter, update);
  }

  async retryDead(id: number): Promise<boolean> {
    const { filter, update } = inboundReviveUpdate(id, new Date());
    return (await this.model.updateOne(filter, update)).modifiedCount === 1;
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createCollection();
    await this.model.createIndexes();
  }
}
