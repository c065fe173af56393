import type Database from 'better-sqlite3';
import type { AdminStore, AuditEntry, AuditInput, AuditQuery, RecordChange, RecordKind, StaffSession, StoredRecord } from '../admin-store.ts';
import { VersionConflictError } from '../errors.ts';
import { opt } from './rows.ts';

interface RecordRow {
  kind: RecordKind;
  id: string;
  data: string;
  version: number;
  updated_at: string;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  kind: string;
  record_id: string;
  before: string | null;
  after: string | null;
  note: string | null;
}

/** the counter every write of a record moves (counters table): what RoutingTable asks */
export const CONFIG_COUNTER = 'config-version';
// a password's or token's hash is never copied into the audit, which supervisors read: only that it was set or changed
const SECRET_FIELDS = ['passwordHash', 'hash'] as const;

function auditCopy(json: string | undefined, other: string | undefined): string | null {
  if (json === undefined) return null;
  const value = JSON.parse(json) as Record<string, unknown>;
  const theirs = other === undefined ? {} : (JSON.parse(other) as Record<string, unknown>);
  for (const f of SECRET_FIELDS) if (f in value) value[f] = value[f] === theirs[f] ? '(set)' : '(changed)';
  return JSON.stringify(value);
}

function toRecord(r: RecordRow): StoredRecord {
  return { kind: r.kind, id: r.id, data: JSON.parse(r.data) as unknown, version: r.version, updatedAt: r.updated_at };
}

function toAudit(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    kind: r.kind,
    recordId: r.record_id,
    ...opt('before', r.before === null ? null : (JSON.parse(r.before) as unknown)),
    ...opt('after', r.after === null ? null : (JSON.parse(r.after) as unknown)),
    ...opt('note', r.note),
  };
}

/** Configuration records, the audit and sessions on SQLite; each write is synchronous and short. */
export class AdminTables implements AdminStore {
  private readonly byKind;
  private readonly one;
  private readonly put;
  private readonly remove;
  private readonly bump;
  private readonly version;
  private readonly audit;
  private readonly saveTx;
  private readonly sessions;

  constructor(private readonly db: Database.Database) {
    this.byKind = db.prepare<[string]>(`SELECT * FROM admin_records WHERE kind = ? ORDER BY id`);
    this.one = db.prepare<[string, string]>(`SELECT * FROM admin_records WHERE kind = ? AND id = ?`);
    this.put = db.prepare<[string, string, string, number, string]>(
      `INSERT INTO admin_records (kind, id, data, version, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET data = excluded.data, version = excluded.version, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare<[string, string]>(`DELETE FROM admin_records WHERE kind = ? AND id = ?`);
    this.bump = db.prepare<[string]>(
      `INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1`,
    );
    this.version = db.prepare<[string]>(`SELECT value FROM counters WHERE name = ?`);
    this.audit = db.prepare<[string, string, string, string, string, string | null, string | null, string | null]>(
      `INSERT INTO audit (at, actor, action, kind, record_id, before, after, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    );
    this.saveTx = db.transaction((changes: readonly RecordChange[], actor: string, at: string) => changes.map((c) => this.saveOne(c, actor, at)));
    this.sessions = {
      put: db.prepare<[string, string, string, string, string]>(
        `INSERT INTO staff_sessions (id, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at`,
      ),
      get: db.prepare<[string, string]>(`SELECT * FROM staff_sessions WHERE id = ? AND expires_at > ?`),
      remove: db.prepare<[string]>(`DELETE FROM staff_sessions WHERE id = ?`),
      removeOf: db.prepare<[string]>(`DELETE FROM staff_sessions WHERE user_id = ?`),
      expired: db.prepare<[string]>(`DELETE FROM staff_sessions WHERE expires_at <= ?`),
    };
  }

  /** within saveTx: the record as it is now, checked against the version the editor read */
  private saveOne(change: RecordChange, actor: string, at: string): StoredRecord {
    const before = this.one.get(change.kind, change.id) as RecordRow | undefined;
    const actual = before?.version ?? 0;
    if (change.expectVersion !== undefined && change.expectVersion !== actual) throw new VersionConflictError(change.kind, change.id, change.expectVersion, actual);
    if (change.data === null && !before) throw new VersionConflictError(change.kind, change.id, change.expectVersion ?? 1, 0);
    const after = change.data === null ? undefined : JSON.stringify(change.data);
    if (after === undefined) this.remove.run(change.kind, change.id);
    else this.put.run(change.kind, change.id, after, actual + 1, at);
    this.audit.run(at, actor, change.action, change.kind, change.id, auditCopy(before?.data, after), auditCopy(after, before?.data), null);
    this.bump.run(CONFIG_COUNTER);
    return { kind: change.kind, id: change.id, data: change.data, version: after === undefined ? 0 : actual + 1, updatedAt: at };
  }

  async listRecords(kind: RecordKind): Promise<StoredRecord[]> {
    return (this.byKind.all(kind) as RecordRow[]).map(toRecord);
  }

  async getRecord(kind: RecordKind, id: string): Promise<StoredRecord | undefined> {
    const row = this.one.get(kind, id) as RecordRow | undefined;
    return row && toRecord(row);
  }

  async saveRecords(changes: readonly RecordChange[], actor: string, at: Date): Promise<StoredRecord[]> {
    return this.saveTx.immediate(changes, actor, at.toISOString());
  }

  async configVersion(): Promise<number> {
    return (this.version.get(CONFIG_COUNTER) as { value: number } | undefined)?.value ?? 0;
  }

  async appendAudit(entry: AuditInput, at: Date): Promise<AuditEntry> {
    return this.appendAuditNow(entry, at);
  }

  /** synchronous, for a caller inside its own transaction (a ticket's change and its entry commit together) */
  appendAuditNow(entry: AuditInput, at: Date): AuditEntry {
    const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
    const row = this.audit.get(at.toISOString(), entry.actor, entry.action, entry.kind, entry.recordId, json(entry.before), json(entry.after), entry.note ?? null) as AuditRow;
    return toAudit(row);
  }

  async listAudit(query: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (sql: string, value: string | number | undefined) => {
      if (value === undefined) return;
      where.push(sql);
      params.push(value);
    };
    add('kind = ?', query.kind);
    add('record_id = ?', query.recordId);
    add('actor = ?', query.actor);
    add('id < ?', query.beforeId);
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, query.limit) as AuditRow[]).map(toAudit);
  }

  async putSession(s: StaffSession): Promise<void> {
    this.sessions.put.run(s.id, s.userId, s.csrf, s.createdAt, s.expiresAt);
  }

  async getSession(id: string, now: Date): Promise<StaffSession | undefined> {
    const row = this.sessions.get.get(id, now.toISOString()) as { id: string; user_id: string; csrf: string; created_at: string; expires_at: string } | undefined;
    return row && { id: row.id, userId: row.user_id, csrf: row.csrf, createdAt: row.created_at, expiresAt: row.expires_at };
  }

  async deleteSession(id: string): Promise<void> {
    this.sessions.remove.run(id);
  }

  async deleteSessionsOf(userId: string): Promise<number> {
    return this.sessions.removeOf.run(userId).changes;
  }

  async dropExpiredSessions(now: Date): Promise<number> {
    return this.sessions.expired.run(now.toISOString()).changes;
  }
}
