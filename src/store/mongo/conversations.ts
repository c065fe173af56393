import { randomUUID } from 'node:crypto';
import { Schema, type ClientSession, type Connection, type Model } from 'mongoose';
import { EtagConflictError } from '../errors.ts';
import type { CompletedTurn, StoredConversation } from '../store.ts';
import { iso, sess } from './atomic.ts';

/** Bot state with an eTag. `data` is JSON text: dialog state may hold keys MongoDB refuses (`.`, `$`). */
export interface ConversationDoc {
  _id: string;
  data: string;
  etag: string;
}

/** A conversation that asked for a turn of its own at `wakeAt`, on the message `inboundId`. */
export interface WakeupDoc {
  _id: string;
  inboundId: number;
  wakeAt: string;
}

export const ConversationSchema = new Schema<ConversationDoc>(
  { _id: { type: String, required: true }, data: { type: String, required: true }, etag: { type: String, required: true } },
  { versionKey: false, collection: 'conversations' },
);

export const WakeupSchema = new Schema<WakeupDoc>(
  { _id: { type: String, required: true }, inboundId: { type: Number, required: true }, wakeAt: { type: String, required: true } },
  { versionKey: false, collection: 'wakeups' },
);
WakeupSchema.index({ wakeAt: 1 }, { name: 'wakeups_due' });

export function conversationModel(conn: Connection): Model<ConversationDoc> {
  return (conn.models.Conversation as Model<ConversationDoc> | undefined) ?? conn.model<ConversationDoc>('Conversation', ConversationSchema);
}

export function wakeupModel(conn: Connection): Model<WakeupDoc> {
  return (conn.models.Wakeup as Model<WakeupDoc> | undefined) ?? conn.model<WakeupDoc>('Wakeup', WakeupSchema);
}

/**
 * The write of one conversation (pure): absent or `*` overwrites (an upsert); a specific eTag must match the stored
 * one, so the filter names it and no upsert is made (for a key that does not exist it can only be a conflict).
 */
export function conversationWrite(key: string, data: unknown, next: string, etag?: string) {
  const $set = { data: JSON.stringify(data ?? null), etag: next };
  return etag === undefined || etag === '*' ? { filter: { _id: key }, update: { $set }, upsert: true } : { filter: { _id: key, etag }, update: { $set }, upsert: false };
}

/** Conversations (botbuilder's Storage semantics) and the wake-ups turns ask for. */
export class MongoConversations {
  readonly model: Model<ConversationDoc>;
  readonly wakeups: Model<WakeupDoc>;

  constructor(conn: Connection) {
    this.model = conversationModel(conn);
    this.wakeups = wakeupModel(conn);
  }

  /** only the keys that exist, in the order asked */
  async readMany(keys: string[]): Promise<StoredConversation[]> {
    if (keys.length === 0) return [];
    const docs = await this.model.find({ _id: { $in: keys } }).lean<ConversationDoc[]>();
    const byKey = new Map(docs.map((d) => [d._id, d]));
    return keys.flatMap((k) => {
      const d = byKey.get(k);
      return d ? [{ key: d._id, data: JSON.parse(d.data) as unknown, etag: d.etag }] : [];
    });
  }

  /** inside a transaction (completeTurn) the conflict aborts every write of the turn */
  async write(key: string, data: unknown, etag?: string, session?: ClientSession): Promise<string> {
    const next = randomUUID();
    const w = conversationWrite(key, data, next, etag);
    const r = await this.model.updateOne(w.filter, w.update, { upsert: w.upsert, ...sess(session) });
    if (!w.upsert && r.matchedCount === 0) throw new EtagConflictError(key);
    return next;
  }

  async delete(key: string): Promise<void> {
    await this.model.deleteOne({ _id: key });
  }

  /** null clears it; the message is the wake's own, else the turn's, else the one it was asked on earlier */
  async setWakeup(wake: NonNullable<CompletedTurn['wake']>, turnInbound: number | undefined, session: ClientSession): Promise<void> {
    if (wake.at === null) {
      await this.wakeups.deleteOne({ _id: wake.conversation }, { session });
      return;
    }
    const inboundId = wake.inboundId ?? turnInbound ?? (await this.wakeups.findById(wake.conversation, { inboundId: 1 }, { session }).lean<WakeupDoc>())?.inboundId;
    if (inboundId === undefined) throw new Error(`a wake-up for ${wake.conversation} needs the message of its conversation`);
    await this.wakeups.updateOne({ _id: wake.conversation }, { $set: { inboundId, wakeAt: iso(wake.at) } }, { upsert: true, session });
  }

  async listDueWakeups(now: Date, limit: number): Promise<{ conversation: string; inboundId: number; at: string }[]> {
    if (limit <= 0) return [];
    const docs = await this.wakeups.find({ wakeAt: { $lte: iso(now) } }).sort({ wakeAt: 1 }).limit(limit).lean<WakeupDoc[]>();
    return docs.map((d) => ({ conversation: d._id, inboundId: d.inboundId, at: d.wakeAt }));
  }

  async ensureIndexes(): Promise<void> {
    for (const m of [this.model, this.wakeups] as { createCollection(): Promise<unknown>; createIndexes(): Promise<unknown> }[]) {
      await m.createCollection();
      await m.createIndexes();
    }
  }
}
