import type { Role } from '../model/index.ts';
import type { RecordKind, StoredRecord } from '../store/admin-store.ts';
import { VersionConflictError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';
import { AdminError, invalid, zodProblems } from './admin-error.ts';
import { mustRead, mustWrite } from './permissions.ts';
import type { CheckContext } from './record-checks.ts';
import { resourceByKind, type Resource } from './resources.ts';

/** Who is asking: their role decides what they may do; `ref` is what the audit says (user:…, token:…, cli:…). */
export interface Caller {
  role: Role;
  ref: string;
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
    const r = await this.o.store.admin.getRecord(kind, id);
    if (!r) throw new AdminError(404, `no ${kind} "${id}"`);
    return this.show(resourceByKind(kind), r);
  }

  async create(kind: RecordKind, body: Record<string, unknown>, caller: Caller): Promise<Shown> {
    mustWrite(caller.role, kind);
    const resource = resourceByKind(kind);
    const prepared = resource.prepare ? await resource.prepare(body, this.now()) : body;
    const { secret, ...record } = prepared as Record<string, unknown> & { secret?: string };
    const valid = await this.validate(resource, record);
    const [saved] = await this.save([{ kind, id: valid.id, data: valid, expectVersion: 0, action: 'create' }], caller);
    return { ...this.show(resource, saved!), ...(typeof secret === 'string' ? { secret } : {}) };
  }

  /** a merge patch: the fields given replace the record's, null removes an optional one; the id stays */
  async update(kind: RecordKind, id: string, patch: Record<string, unknown>, caller: Caller, expectVersion?: number): Promise<Shown> {
    mustWrite(caller.role, kind);
    const resource = resourceByKind(kind);
    const current = await this.o.store.admin.getRecord(kind, id);
    if (!current) throw new AdminError(404, `no ${kind} "${id}"`);
    if (patch.id !== undefined && patch.id !== id) throw invalid([{ field: 'id', message: 'cannot be changed: create a new record and delete this one' }]);
    const merged: Record<string, unknown> = { ...(current.data as Record<string, unknown>) };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    const prepared = resource.prepare ? await resource.prepare(merged, this.now()) : merged;
    const valid = await this.validate(resource, prepared);
    const [saved] = await this.save([{ kind, id, data: valid, expectVersion: expectVersion ?? current.version, action: 'update' }], caller);
    if (kind === 'user' && (patch.password !== undefined || patch.enabled === false || patch.role !== undefined)) await this.o.store.admin.deleteSessionsOf(id);
    return this.show(resource, saved!);
  }

  async disable(kind: RecordKind, id: string, caller: Caller): Promise<Shown> {
    mustWrite(caller.role, kind);
    const resource = resourceByKind(kind);
    const current = await this.o.store.admin.getRecord(kind, id);
    if (!current) throw new AdminError(404, `no ${kind} "${id}"`);
    const data = resource.disable(current.data as never, this.now());
    const [saved] = await this.save([{ kind, id, data, expectVersion: current.version, action: kind === 'token' ? 'revoke' : 'disable' }], caller);
    if (kind === 'user') await this.o.store.admin.deleteSessionsOf(id);
    return this.show(resource, saved!);
  }

  async remove(kind: RecordKind, id: string, caller: Caller): Promise<void> {
    mustWrite(caller.role, kind);
    const resource = resourceByKind(kind);
    const current = await this.o.store.admin.getRecord(kind, id);
    if (!current) throw new AdminError(404, `no ${kind} "${id}"`);
    const problems = (await resource.beforeDelete?.(id, this.context())) ?? [];
    if (problems.length) throw invalid(problems);
    await this.save([{ kind, id, data: null, expectVersion: current.version, action: 'delete' }], caller);
    if (kind === 'user') await this.o.store.admin.deleteSessionsOf(id);
  }

  private async validate(resource: Resource, body: unknown): Promise<{ id: string }> {
    const parsed = resource.schema.safeParse(body);
    if (!parsed.success) throw invalid(zodProblems(parsed.error.issues));
    const problems = (await resource.check?.(parsed.data as never, this.context())) ?? [];
    if (problems.length) throw invalid(problems);
    return parsed.data;
  }

  private async save(changes: Parameters<Store['admin']['saveRecords']>[0], caller: Caller): Promise<StoredRecord[]> {
    try {
      const saved = await this.o.store.admin.saveRecords(changes, caller.ref, this.now());
      await this.o.changed?.();
      return saved;
    } catch (err) {
      if (err instanceof VersionConflictError) throw new AdminError(409, err.message);
      throw err;
    }
  }
}
