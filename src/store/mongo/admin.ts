import { Schema, type ClientSession, type Connection, type Model } from 'mongoose';
import type { AdminStore, AuditEntry, AuditInput, AuditQuery, RecordChange, RecordKind, StaffSession, StoredRecord } from '../admin-store.ts';
import { VersionConflictError } from '../errors.ts';
import { inTransaction } from './connection.ts';
import { counterModel, nextSeq } from './counters.ts';
import { isDuplicateKey } from './mongo-errors.ts';

/** the counter every write of a record moves: what a process polls to know its routing must reload */
export const CONFIG_COUNTER = 'config-version';
/** the sequence audit ids come from: numbers, newest highest, as SQLite's rowids */
export const AUDIT_SEQ = 'audit';

// exhaustive by its type: a new RecordKind that is not listed here does not compile
const KINDS: Record<RecordKind, true> = { mapping: true, rule: true, sla: true, department: true, ward: true, text: true, user: true, token: true };
export const RECORD_KINDS = Object.keys(KINDS) as RecordKind[];

export interface AdminRecordDoc {
  kind: RecordKind;
  recordId: string;
  data: unknown;
  version: number;
  updatedAt: Date;
}

export interface AdminAuditDoc {
  _id: number;
  at: Date;
  actor: string;
  action: string;
  kind: string;
  recordId: string;
  before?: unknown;
  after?: unknown;
  note?: string;
}

export interface StaffSessionDoc {
  _id: string;
  userId: string;
  csrf: string;
  createdAt: Date;
  expiresAt: Date;
}

// minimize off: a record's `{}` (an empty name map) is kept as written, as SQLite's JSON keeps it
export const AdminRecordSchema = new Schema<AdminRecordDoc>(
  {
    kind: { type: String, required: true, enum: RECORD_KINDS },
    recordId: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
    version: { type: Number, required: true, min: 1 },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'admin_records', versionKey: false, minimize: false },
);
AdminRecordSchema.index({ kind: 1, recordId: 1 }, { unique: true });

export const AdminAuditSchema = new Schema<AdminAuditDoc>(
  {
    _id: { type: Number, required: true },
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    kind: { type: String, required: true },
    recordId: { type: String, required: true },
    before: Schema.Types.Mixed,
    after: Schema.Types.Mixed,
    note: String,
  },
  { collection: 'admin_audit', versionKey: false, minimize: false },
);
// a record's or ticket's entries, and an actor's, newest first
AdminAuditSchema.index({ kind: 1, recordId: 1, _id: -1 });
AdminAuditSchema.index({ actor: 1, _id: -1 });

export const StaffSessionSchema = new Schema<StaffSessionDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    csrf: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'staff_sessions', versionKey: false },
);
StaffSessionSchema.index({ userId: 1 });
// MongoDB removes expired sessions itself (within a minute or so); getSession still checks the time
StaffSessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export function adminRecordModel(conn: Connection): Model<AdminRecordDoc> {
  return (conn.models.AdminRecord as Model<AdminRecordDoc> | undefined) ?? conn.model<AdminRecordDoc>('AdminRecord', AdminRecordSchema);
}
export function adminAuditModel(conn: Connection): Model<AdminAuditDoc> {
  return (conn.models.AdminAudit as Model<AdminAuditDoc> | undefined) ?? conn.model<AdminAuditDoc>('AdminAudit', AdminAuditSchema);
}
export function staffSessionModel(conn: Connection): Model<StaffSessionDoc> {
  return (conn.models.StaffSession as Model<StaffSessionDoc> | undefined) ?? conn.model<StaffSessionDoc>('StaffSession', StaffSessionSchema);
}

// ——— pure builders: every filter and update the store sends (tested without a server) ———

/** a value as SQLite's JSON column gives it back: undefined fields gone, dates as strings */
export function asJson(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

// a password's or token's hash is never copied into the audit, which supervisors read: only that it was set or changed
const SECRET_FIELDS = ['passwordHash', 'hash'] as const;

/** the copy of a record the audit keeps: its secrets replaced by whether they changed against `other` */
export function auditCopy(value: unknown, other: unknown): unknown {
  if (value === undefined || value === null || typeof value !== 'object') return value ?? undefined;
  const copy = { ...(value as Record<string, unknown>) };
  const theirs = other !== null && typeof other === 'object' ? (other as Record<string, unknown>) : {};
  for (const f of SECRET_FIELDS) if (f in copy) copy[f] = copy[f] === theirs[f] ? '(set)' : '(changed)';
  return copy;
}

export function recordFilter(kind: RecordKind, id: string): { kind: RecordKind; recordId: string } {
  return { kind, recordId: id };
}

/** the stored record a change writes over: the version read, so a concurrent writer's change is never overwritten */
export function saveRecordFilter(change: RecordChange, actual: number): { kind: RecordKind; recordId: string; version?: number } {
  return actual === 0 ? recordFilter(change.kind, change.id) : { ...recordFilter(change.kind, change.id), version: actual };
}

/** the write of a change that keeps its record (upserted when `actual` is 0) */
export function saveRecordUpdate(change: RecordChange, actual: number, at: Date): { $set: { data: unknown; version: number; updatedAt: Date } } {
  return { $set: { data: asJson(change.data), version: actual + 1, updatedAt: at } };
}

export function auditDoc(id: number, entry: AuditInput, at: Date): AdminAuditDoc {
  return {
    _id: id,
    at,
    actor: entry.actor,
    action: entry.action,
    kind: entry.kind,
    recordId: entry.recordId,
    ...(entry.before === undefined ? {} : { before: asJson(entry.before) }),
    ...(entry.after === undefined ? {} : { after: asJson(entry.after) }),
    ...(entry.note === undefined ? {} : { note: entry.note }),
  };
}

export function listAuditFilter(query: AuditQuery): Record<string, unknown> {
  return {
    ...(query.kind === undefined ? {} : { kind: query.kind }),
    ...(query.recordId === undefined ? {} : { recordId: query.recordId }),
    ...(query.actor === undefined ? {} : { actor: query.actor }),
    ...(query.beforeId === undefined ? {} : { _id: { $lt: query.beforeId } }),
  };
}

/** as SQLite's ON CONFLICT: a session put again only moves its expiry; whose it is and its CSRF token stay */
export function putSessionUpdate(s: StaffSession): { $set: { expiresAt: Date }; $setOnInsert: { userId: string; csrf: string; createdAt: Date } } {
  return { $set: { expiresAt: new Date(s.expiresAt) }, $setOnInsert: { userId: s.userId, csrf: s.csrf, createdAt: new Date(s.createdAt) } };
}

export function liveSessionFilter(id: string, now: Date): { _id: string; expiresAt: { $gt: Date } } {
  return { _id: id, expiresAt: { $gt: now } };
}

export function expiredSessionsFilter(now: Date): { expiresAt: { $lte: Date } } {
  return { expiresAt: { $lte: now } };
}

export function toStoredRecord(d: AdminRecordDoc): StoredRecord {
  return { kind: d.kind, id: d.recordId, data: d.data, version: d.version, updatedAt: d.updatedAt.toISOString() };
}

export function toAuditEntry(d: AdminAuditDoc): AuditEntry {
  return {
    id: d._id,
    at: d.at.toISOString(),
    actor: d.actor,
    action: d.action,
    kind: d.kind,
    recordId: d.recordId,
    ...(d.before === undefined || d.before === null ? {} : { before: d.before }),
    ...(d.after === undefined || d.after === null ? {} : { after: d.after }),
    ...(d.note === undefined || d.note === null ? {} : { note: d.note }),
  };
}

const toSession = (d: StaffSessionDoc): StaffSession => ({ id: d._id, userId: d.userId, csrf: d.csrf, createdAt: d.createdAt.toISOString(), expiresAt: d.expiresAt.toISOString() });

/** Configuration records, the audit and staff sessions on MongoDB; a change set is one transaction (a replica set). */
export class MongoAdminStore implements AdminStore {
  private readonly records: Model<AdminRecordDoc>;
  private readonly audit: Model<AdminAuditDoc>;
  private readonly sessions: Model<StaffSessionDoc>;

  constructor(private readonly conn: Connection) {
    this.records = adminRecordModel(conn);
    this.audit = adminAuditModel(conn);
    this.sessions = staffSessionModel(conn);
  }

  async ensureIndexes(): Promise<void> {
    await Promise.all([this.records.createIndexes(), this.audit.createIndexes(), this.sessions.createIndexes()]);
  }

  async listRecords(kind: RecordKind): Promise<StoredRecord[]> {
    const docs = await this.records.find({ kind }).sort({ recordId: 1 }).lean<AdminRecordDoc[]>();
    return docs.map(toStoredRecord);
  }

  async getRecord(kind: RecordKind, id: string): Promise<StoredRecord | undefined> {
    const doc = await this.records.findOne(recordFilter(kind, id)).lean<AdminRecordDoc>();
    return doc ? toStoredRecord(doc) : undefined;
  }

  async saveRecords(changes: readonly RecordChange[], actor: string, at: Date): Promise<StoredRecord[]> {
    if (changes.length === 0) return [];
    const attempt = () => inTransaction(this.conn, (session) => this.saveAll(changes, actor, at, session));
    try {
      return await attempt();
    } catch (err) {
      // two creates of one record raced: once more, reading what the other made (a conflict, or an edit on it)
      if (!isDuplicateKey(err)) throw err;
      return attempt();
    }
  }

  /** within the transaction: each record as it is now (the set's own earlier writes included), checked, written */
  private async saveAll(changes: readonly RecordChange[], actor: string, at: Date, session: ClientSession): Promise<StoredRecord[]> {
    const ids = await nextSeq(this.conn, AUDIT_SEQ, changes.length, { session });
    const saved: StoredRecord[] = [];
    const audits: AdminAuditDoc[] = [];
    for (const [i, change] of changes.entries()) {
      const before = await this.records.findOne(recordFilter(change.kind, change.id), null, { session }).lean<AdminRecordDoc>();
      const actual = before?.version ?? 0;
      if (change.expectVersion !== undefined && change.expectVersion !== actual) throw new VersionConflictError(change.kind, change.id, change.expectVersion, actual);
      if (change.data === null && !before) throw new VersionConflictError(change.kind, change.id, change.expectVersion ?? 1, 0);
      const after = change.data === null ? undefined : asJson(change.data);
      if (after === undefined) await this.records.deleteOne(saveRecordFilter(change, actual), { session });
      else {
        const res = await this.records.updateOne(saveRecordFilter(change, actual), saveRecordUpdate(change, actual, at), { upsert: actual === 0, session });
        if (res.matchedCount === 0 && res.upsertedCount === 0) throw new VersionConflictError(change.kind, change.id, actual, actual + 1);
      }
      audits.push(auditDoc(ids[i]!, { actor, action: change.action, kind: change.kind, recordId: change.id, before: auditCopy(before?.data, after), after: auditCopy(after, before?.data) }, at));
      saved.push({ kind: change.kind, id: change.id, data: change.data, version: after === undefined ? 0 : actual + 1, updatedAt: at.toISOString() });
    }
    await this.audit.insertMany(audits, { session });
    await nextSeq(this.conn, CONFIG_COUNTER, changes.length, { session });
    return saved;
  }

  async configVersion(): Promise<number> {
    const doc = await counterModel(this.conn).findById(CONFIG_COUNTER).lean();
    return doc?.seq ?? 0;
  }

  async appendAudit(entry: AuditInput, at: Date): Promise<AuditEntry> {
    return this.appendAuditIn(entry, at);
  }

  /** for a caller inside its own transaction (a ticket's change and its entry commit together) */
  async appendAuditIn(entry: AuditInput, at: Date, session?: ClientSession): Promise<AuditEntry> {
    const [id] = await nextSeq(this.conn, AUDIT_SEQ, 1, session ? { session } : {});
    const doc = auditDoc(id!, entry, at);
    await this.audit.insertMany([doc], session ? { session } : {});
    return toAuditEntry(doc);
  }

  async listAudit(query: AuditQuery): Promise<AuditEntry[]> {
    if (query.limit <= 0) return [];
    const docs = await this.audit.find(listAuditFilter(query)).sort({ _id: -1 }).limit(query.limit).lean<AdminAuditDoc[]>();
    return docs.map(toAuditEntry);
  }

  async putSession(s: StaffSession): Promise<void> {
    await this.sessions.updateOne({ _id: s.id }, putSessionUpdate(s), { upsert: true });
  }

  async getSession(id: string, now: Date): Promise<StaffSession | undefined> {
    const doc = await this.sessions.findOne(liveSessionFilter(id, now)).lean<StaffSessionDoc>();
    return doc ? toSession(doc) : undefined;
  }

  async deleteSession(id: string): Promise<void> {
    await this.sessions.deleteOne({ _id: id });
  }

  async deleteSessionsOf(userId: string): Promise<number> {
    return (await this.sessions.deleteMany({ userId })).deletedCount;
  }

  async dropExpiredSessions(now: Date): Promise<number> {
    return (await this.sessions.deleteMany(expiredSessionsFilter(now))).deletedCount;
  }
}
