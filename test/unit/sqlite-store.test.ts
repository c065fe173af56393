import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import { currentVersion, LATEST_VERSION, MIGRATIONS, migrate } from '../../src/store/sqlite/migrations.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { describeStoreContract } from '../contract/store.contract.ts';
import { CONTRACT_FIRST_TICKET_NUMBER, CONTRACT_TICKET_PREFIX, draft, inbound, outbound } from '../contract/store-fixtures.ts';

const OPTS = { ticketPrefix: CONTRACT_TICKET_PREFIX, firstTicketNumber: CONTRACT_FIRST_TICKET_NUMBER };

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'pmc-store-'));
}

describeStoreContract('SqliteStore', async () => {
  const dir = tempDir();
  const file = join(dir, 'nested', 'bridge.db'); // the parent directory is created on open
  const opened: Store[] = [SqliteStore.open(file, OPTS)];
  return {
    store: opened[0]!,
    reopen: async () => {
      const s = SqliteStore.open(file, OPTS);
      opened.push(s);
      return s;
    },
    cleanup: async () => {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteStore on disk', () => {
  const dirs: string[] = [];
  const stores: Store[] = [];
  const dbs: Database.Database[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dbs.splice(0)) d.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const fresh = (opts: Partial<typeof OPTS> & { archiveSync?: 'FULL' | 'NORMAL' } = {}) => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir, 'bridge.db');
    const store = SqliteStore.open(file, { ...OPTS, ...opts });
    stores.push(store);
    return { file, store };
  };
  const raw = (file: string) => {
    const db = new Database(file);
    dbs.push(db);
    return db;
  };

  it('runs in WAL mode with the schema at the latest version', async () => {
    const { file } = fresh();
    const db = raw(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(currentVersion(db)).toBe(LATEST_VERSION);
    expect(LATEST_VERSION).toBe(MIGRATIONS.at(-1)!.version);
  });

  it('re-running the migrations on an existing file changes nothing', async () => {
    const { file, store } = fresh();
    const [r] = await store.archiveInbound([inbound()]);
    await store.close();
    const db = raw(file);
    expect(migrate(db)).toEqual([]);
    expect(currentVersion(db)).toBe(LATEST_VERSION);
    db.close();

    const again = SqliteStore.open(file, OPTS); // opening runs migrate() once more
    stores.push(again);
    expect((await again.getInbound(r!.id))?.state).toBe('pending');
  });

  it('applies only the missing migrations, in order', () => {
    const db = new Database(':memory:');
    dbs.push(db);
    const steps = [
      { version: 1, name: 'a', sql: 'CREATE TABLE a (x)' },
      { version: 2, name: 'b', sql: 'CREATE TABLE b (x)' },
    ];
    expect(migrate(db, steps.slice(0, 1))).toEqual([1]);
    expect(migrate(db, steps)).toEqual([2]);
    expect(migrate(db, steps)).toEqual([]);
    expect(currentVersion(db)).toBe(2);
    // a broken step rolls back with its version
    expect(() => migrate(db, [...steps, { version: 3, name: 'bad', sql: 'CREATE TABLE c (x); nonsense' }])).toThrow();
    expect(currentVersion(db)).toBe(2);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'c'`).get()).toBeUndefined();
    // an older program refuses a newer schema
    expect(() => migrate(db, steps.slice(0, 1))).toThrow(/newer/);
  });

  it('brings a file of version 6 up with its channel mappings kept, now as audited records', async () => {
    const { file } = fresh();
    const old = new Database(join(dirname(file), 'v6.db'));
    dbs.push(old);
    migrate(old, MIGRATIONS.filter((m) => m.version <= 6));
    const mapping = { id: 'sms-ward5', channel: 'sms', accountId: '+912066005555', department: 'SWM', defaultLanguage: 'mr', replyPolicy: 'conversational', slaHours: 48, enabled: true };
    old.prepare(`INSERT INTO channel_mappings (id, json) VALUES (?, ?)`).run(mapping.id, JSON.stringify(mapping));
    old.close();
    const store = SqliteStore.open(join(dirname(file), 'v6.db'), OPTS);
    stores.push(store);
    expect(await store.listMappings()).toEqual([mapping]);
    expect(await store.admin.getRecord('mapping', 'sms-ward5')).toMatchObject({ version: 1, data: mapping });
  });

  it('keeps the audit append-only: no update, no delete, no INSERT OR REPLACE over an entry', async () => {
    const { file, store } = fresh();
    const entry = await store.admin.appendAudit({ actor: 'user:asha', action: 'update', kind: 'rule', recordId: 'r1', after: { order: 5 } }, new Date());
    const db = raw(file);
    expect(() => db.prepare(`UPDATE audit SET actor = 'x'`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM audit`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`INSERT OR REPLACE INTO audit (id, at, actor, action, kind, record_id) VALUES (?, 'now', 'forger', 'x', 'rule', 'r1')`).run(entry.id)).toThrow(/append-only/);
    expect((await store.admin.listAudit({ limit: 5 }))[0]).toMatchObject({ id: entry.id, actor: 'user:asha' });
  });

  it('works in memory', async () => {
    const store = SqliteStore.open(':memory:', OPTS);
    stores.push(store);
    const [r] = await store.archiveInbound([inbound()]);
    expect((await store.getInbound(r!.id))?.duplicates).toBe(0);
  });

  it('archives with either sync setting and returns to NORMAL afterwards', async () => {
    for (const archiveSync of ['FULL', 'NORMAL'] as const) {
      const { file, store } = fresh({ archiveSync });
      const results = await store.archiveInbound([inbound(), inbound()]);
      expect(results.every((r) => !r.duplicate)).toBe(true);
      // a fresh connection sees the committed rows
      expect((raw(file).prepare('SELECT count(*) AS n FROM inbound').get() as { n: number }).n).toBe(2);
    }
  });

  it('ignores a late failure report for a message or reply that already succeeded', async () => {
    const { store } = fresh();
    const [i] = await store.archiveInbound([inbound()]);
    await store.markInboundDone(i!.id);
    await store.markInboundRetry(i!.id, 'late', new Date());
    expect((await store.getInbound(i!.id))?.state).toBe('done');
    const [o] = await store.enqueueOutbound([outbound()]);
    await store.claimOutbox(o!.id);
    await store.markOutboxSent(o!.id, 'SM1');
    await store.markOutboxRetry(o!.id, 'late', new Date());
    await store.markOutboxDead(o!.id, 'late');
    expect((await store.getOutbox(o!.id))?.state).toBe('sent');
  });

  it('starts numbering at a raised firstTicketNumber but never goes back', async () => {
    const { file, store } = fresh();
    const contact = await store.upsertContact({ channel: 'webchat', channelUserId: 'w1' });
    expect((await store.createTicket(draft(contact))).ticket.ticketNo).toBe('PMC100001');
    await store.close();
    const raised = SqliteStore.open(file, { ...OPTS, firstTicketNumber: 500000 });
    stores.push(raised);
    expect((await raised.createTicket(draft(contact))).ticket.ticketNo).toBe('PMC500000');
    await raised.close();
    const lowered = SqliteStore.open(file, { ...OPTS, firstTicketNumber: 1 });
    stores.push(lowered);
    expect((await lowered.createTicket(draft(contact))).ticket.ticketNo).toBe('PMC500001');
  });

  it('rejects a ticket prefix the Ticket model would refuse', () => {
    expect(() => SqliteStore.open(':memory:', { ...OPTS, ticketPrefix: 'pmc-' })).toThrow(/capital letters/);
    expect(() => SqliteStore.open(':memory:', { ...OPTS, firstTicketNumber: 0 })).toThrow(/≥ 1/);
  });
});

describe('openStore', () => {
  it('opens SQLite from sqlite:path and sqlite::memory:', async () => {
    const dir = tempDir();
    try {
      for (const url of [`sqlite:${join(dir, 'a', 'b.db')}`, 'sqlite::memory:']) {
        const store = openStore(url, OPTS);
        expect(store.kind).toBe('sqlite');
        await store.ping();
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains what is wrong with an unusable STORE_URL', () => {
    expect(() => openStore('mongodb://db.pmc.local/bridge', OPTS)).toThrow(/MongoDB, which opens asynchronously.*openStoreAsync/);
    expect(() => openStore('mongodb+srv://u:p@cluster/x', OPTS)).toThrow(/openStoreAsync/);
    expect(() => openStore('postgres://u:secret@h/db', OPTS)).toThrow(/STORE_URL.*postgres:.*sqlite:/);
    expect(() => openStore('postgres://u:secret@h/db', OPTS)).not.toThrow(/secret/);
    expect(() => openStore('data/bridge.db', OPTS)).toThrow(/STORE_URL/);
    expect(() => openStore('sqlite:', OPTS)).toThrow(/names no file/);
  });
});
