import { Schema, type Connection, type Model } from 'mongoose';
import { ChannelMapping } from '../../model/index.ts';
import { adminRecordModel, asJson, CONFIG_COUNTER, recordFilter, type AdminRecordDoc } from './admin.ts';
import { inTransaction } from './connection.ts';
import { nextSeq } from './counters.ts';
import { isDuplicateKey } from './mongo-errors.ts';

export interface CursorDoc {
  _id: string;
  value: string;
}

export const CursorSchema = new Schema<CursorDoc>({ _id: { type: String, required: true }, value: { type: String, required: true } }, { collection: 'cursors', versionKey: false });

export function cursorModel(conn: Connection): Model<CursorDoc> {
  return (conn.models.Cursor as Model<CursorDoc> | undefined) ?? conn.model<CursorDoc>('Cursor', CursorSchema);
}

// ——— pure builders (tested without a server) ———

export function setCursorUpdate(value: string): { $set: { value: string } } {
  return { $set: { value } };
}

/** one upsert per cursor, for one bulkWrite */
export function setCursorsOps(entries: readonly { key: string; value: string }[]): { updateOne: { filter: { _id: string }; update: { $set: { value: string } }; upsert: true } }[] {
  return entries.map((e) => ({ updateOne: { filter: { _id: e.key }, update: setCursorUpdate(e.value), upsert: true } }));
}

/** a regex that matches `text` literally: a prefix may hold ".", "*", "(" … */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** anchored at the start, so MongoDB reads it as a range of the _id index, as SQLite's `key >= ? AND key < ?` */
export function cursorPrefixFilter(prefix: string): { _id: { $regex: string } } {
  return { _id: { $regex: `^${escapeRegex(prefix)}` } };
}

export const MAPPING_KIND = 'mapping' as const;

/** a mapping written here is a record like those staff edit: its version moves on each write, 1 when new */
export function upsertMappingUpdate(mapping: ChannelMapping, now: Date): { $set: { data: unknown; updatedAt: Date }; $inc: { version: 1 } } {
  return { $set: { data: asJson(mapping), updatedAt: now }, $inc: { version: 1 } };
}

// E11000 on an upsert: another writer made the same key an instant before; the write again finds and updates it
async function upsertOnce<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return write();
  }
}

/** Poll cursors and channel health, keyed by name. */
export class MongoCursors {
  private readonly cursors: Model<CursorDoc>;

  constructor(private readonly conn: Connection) {
    this.cursors = cursorModel(conn);
  }

  async ensureIndexes(): Promise<void> {
    // the _id index is all it needs: made with the collection, here at start, not implicitly by the first write
    // (inside a transaction, where two processes making it at once would conflict)
    await this.cursors.createCollection();
    await this.cursors.createIndexes();
  }

  async getCursor(key: string): Promise<string | undefined> {
    return (await this.cursors.findById(key).lean<CursorDoc>())?.value;
  }

  async setCursor(key: string, value: string): Promise<void> {
    await upsertOnce(() => this.cursors.updateOne({ _id: key }, setCursorUpdate(value), { upsert: true }));
  }

  /** all of them or none, as SQLite's one transaction */
  async setCursors(entries: readonly { key: string; value: string }[]): Promise<void> {
    if (entries.length === 0) return;
    await upsertOnce(() => inTransaction(this.conn, (session) => this.cursors.bulkWrite(setCursorsOps(entries), { session, ordered: true })));
  }

  async listCursors(prefix: string): Promise<{ key: string; value: string }[]> {
    const docs = await this.cursors.find(cursorPrefixFilter(prefix)).sort({ _id: 1 }).lean<CursorDoc[]>();
    return docs.map((d) => ({ key: d._id, value: d.value }));
  }
}

/** Channel mappings: the `mapping` records staff edit (admin.ts), read and written as mappings. */
export class MongoMappings {
  private readonly records: Model<AdminRecordDoc>;

  constructor(private readonly conn: Connection) {
    this.records = adminRecordModel(conn);
  }

  /** the records' indexes (admin.ts makes the same; creating them twice is harmless) */
  async ensureIndexes(): Promise<void> {
    await this.records.createIndexes();
  }

  /** parsed on the way out too, so defaults added to the schema later reach old records */
  async listMappings(): Promise<ChannelMapping[]> {
    const docs = await this.records.find({ kind: MAPPING_KIND }).sort({ recordId: 1 }).lean<AdminRecordDoc[]>();
    return docs.map((d) => ChannelMapping.parse(d.data));
  }

  async upsertMapping(mapping: ChannelMapping): Promise<void> {
    const valid = ChannelMapping.parse(mapping);
    await upsertOnce(() => this.records.updateOne(recordFilter(MAPPING_KIND, valid.id), upsertMappingUpdate(valid, new Date()), { upsert: true }));
    // a mapping written here (config, a test) is a change like any other: every process's routing reloads
    await this.bumpConfig();
  }

  async deleteMapping(id: string): Promise<boolean> {
    const gone = (await this.records.deleteOne(recordFilter(MAPPING_KIND, id))).deletedCount === 1;
    if (gone) await this.bumpConfig();
    return gone;
  }

  private async bumpConfig(): Promise<void> {
    await nextSeq(this.conn, CONFIG_COUNTER);
  }
}
