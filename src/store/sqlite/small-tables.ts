import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ChannelMapping } from '../../model/index.ts';
import { EtagConflictError } from '../errors.ts';
import { CONFIG_COUNTER } from './admin-tables.ts';
import type { StoredConversation } from '../store.ts';

/** Bot conversation state with eTags (botbuilder's Storage semantics). */
export class ConversationTable {
  private readonly read;
  private readonly put;
  private readonly swap;
  private readonly remove;

  constructor(db: Database.Database) {
    this.read = db.prepare<[string]>(`SELECT key, data, etag FROM conversations WHERE key = ?`);
    this.put = db.prepare<[string, string, string]>(
      `INSERT INTO conversations (key, data, etag) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET data = excluded.data, etag = excluded.etag`,
    );
    this.swap = db.prepare<[string, string, string, string]>(
      `UPDATE conversations SET data = ?, etag = ? WHERE key = ? AND etag = ?`,
    );
    this.remove = db.prepare<[string]>(`DELETE FROM conversations WHERE key = ?`);
  }

  /** only the keys that exist, in the order asked */
  readMany(keys: string[]): StoredConversation[] {
    const found: StoredConversation[] = [];
    for (const key of keys) {
      const row = this.read.get(key) as { key: string; data: string; etag: string } | undefined;
      if (row) found.push({ key: row.key, data: readState(row.data), etag: row.etag });
    }
    return found;
  }

  /** a specific eTag must match the stored one; for a key that does not exist it can only be a conflict */
  write(key: string, data: unknown, etag?: string): string {
    const next = randomUUID();
    const json = JSON.stringify(data ?? null);
    if (etag === undefined || etag === '*') this.put.run(key, json, next);
    else if (this.swap.run(json, next, key, etag).changes === 0) throw new EtagConflictError(key);
    return next;
  }

  delete(key: string): void {
    this.remove.run(key);
  }
}

export class CursorTable {
  private readonly read;
  private readonly put;
  private readonly byPrefix;
  private readonly putMany;

  constructor(db: Database.Database) {
    this.read = db.prepare<[string]>(`SELECT value FROM cursors WHERE key = ?`);
    this.put = db.prepare<[string, string]>(
      `INSERT INTO cursors (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
    this.putMany = db.transaction((entries: readonly { key: string; value: string }[]) => {
      for (const e of entries) this.put.run(e.key, e.value);
    });
    // a range on the key (the primary key's index), not LIKE: a prefix may hold _ or %
    this.byPrefix = db.prepare<[string, string]>(`SELECT key, value FROM cursors WHERE key >= ? AND key < ? ORDER BY key`);
  }

  setMany(entries: readonly { key: string; value: string }[]): void {
    this.putMany(entries);
  }

  list(prefix: string): { key: string; value: string }[] {
    return this.byPrefix.all(prefix, `${prefix}\uffff`) as { key: string; value: string }[];
  }

  get(key: string): string | undefined {
    return (this.read.get(key) as { value: string } | undefined)?.value;
  }

  set(key: string, value: string): void {
    this.put.run(key, value);
  }
}

/** Channel mappings: the `mapping` records staff edit (admin-tables.ts), read and written as mappings. */
export class MappingTable {
  private readonly all;
  private readonly put;
  private readonly remove;
  private readonly bump;

  constructor(db: Database.Database) {
    this.all = db.prepare(`SELECT data FROM admin_records WHERE kind = 'mapping' ORDER BY id`);
    this.put = db.prepare<[string, string, string]>(
      `INSERT INTO admin_records (kind, id, data, version, updated_at) VALUES ('mapping', ?, ?, 1, ?)
       ON CONFLICT (kind, id) DO UPDATE SET data = excluded.data, version = version + 1, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare<[string]>(`DELETE FROM admin_records WHERE kind = 'mapping' AND id = ?`);
    // a mapping written here (config, a test) is a change like any other: every process's routing reloads
    this.bump = db.prepare(`INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1`).bind(CONFIG_COUNTER);
  }

  /** parsed on the way out too, so defaults added to the schema later reach old rows */
  list(): ChannelMapping[] {
    return (this.all.all() as { data: string }[]).map((r) => ChannelMapping.parse(JSON.parse(r.data)));
  }

  upsert(mapping: ChannelMapping): void {
    const valid = ChannelMapping.parse(mapping);
    this.put.run(valid.id, JSON.stringify(valid), new Date().toISOString());
    this.bump.run();
  }

  delete(id: string): boolean {
    const gone = this.remove.run(id).changes === 1;
    if (gone) this.bump.run();
    return gone;
  }
}

/** a torn state (a damaged page) starts the conversation again: its eTag is kept, so the next turn replaces it */
function readState(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return {};
  }
}
