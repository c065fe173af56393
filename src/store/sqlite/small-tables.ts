import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ChannelMapping } from '../../model/index.ts';
import { EtagConflictError } from '../errors.ts';
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
      if (row) found.push({ key: row.key, data: JSON.parse(row.data) as unknown, etag: row.etag });
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

/** Staff-edited channel mappings, kept as validated JSON documents. */
export class MappingTable {
  private readonly all;
  private readonly put;
  private readonly remove;

  constructor(db: Database.Database) {
    this.all = db.prepare(`SELECT json FROM channel_mappings ORDER BY id`);
    this.put = db.prepare<[string, string]>(
      `INSERT INTO channel_mappings (id, json) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json`,
    );
    this.remove = db.prepare<[string]>(`DELETE FROM channel_mappings WHERE id = ?`);
  }

  /** parsed on the way out too, so defaults added to the schema later reach old rows */
  list(): ChannelMapping[] {
    return (this.all.all() as { json: string }[]).map((r) => ChannelMapping.parse(JSON.parse(r.json)));
  }

  upsert(mapping: ChannelMapping): void {
    const valid = ChannelMapping.parse(mapping);
    this.put.run(valid.id, JSON.stringify(valid));
  }

  delete(id: string): boolean {
    return this.remove.run(id).changes === 1;
  }
}
