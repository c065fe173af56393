/**
 * The part of the store staff administration writes: configuration records (mappings, rules, SLA policies,
 * departments, wards, reply texts, users, API tokens), the append-only audit, and browser sessions.
 */

/** What a configuration record is; each kind's shape is validated by the admin layer before it is written. */
export type RecordKind = 'mapping' | 'rule' | 'sla' | 'department' | 'ward' | 'text' | 'user' | 'token';

export interface StoredRecord {
  kind: RecordKind;
  id: string;
  data: unknown;
  /** 1 when created, +1 at every change: an edit made on an old copy is refused (VersionConflictError) */
  version: number;
  updatedAt: string;
}

/** One write of a change set: `data: null` deletes the record. */
export interface RecordChange {
  kind: RecordKind;
  id: string;
  data: unknown | null;
  /** the version the editor read; absent: whatever is stored (a create must find none when it is 0) */
  expectVersion?: number;
  /** what the audit says was done: create, update, disable, delete, reorder, revoke … */
  action: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  /** `user:<id>`, `token:<id>`, `cli:<os user>`, `bootstrap` */
  actor: string;
  action: string;
  /** a record kind, or `ticket`, `dead-letter`, `session` */
  kind: string;
  recordId: string;
  before?: unknown;
  after?: unknown;
  note?: string;
}

export type AuditInput = Omit<AuditEntry, 'id' | 'at'>;

export interface AuditQuery {
  kind?: string;
  recordId?: string;
  actor?: string;
  /** entries older than this id (paging backwards) */
  beforeId?: number;
  limit: number;
}

export interface StaffSession {
  /** sha256 of the cookie's secret: a stolen database holds no usable session */
  id: string;
  userId: string;
  /** the CSRF token the session's forms and API calls must carry */
  csrf: string;
  createdAt: string;
  expiresAt: string;
}

export interface AdminStore {
  listRecords(kind: RecordKind): Promise<StoredRecord[]>;
  getRecord(kind: RecordKind, id: string): Promise<StoredRecord | undefined>;
  /**
   * Writes every change and its audit entry (before and after) in one transaction, and moves the configuration
   * version on: all of it or nothing. Throws VersionConflictError when a record is not at `expectVersion`.
   */
  saveRecords(changes: readonly RecordChange[], actor: string, at: Date): Promise<StoredRecord[]>;
  /** moves at every saveRecords: a process that sees a new value reloads its routing */
  configVersion(): Promise<number>;

  /** an entry for what is not a record (a ticket moved, a dead letter retried, a login refused) */
  appendAudit(entry: AuditInput, at: Date): Promise<AuditEntry>;
  /** newest first */
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;

  putSession(session: StaffSession): Promise<void>;
  /** a session not expired at `now` */
  getSession(id: string, now: Date): Promise<StaffSession | undefined>;
  deleteSession(id: string): Promise<void>;
  /** every session of a user (disabled, password changed); how many */
  deleteSessionsOf(userId: string): Promise<number>;
  dropExpiredSessions(now: Date): Promise<number>;
}
