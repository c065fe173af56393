import { Schema, type ClientSession, type Connection, type Model } from 'mongoose';
import type { ChatConversation, ChatEntry } from '../store.ts';
import { inTransaction } from './connection.ts';
import { counterModel } from './counters.ts';
import { writeOrReread } from './mongo-errors.ts';

export interface ChatConversationDoc {
  _id: string;
  userId: string;
  keptUntil: Date;
  /** the seq the next entry takes: only ever moves up, so a seq once read past is never given again */
  nextSeq: number;
}

export interface ChatEntryDoc {
  conversationId: string;
  seq: number;
  /**
   * the activity as JSON text, null while reserved. Text, not a sub-document: a web client's channelData may hold
   * keys MongoDB refuses or reads as operators ("$where", "a.b"), and the log gives back exactly what was put
   */
  activity: string | null;
  reservedAt?: Date;
  /** a bot reply: one entry per outbox entry */
  outboxId?: number;
}

export const ChatConversationSchema = new Schema<ChatConversationDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    keptUntil: { type: Date, required: true },
    nextSeq: { type: Number, required: true, default: 1, min: 1 },
  },
  { collection: 'chat_conversations', versionKey: false },
);
// a citizen's latest conversation; what is kept (the cap) and what is no longer (the sweep). No TTL index: the
// sweep drops a conversation with its log, which a TTL would leave behind
ChatConversationSchema.index({ userId: 1, keptUntil: -1 });
ChatConversationSchema.index({ keptUntil: 1 });

export const ChatEntrySchema = new Schema<ChatEntryDoc>(
  {
    conversationId: { type: String, required: true },
    seq: { type: Number, required: true, min: 1 },
    activity: { type: String, default: null },
    reservedAt: Date,
    outboxId: Number,
  },
  { collection: 'chat_entries', versionKey: false },
);
ChatEntrySchema.index({ conversationId: 1, seq: 1 }, { unique: true });
ChatEntrySchema.index({ outboxId: 1 }, { unique: true, partialFilterExpression: { outboxId: { $exists: true } } });

export function chatConversationModel(conn: Connection): Model<ChatConversationDoc> {
  return (conn.models.ChatConversation as Model<ChatConversationDoc> | undefined) ?? conn.model<ChatConversationDoc>('ChatConversation', ChatConversationSchema);
}
export function chatEntryModel(conn: Connection): Model<ChatEntryDoc> {
  return (conn.models.ChatEntry as Model<ChatEntryDoc> | undefined) ?? conn.model<ChatEntryDoc>('ChatEntry', ChatEntrySchema);
}

// longer than any archive takes (a webhook's request time-out is 10 s), and than clocks of two web processes differ
export const STALE_RESERVATION_MS = 30_000;
/** the counter document every new conversation's transaction writes: concurrent opens conflict, so the cap holds */
export const CHAT_OPEN_GUARD = 'chat-open';
// conversations dropped per transaction: a transaction stays small and short
const DROP_BATCH = 500;

// ——— pure builders: every filter and update the log sends (tested without a server) ———

/** keeps a conversation longer, never shorter, and never changes whose it is */
export function keepChatUpdate(keptUntil: string): { $max: { keptUntil: Date } } {
  return { $max: { keptUntil: new Date(keptUntil) } };
}

export function newChatDoc(c: ChatConversation): ChatConversationDoc {
  return { _id: c.id, userId: c.userId, keptUntil: new Date(c.keptUntil), nextSeq: 1 };
}

export function keptChatsFilter(now: Date): { keptUntil: { $gt: Date } } {
  return { keptUntil: { $gt: now } };
}

export function getChatFilter(id: string, now: Date): { _id: string; keptUntil: { $gt: Date } } {
  return { _id: id, ...keptChatsFilter(now) };
}

export function latestChatFilter(userId: string, now: Date): { userId: string; keptUntil: { $gt: Date } } {
  return { userId, ...keptChatsFilter(now) };
}

export function expiredChatsFilter(now: Date): { keptUntil: { $lte: Date } } {
  return { keptUntil: { $lte: now } };
}

export function entriesOfFilter(ids: readonly string[]): { conversationId: { $in: string[] } } {
  return { conversationId: { $in: [...ids] } };
}

/** the batch listed, still expired: one opened again since is not dropped */
export function dropChatsFilter(ids: readonly string[], now: Date): { _id: { $in: string[] }; keptUntil: { $lte: Date } } {
  return { _id: { $in: [...ids] }, ...expiredChatsFilter(now) };
}

/** takes the conversation's next seq (the reply is the document before it) */
export const TAKE_SEQ_UPDATE = { $inc: { nextSeq: 1 } } as const;

export function reservedEntryDoc(conversationId: string, seq: number, now: Date): ChatEntryDoc {
  return { conversationId, seq, activity: null, reservedAt: now };
}

export function replyEntryDoc(conversationId: string, seq: number, outboxId: number, activity: Record<string, unknown>): ChatEntryDoc {
  return { conversationId, seq, activity: JSON.stringify(activity), outboxId };
}

export function entryFilter(conversationId: string, seq: number): { conversationId: string; seq: number } {
  return { conversationId, seq };
}

export function putEntryUpdate(activity: Record<string, unknown>): { $set: { activity: string } } {
  return { $set: { activity: JSON.stringify(activity) } };
}

/** only a reservation is cancelled: an entry put is in the log for good */
export function cancelEntryFilter(conversationId: string, seq: number): { conversationId: string; seq: number; activity: null } {
  return { ...entryFilter(conversationId, seq), activity: null };
}

export function readChatFilter(conversationId: string, afterSeq: number): { conversationId: string; seq: { $gt: number } } {
  return { conversationId, seq: { $gt: afterSeq } };
}

export const READ_CHAT_SORT = { seq: 1 } as const;

/**
 * The readable part of what was read (in seq order): up to the first reservation still fresh at `now`. A stale
 * one (a crash between reserving and putting: the message was either archived, and its reply follows, or never
 * acknowledged) is passed, and returned to be cancelled.
 */
export function readableEntries(
  rows: readonly Pick<ChatEntryDoc, 'seq' | 'activity' | 'reservedAt'>[],
  afterSeq: number,
  now: Date,
): { entries: ChatEntry[]; through: number; stale: number[] } {
  const entries: ChatEntry[] = [];
  const stale: number[] = [];
  let through = afterSeq;
  const staleBefore = now.getTime() - STALE_RESERVATION_MS;
  for (const row of rows) {
    if (row.activity === null || row.activity === undefined) {
      if (row.reservedAt && row.reservedAt.getTime() >= staleBefore) break;
      stale.push(row.seq);
    } else entries.push({ seq: row.seq, activity: JSON.parse(row.activity) as Record<string, unknown> });
    through = row.seq;
  }
  return { entries, through, stale };
}

const notKept = (id: string) => new Error(`web chat conversation ${id} is not kept (never opened, or dropped): open it again`);

/** Web chat conversations and their logs on MongoDB: any web process reads a conversation by watermark. */
export class MongoChatLog {
  private readonly chats: Model<ChatConversationDoc>;
  private readonly entries: Model<ChatEntryDoc>;

  constructor(private readonly conn: Connection) {
    this.chats = chatConversationModel(conn);
    this.entries = chatEntryModel(conn);
  }

  async ensureIndexes(): Promise<void> {
    await Promise.all([this.chats.createIndexes(), this.entries.createIndexes()]);
  }

  async openChat(conversation: ChatConversation, most: number): Promise<{ opened: boolean; created: boolean }> {
    // the common case, a conversation resumed: one write, no transaction
    if ((await this.chats.updateOne({ _id: conversation.id }, keepChatUpdate(conversation.keptUntil))).matchedCount === 1) return { opened: true, created: false };
    const open = () =>
      inTransaction(this.conn, async (session) => {
        // every new conversation writes the guard: two opens at once conflict and one counts again after the other
        await counterModel(this.conn).updateOne({ _id: CHAT_OPEN_GUARD }, { $inc: { seq: 1 } }, { upsert: true, session });
        if ((await this.chats.updateOne({ _id: conversation.id }, keepChatUpdate(conversation.keptUntil), { session })).matchedCount === 1) return { opened: true, created: false };
        if ((await this.chats.countDocuments(keptChatsFilter(new Date()), { session })) >= most) return { opened: false, created: false };
        await this.chats.insertMany([newChatDoc(conversation)], { session });
        return { opened: true, created: true };
      });
    return writeOrReread(open, async () => {
      const kept = await this.chats.updateOne({ _id: conversation.id }, keepChatUpdate(conversation.keptUntil));
      return kept.matchedCount === 1 ? { opened: true, created: false } : undefined;
    });
  }

  async getChat(id: string, now: Date): Promise<ChatConversation | undefined> {
    const doc = await this.chats.findOne(getChatFilter(id, now)).lean<ChatConversationDoc>();
    return doc ? toConversation(doc) : undefined;
  }

  async latestChatOf(userId: string, now: Date): Promise<ChatConversation | undefined> {
    const doc = await this.chats.findOne(latestChatFilter(userId, now)).sort({ keptUntil: -1 }).lean<ChatConversationDoc>();
    return doc ? toConversation(doc) : undefined;
  }

  /** the seq and its entry in one transaction: a reader never sees a later seq without the earlier one's entry */
  async reserveChatEntry(conversationId: string): Promise<number> {
    return inTransaction(this.conn, async (session) => {
      const seq = await this.takeSeq(conversationId, session);
      await this.entries.insertMany([reservedEntryDoc(conversationId, seq, new Date())], { session });
      return seq;
    });
  }

  async putChatEntry(conversationId: string, seq: number, activity: Record<string, unknown>): Promise<void> {
    await this.entries.updateOne(entryFilter(conversationId, seq), putEntryUpdate(activity));
  }

  async cancelChatEntry(conversationId: string, seq: number): Promise<void> {
    await this.entries.deleteOne(cancelEntryFilter(conversationId, seq));
  }

  async appendChatReply(conversationId: string, outboxId: number, activity: (seq: number) => Record<string, unknown>): Promise<{ seq: number; created: boolean }> {
    const sent = () => this.replyOf(outboxId);
    const found = await sent();
    if (found) return found;
    const append = () =>
      inTransaction(this.conn, async (session) => {
        const again = await this.replyOf(outboxId, session);
        if (again) return again;
        const seq = await this.takeSeq(conversationId, session);
        await this.entries.insertMany([replyEntryDoc(conversationId, seq, outboxId, activity(seq))], { session });
        return { seq, created: true };
      });
    // the same outbox entry appended by another process at once: its entry is the one
    return writeOrReread(append, sent);
  }

  async readChat(conversationId: string, afterSeq: number, limit: number): Promise<{ entries: ChatEntry[]; through: number }> {
    if (limit <= 0) return { entries: [], through: afterSeq };
    const rows = await this.entries.find(readChatFilter(conversationId, afterSeq), { seq: 1, activity: 1, reservedAt: 1 }).sort(READ_CHAT_SORT).limit(limit).lean<ChatEntryDoc[]>();
    const { entries, through, stale } = readableEntries(rows, afterSeq, new Date());
    for (const seq of stale) await this.entries.deleteOne(cancelEntryFilter(conversationId, seq));
    return { entries, through };
  }

  async dropExpiredChats(now: Date): Promise<number> {
    let dropped = 0;
    for (;;) {
      // one batch a transaction: a conversation opened again meanwhile conflicts, and is either kept whole or dropped whole
      const batch = await inTransaction(this.conn, async (session) => {
        const ids = (await this.chats.find(expiredChatsFilter(now), { _id: 1 }, { session }).limit(DROP_BATCH).lean<{ _id: string }[]>()).map((d) => d._id);
        if (ids.length === 0) return { listed: 0, deleted: 0 };
        await this.entries.deleteMany(entriesOfFilter(ids), { session });
        return { listed: ids.length, deleted: (await this.chats.deleteMany(dropChatsFilter(ids, now), { session })).deletedCount };
      });
      dropped += batch.deleted;
      if (batch.listed < DROP_BATCH) return dropped;
    }
  }

  private async takeSeq(conversationId: string, session: ClientSession): Promise<number> {
    const before = await this.chats.findOneAndUpdate({ _id: conversationId }, TAKE_SEQ_UPDATE, { returnDocument: 'before', session }).lean<ChatConversationDoc>();
    if (!before) throw notKept(conversationId);
    return before.nextSeq;
  }

  private async replyOf(outboxId: number, session?: ClientSession): Promise<{ seq: number; created: false } | undefined> {
    const doc = await this.entries.findOne({ outboxId }, { seq: 1 }, session ? { session } : {}).lean<Pick<ChatEntryDoc, 'seq'>>();
    return doc ? { seq: doc.seq, created: false } : undefined;
  }
}

const toConversation = (d: ChatConversationDoc): ChatConversation => ({ id: d._id, userId: d.userId, keptUntil: d.keptUntil.toISOString() });
