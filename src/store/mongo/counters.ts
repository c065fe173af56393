import { Schema, type ClientSession, type Connection, type Model } from 'mongoose';

/** a named sequence: numeric ids (inbound, outbox, audit, history) and ticket numbers, as SQLite's rowids are */
export interface CounterDoc {
  _id: string;
  seq: number;
}

export const CounterSchema = new Schema<CounterDoc>({ _id: { type: String, required: true }, seq: { type: Number, required: true } }, { versionKey: false, collection: 'counters' });

export function counterModel(conn: Connection): Model<CounterDoc> {
  return (conn.models.Counter as Model<CounterDoc> | undefined) ?? conn.model<CounterDoc>('Counter', CounterSchema);
}

/** the update that reserves `n` numbers of a sequence (pure, for tests): the reply's seq is the last of them */
export function reserveUpdate(n: number): { $inc: { seq: number } } {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`cannot reserve ${n} numbers of a sequence`);
  return { $inc: { seq: n } };
}

/**
 * Reserves `n` consecutive numbers of the sequence `name` and returns them, the first being `start` for a new
 * sequence (default 1). Atomic in MongoDB (one findOneAndUpdate with upsert); inside `session` when given, so a
 * transaction that aborts gives its numbers back.
 */
export async function nextSeq(conn: Connection, name: string, n = 1, opts: { start?: number; session?: ClientSession } = {}): Promise<number[]> {
  const start = opts.start ?? 1;
  const counters = counterModel(conn);
  // a new sequence starts at start - 1 + n: $setOnInsert cannot touch the field $inc changes, so seed it first
  if (start !== 1) await counters.updateOne({ _id: name }, { $setOnInsert: { seq: start - 1 } }, { upsert: true, ...(opts.session ? { session: opts.session } : {}) });
  const doc = await counters.findOneAndUpdate({ _id: name }, reserveUpdate(n), { upsert: true, returnDocument: 'after', ...(opts.session ? { session: opts.session } : {}) }).lean();
  const last = doc!.seq;
  return Array.from({ length: n }, (_, i) => last - n + 1 + i);
}
