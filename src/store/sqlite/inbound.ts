import type Database from 'better-sqlite3';
import type { InboundMessage, SourceRef } from '../../model/index.ts';
import type { ArchiveResult, ArchivedInbound } from '../store.ts';
import { type InboundRow, toArchived } from './rows.ts';

/**
 * The inbound archive. `attempts` counts failed processing attempts: a retry or a dead mark adds one, since
 * inbound work has no claim step. Retry and dead marks apply to pending messages only, so a late failure report
 * cannot undo a message another worker finished.
 */
export class InboundTable {
  private readonly insert;
  private readonly bumpDuplicate;
  private readonly byId;
  private readonly bySource;
  private readonly due;
  private readonly done;
  private readonly retry;
  private readonly dead;
  private readonly revive;
  private readonly archiveTx;

  constructor(db: Database.Database) {
    this.insert = db.prepare<[string, string, string, string, string, string, string]>(
      `INSERT INTO inbound (channel, account_id, external_id, message, next_attempt_at, archived_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel, account_id, external_id) DO NOTHING RETURNING id`,
    );
    this.bumpDuplicate = db.prepare<[string, string, string]>(
      `UPDATE inbound SET duplicates = duplicates + 1
       WHERE channel = ? AND account_id = ? AND external_id = ? RETURNING id`,
    );
    this.byId = db.prepare<[number]>(`SELECT * FROM inbound WHERE id = ?`);
    this.bySource = db.prepare<[string, string, string]>(
      `SELECT * FROM inbound WHERE channel = ? AND account_id = ? AND external_id = ?`,
    );
    this.due = db.prepare<[string, number]>(
      `SELECT id FROM inbound WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?`,
    );
    this.done = db.prepare<[string, number]>(`UPDATE inbound SET state = 'done', updated_at = ? WHERE id = ?`);
    this.retry = db.prepare<[string, string, string, number]>(
      `UPDATE inbound SET state = 'pending', attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
       updated_at = ? WHERE id = ? AND state = 'pending'`,
    );
    this.dead = db.prepare<[string, string, number]>(
      `UPDATE inbound SET state = 'dead', attempts = attempts + 1, last_error = ?, updated_at = ?
       WHERE id = ? AND state = 'pending'`,
    );
    this.revive = db.prepare<[string, string, number]>(
      `UPDATE inbound SET state = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?
       WHERE id = ? AND state = 'dead'`,
    );
    this.archiveTx = db.transaction((messages: InboundMessage[], now: string): ArchiveResult[] =>
      messages.map((m) => {
        const row = this.insert.get(m.channel, m.accountId, m.externalId, JSON.stringify(m), now, now, now) as
          | { id: number }
          | undefined;
        if (row) return { id: row.id, duplicate: false };
        const existing = this.bumpDuplicate.get(m.channel, m.accountId, m.externalId) as { id: number };
        return { id: existing.id, duplicate: true };
      }),
    );
  }

  /** One transaction for the whole batch; the store makes it durable (WalSync) before it answers. */
  archive(messages: InboundMessage[]): ArchiveResult[] {
    if (messages.length === 0) return [];
    return this.archiveTx.immediate(messages, new Date().toISOString());
  }

  get(id: number): ArchivedInbound | undefined {
    const row = this.byId.get(id) as InboundRow | undefined;
    return row && toArchived(row);
  }

  getBySource(source: SourceRef): ArchivedInbound | undefined {
    const row = this.bySource.get(source.channel, source.accountId, source.externalId) as InboundRow | undefined;
    return row && toArchived(row);
  }

  listDue(now: Date, limit: number): number[] {
    return (this.due.all(now.toISOString(), limit) as { id: number }[]).map((r) => r.id);
  }

  markDone(id: number): void {
    this.done.run(new Date().toISOString(), id);
  }

  markRetry(id: number, error: string, nextAttemptAt: Date): void {
    this.retry.run(error, nextAttemptAt.toISOString(), new Date().toISOString(), id);
  }

  markDead(id: number, error: string): void {
    this.dead.run(error, new Date().toISOString(), id);
  }

  /** only a dead message comes back; attempts start again from zero */
  retryDead(id: number): boolean {
    const now = new Date().toISOString();
    return this.revive.run(now, now, id).changes === 1;
  }
}
