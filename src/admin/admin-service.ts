import type { ApiToken, Role, StaffUser } from '../model/index.ts';
import type { AuditEntry, AuditQuery, RecordChange, RecordKind, StoredRecord } from '../store/admin-store.ts';
import { VersionConflictError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';
import { AdminError, invalid, zodProblems, type FieldProblem } from './admin-error.ts';
import { auditKindsHiddenFrom, mustRead, mustWrite } from './permissions.ts';
import type { CheckContext } from './record-checks.ts';
import { resourceByKind, type Resource } from './resources.ts';

/** Who is asking: their role decides what they may do; `ref` is what the audit says (user:…, token:…, cli:…). */
export interface Caller {
  role: Role;
  ref: string;
  /** the staff user behind a session or a token (none for the CLI's operator): what they may not do to themselves */
  userId?: string;
}

/** keys that name a prototype, not a field: never merged, never looked at (`{"__proto__": …}` from JSON is an own key) */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** every prototype key in a body, at any depth, by its dotted path */
function prototypeKeys(value: unknown, at = ''): FieldProblem[] {
  if (typeof value !== 'object' || value === null) return [];
  const problems: FieldProblem[] = [];
  for (const k of Object.keys(value)) {
    const field = at ? `${at}.${k}` : k;
    if (PROTOTYPE_KEYS.has(k)) problems.push({ field, message: 'not a field: a name that is refused' });
    else problems.push(...prototypeKeys((value as Record<string, unknown>)[k], field));
  }
  return problems;
}

/** a field set as an own property, whatever its name: `merged[k] = v` with k `__proto__` would set the prototype */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** zod's issues as field problems, an unknown key named as the field it is (zod says it of the object holding it) */
function schemaProblems(kind: RecordKind, issues: readonly { code?: string; path: readonly PropertyKey[]; message: string; keys?: readonly string[] }[]): FieldProblem[] {
  return issues.flatMap((i) =>
    i.code === 'unrecognized_keys' && i.keys?.length
      ? i.keys.map((k) => ({ field: [...i.path.map(String), k].join('.'), message: `not a field of a ${kind}` }))
      : zodProblems([i]),
  );
}

const isEnabledAdmin = (u: unknown) => (u as Partial<StaffUser>).enabled !== false && (u as Partial<StaffUser>).role === 'admin';

/** the user a caller is: a session's or token's user; a `user:` reference names one too */
function selfOf(caller: Caller): string | undefined {
  return caller.userId ?? (caller.ref.startsWith('user:') ? caller.ref.slice('user:'.length) : undefined);
}

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export interface Shown {
  item: unknown;
  version: number;
  /** a token's secret, given once when it is made */
  secret?: string;
}

export interface AdminServiceOptions {
  store: Store;
  /** config/categories.yaml's ids, which rules and SLA policies name */
  categories: readonly string[];
  /** after every change: the process's routing reloads at once (other processes see the version move) */
  changed?: () => Promise<void>;
  now?: () => Date;
}

const MAX_PAGE = 500;

/**
 * The records staff edit, behind the admin API and the CLI alike: validated in full (a 4xx naming the field,
 * nothing half-saved), checked against the other records, version-checked, and audited with before and after.
 */
export class AdminService {
  private readonly now: () => Date;
  constructor(private readonly o: AdminServiceOptions) {
    this.now = o.now ?? (() => new Date());
  }

  private context(): CheckContext {
    const admin = this.o.store.admin;
    const cache = new Map<RecordKind, Promise<unknown[]>>();
    return {
      categories: new Set(this.o.categories),
      records: <T>(kind: RecordKind) => {
        if (!cache.has(kind)) cache.set(kind, admin.listRecords(kind).then((rs) => rs.map((r) => r.data)));
        return cache.get(kind)! as Promise<T[]>;
      },
    };
  }

  private show(resource: Resource, r: StoredRecord): Shown {
    return { item: resource.view ? resource.view(r.data as never) : r.data, version: r.version };
  }

  async list(kind: RecordKind, caller: Caller, q: { offset?: number; limit?: number; filter?: Record<string, string> } = {}): Promise<Page<Shown>> {
    mustRead(caller.role, kind);
    const resource = resourceByKind(kind);
    const filter = Object.entries(q.filter ?? {}).filter(([k]) => resource.filters.includes(k));
    const all = (await this.o.store.admin.listRecords(kind)).filter((r) => filter.every(([k, v]) => String((r.data as Record<string, unknown>)[k]) === v));
    const offset = Math.max(0, q.offset ?? 0);
    const limit = Math.min(MAX_PAGE, Math.max(1, q.limit ?? 100));
    return { items: all.slice(offset, offset + limit).map((r) => this.show(resource, r)), total: all.length, offset, limit };
  }

  async get(kind: RecordKind, id: string, caller: Caller): Promise<Shown> {
    mustRead(caller.role, kind);
    const r = await this.stored(kind, id);
    return this.show(resourceByKind(kind), r);
  }

  async create(kind: RecordKind, body: Record<string, unknown>, caller: Caller): Promise<Shown> {
    mustWrite(caller.role, kind);
    const resource = resourceByKind(kind);
    this.refuseFields(resource, body, 'create');
    const prepared = resource.prepare ? await resource.prepare(body, this.now(), 'create') : body;
    const { secret, ...record } = prepared as Record<string, unknown> & { secret?: string };
    const valid = await this.validate(resource, record);
    const [saved] = await this.save([{ kind, id: valid.id, data: valid, expectVersion: 0, action: 'create' }], caller);
    return { ...this.show(resource, saved!), ...(typeof secret === 'string' ? { secret } : {}) };
  }

  /**
   * A merge patch, one level deep: the fields given replace the record's (an object given replaces the whole
   * object: `{"when": {…}}` is all of `when`), null removes an optional one; the id stays.
   */
  async update(kind: RecordKind, id: string, patch: Record<string, unknown>, caller: Caller, expectVersion?: number): Promise<Shown> {
    mustWrite(caller.role, kind);
    const resource = resourceByKind(kind);
    const current = await this.stored(kind, id);
    if (patch.id !== undefined && patch.id !== id) throw invalid([{ field: 'id', message: 'cannot be changed: create a new record and delete this one' }]);
    this.refuseFields(resource, patch, 'update');
    const merged: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(current.data as Record<string, unknown>)) setOwn(merged, k, v);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else setOwn(merged, k, v);
    }
    const at = this.now();
    const prepared = resource.prepare ? await resource.prepare(merged, at, 'update') : merged;
    const valid = await this.validate(resource, prepared);
    const changes: RecordChange[] = [{ kind, id, data: valid, expectVersion: expectVersion ?? current.version, action: 'update' }];
    if (kind === 'user') {
      const before = current.data as StaffUser;
      const after = valid as unknown as StaffUser;
      await this.keepAnAdmin(id, before, after, caller);
      // switched off: its tokens are revoked with it, as a disable does
      if (before.enabled !== false && !after.enabled) changes.push(...(await this.tokenRevocations(id, at)));
    }
    const [saved] = await this.save(changes, caller, at);
    if (kind === 'user' && (patch.password !== undefined || patch.enabled === false || patch.role !== undefined)) await this.o.store.admin.deleteSessionsOf(id);
    return this.show(resource, saved!);
  }

  async disable(kind: RecordKind, id: string, caller: Caller): Promise<Shown> {
    mustWrite(caller.role, kind);
    const resource = resourceByKind(kind);
    const current = await this.stored(kind, id);
    const at = this.now();
    const data = resource.disable(current.data as never, at);
    const changes: RecordChange[] = [{ kind, id, data, expectVersion: current.version, action: kind === 'token' ? 'revoke' : 'disable' }];
    if (kind === 'user') {
      await this.keepAnAdmin(id, current.data as StaffUser, data as StaffUser, caller);
      changes.push(...(await this.tokenRevocations(id, at)));
    }
    const [saved] = await this.save(changes, caller, at);
    if (kind === 'user') await this.o.store.admin.deleteSessionsOf(id);
    return this.show(resource, saved!);
  }

  async remove(kind: RecordKind, id: string, caller: Caller): Promise<void> {
    mustWrite(caller.role, kind);
    const resource = resourceByKind(kind);
    const current = await this.stored(kind, id);
    const problems = (await resource.beforeDelete?.(id, this.context())) ?? [];
    if (problems.length) throw invalid(problems);
    const at = this.now();
    const changes: RecordChange[] = [{ kind, id, data: null, expectVersion: current.version, action: 'delete' }];
    if (kind === 'user') {
      await this.keepAnAdmin(id, current.data as StaffUser, undefined, caller);
      // revoked, not left for whoever is given this user id next
      changes.push(...(await this.tokenRevocations(id, at)));
    }
    await this.save(changes, caller, at);
    if (kind === 'user') await this.o.store.admin.deleteSessionsOf(id);
  }

  /** the audit, newest first; entries about records the caller may not read (users, tokens for a supervisor) left out */
  async audit(caller: Caller, q: AuditQuery): Promise<AuditEntry[]> {
    mustRead(caller.role, 'audit');
    const hidden = new Set<string>(auditKindsHiddenFrom(caller.role));
    if (q.kind !== undefined && hidden.has(q.kind)) return [];
    if (hidden.size === 0 || q.kind !== undefined) return this.o.store.admin.listAudit(q);
    // a page of what may be shown: read on past the hidden entries until the page is full or the audit ends
    const shown: AuditEntry[] = [];
    let beforeId = q.beforeId;
    for (;;) {
      const batch = await this.o.store.admin.listAudit({ ...q, ...(beforeId !== undefined ? { beforeId } : {}) });
      shown.push(...batch.filter((a) => !hidden.has(a.kind)));
      if (batch.length < q.limit || shown.length >= q.limit) return shown.slice(0, q.limit);
      beforeId = batch.at(-1)!.id;
    }
  }

  /** a body's fields that may never be given: prototype keys, and what the resource keeps for itself */
  private refuseFields(resource: Resource, body: Record<string, unknown>, mode: 'create' | 'update'): void {
    const problems = [...prototypeKeys(body), ...(resource.refuse?.(body, mode) ?? [])];
    if (problems.length) throw invalid(problems);
  }

  /**
   * A change to user `id` that would lock the door: the caller disabling, deleting or demoting themself, or the
   * last enabled admin switched off, deleted or demoted. `next` undefined: deleted.
   */
  private async keepAnAdmin(id: string, current: StaffUser, next: StaffUser | undefined, caller: Caller): Promise<void> {
    const field = next === undefined ? 'id' : current.role !== next.role ? 'role' : 'enabled';
    const wasAdmin = isEnabledAdmin(current);
    const staysAdmin = next !== undefined && isEnabledAdmin(next);
    if (selfOf(caller) === id && current.enabled !== false && (next === undefined || !next.enabled || next.role !== current.role)) {
      const what = next === undefined ? 'delete' : field === 'role' ? 'change the role of' : 'disable';
      throw invalid([{ field, message: `you cannot ${what} yourself: another admin can` }]);
    }
    if (!wasAdmin || staysAdmin) return;
    const others = (await this.o.store.admin.listRecords('user')).some((r) => r.id !== id && isEnabledAdmin(r.data));
    if (!others) throw invalid([{ field, message: `"${id}" is the last enabled admin: make another user admin first` }]);
  }

  /** every live token of a user, revoked: saved in the same saveRecords as the user's change, each audited */
  private async tokenRevocations(userId: string, now: Date): Promise<RecordChange[]> {
    const at = now.toISOString();
    return (await this.o.store.admin.listRecords('token'))
      .filter((r) => (r.data as ApiToken).userId === userId && (r.data as ApiToken).revokedAt === undefined)
      .map((r) => ({ kind: 'token' as const, id: r.id, data: { ...(r.data as ApiToken), revokedAt: at }, expectVersion: r.version, action: 'revoke' }));
  }

  /** the record as stored, or 404 */
  private async stored(kind: RecordKind, id: string): Promise<StoredRecord> {
    const r = await this.o.store.admin.getRecord(kind, id);
    if (!r) throw new AdminError(404, `no ${kind} "${id}"`);
    return r;
  }

  private async validate(resource: Resource, body: unknown): Promise<{ id: string }> {
    const parsed = resource.schema.safeParse(body);
    if (!parsed.success) throw invalid(schemaProblems(resource.kind, parsed.error.issues));
    const problems = (await resource.check?.(parsed.data as never, this.context())) ?? [];
    if (problems.length) throw invalid(problems);
    return parsed.data;
  }

  private async save(changes: readonly RecordChange[], caller: Caller, at = this.now()): Promise<StoredRecord[]> {
    try {
      const saved = await this.o.store.admin.saveRecords(changes, caller.ref, at);
      await this.o.changed?.();
      return saved;
    } catch (err) {
      if (err instanceof VersionConflictError) throw new AdminError(409, err.message);
      throw err;
    }
  }
}
