import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { WriteBatch } from '../../src/store/sqlite/write-batch.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(): { file: string; db: Database.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-write-batch-'));
  dirs.push(dir);
  const file = join(dir, 'b.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL)');
  return { file, db };
}

describe('WriteBatch: the small writes of one turn of the event loop in one commit', () => {
  it('commits the writes of one turn together; one that throws is rolled back alone and only its caller hears of it', async () => {
    const { file, db } = open();
    const batch = new WriteBatch(db);
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const commits: number[] = [];
    // a commit hook of the poor: each commit moves data_version as seen from another connection
    const other = new Database(file, { readonly: true });
    const version = () => other.pragma('data_version', { simple: true }) as number;
    const before = version();
    const results = await Promise.allSettled([
      batch.run(() => insert.run('कोथरूड', 'कचरा').changes),
      batch.run(() => {
        insert.run('हडपसर', 'पानी');
        insert.run('कोथरूड', 'again'); // a primary key taken: this write fails, with its first insert
      }),
      batch.run(() => insert.run('Baner', 'pothole').changes),
    ]);
    commits.push(version() - before);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    // settled means committed: another connection reads exactly what succeeded
    expect(other.prepare('SELECT k FROM t ORDER BY k').all()).toEqual([{ k: 'Baner' }, { k: 'कोथरूड' }]);
    expect(commits[0]).toBe(1); // one commit for the three
    other.close();
    db.close();
  });


  it('a write that throws after others leaves each of the others written exactly once, not also from a first try', async () => {
    const { db } = open();
    db.exec('CREATE TABLE log (v TEXT NOT NULL)'); // no key: a write kept from the first try and again would show twice
    const batch = new WriteBatch(db);
    const add = db.prepare('INSERT INTO log (v) VALUES (?)');
    const results = await Promise.allSettled([
      batch.run(() => add.run('धायरी')),
      batch.run(() => add.run('Wakad')),
      batch.run(() => {
        add.run('never');
        throw new Error('stale eTag: the conversation moved on');
      }),
      batch.run(() => add.run('पाषाण')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/stale eTag/);
    expect((db.prepare('SELECT v FROM log ORDER BY rowid').all() as { v: string }[]).map((r) => r.v)).toEqual(['धायरी', 'Wakad', 'पाषाण']);
    db.close();
  });
  it('runs the writes in the order they were handed in, each seeing the ones before it', async () => {
    const { db } = open();
    const batch = new WriteBatch(db);
    const upsert = db.prepare("INSERT INTO t (k, v) VALUES ('n', '1') ON CONFLICT(k) DO UPDATE SET v = CAST(v AS INTEGER) + 1");
    const read = db.prepare("SELECT v FROM t WHERE k = 'n'");
    const seen = await Promise.all([1, 2, 3].map(() => batch.run(() => (upsert.run(), (read.get() as { v: string }).v))));
    expect(seen.map(String)).toEqual(['1', '2', '3']);
    db.close();
  });

  it('when SQLite itself ends the transaction mid-batch, writes every item once (each alone), none twice', async () => {
    const { db } = open();
    db.exec('CREATE TABLE log (v TEXT NOT NULL)'); // no key: a write done twice would show twice
    const batch = new WriteBatch(db);
    const add = db.prepare('INSERT INTO log (v) VALUES (?)');
    let firstTime = true;
    const results = await Promise.allSettled([
      batch.run(() => add.run('वारजे')),
      batch.run(() => {
        // what SQLite does on a full disk or an I/O error: the whole transaction rolled back under us
        if (firstTime) {
          firstTime = false;
          db.exec('ROLLBACK');
          throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        }
        add.run('हडपसर');
      }),
      batch.run(() => add.run('Baner')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect((db.prepare('SELECT v FROM log ORDER BY rowid').all() as { v: string }[]).map((r) => r.v)).toEqual(['वारजे', 'हडपसर', 'Baner']);
    db.close();
  });

  it('gives every caller the error at once when another process holds the file, instead of trying each in turn', async () => {
    const { file, db } = open();
    db.pragma('busy_timeout = 100');
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const batch = new WriteBatch(db);
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const t0 = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => batch.run(() => insert.run(`k${i}`, 'कचरा'))));
    // one wait of busy_timeout for the batch, not twenty
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(results.every((r) => r.status === 'rejected' && /SQLITE_BUSY|locked/i.test(String((r.reason as { code?: string }).code ?? r.reason)))).toBe(true);
    other.exec('ROLLBACK');
    other.close();
    expect(await batch.run(() => insert.run('k-after', 'ok').changes)).toBe(1);
    db.close();
  });
});
