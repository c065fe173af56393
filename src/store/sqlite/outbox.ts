import type Database from 'better-sqlite3';
import type { OutboundMessage, OutboxEntry } from '../../model/index.ts';
import type { OutboxQuery } from '../store.ts';
import { type OutboxRow, toOutboxEntry } from './rows.ts';

type Receipt = 'sent' | 'delivered' | 'undelivered';

/**
 * Which states a delivery receipt may move an entry out of. Receipts arrive out of order: a late "sent" never
 * undoes "delivered" or "undelivered", and "delivered" is the provider's final word, so "undelivered" never
 * replaces it. An entry retried since (pending, sending) or dead is left alone.
 */
const RECEIPT_FROM: Record<Receipt, string> = {
  sent: `('sending', 'sent')`,
  delivered: `('sending', 'sent', 'undelivered')`,
  undelivered: `('sending', 'sent')`,
};

/**
 * The outbox. `attempts` counts claims (send attempts). `claim` takes a pending entry, and also a `sending`
 * one: listDue hands those out because a crash mid-send leaves them behind, and the next worker must be able to
 * take them again. Sent, delivered, undelivered and dead entries cannot be claimed. A retry or dead mark only
 * applies to a pending or sending entry, so a slow worker's failure cannot undo another worker's success.
 */
export class OutboxTable {
  private readonly insert;
  private readonly byKey;
  private readonly byId;
  private readonly due;
  private readonly claimStmt;
  private readonly sent;
  private readonly retry;
  private readonly dead;
  private readonly releaseStmt;
  private readonly receipts: Record<Receipt, Database.Statement<[string, string | null, string, string]>>;
  private readonly known;
  private readonly revive;
  private readonly lists = new Map<string, Database.Statement<unknown[]>>();
  private readonly enqueueTx;

  constructor(
    private readonly db: Database.Database,
    private readonly prepare: (message: OutboundMessage) => OutboundMessage = (m) => m,
  ) {
    this.insert = db.prepare<[string, string, string, string, string]>(
      `INSERT INTO outbox (idempotency_key, message, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    );
    this.byKey = db.prepare<[string]>(`SELECT id FROM outbox WHERE idempotency_key = ?`);
    this.byId = db.prepare<[number]>(`SELECT * FROM outbox WHERE id = ?`);
    this.due = db.prepare<[string, number]>(
      `SELECT id FROM outbox WHERE (state = 'pending' AND next_attempt_at <= ?) OR state = 'sending'
       ORDER BY id LIMIT ?`,
    );
    this.claimStmt = db.prepare<[string, number]>(
      `UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?
       WHERE id = ? AND state IN ('pending', 'sending')`,
    );
    this.sent = db.prepare<[string, string, number]>(
      `UPDATE outbox SET state = 'sent', provider_id = ?, updated_at = ? WHERE id = ? AND state IN ('pending', 'sending')`,
    );
    // unsure_since keeps the earliest unsure attempt: any of them may be the one the provider has
    this.retry = db.prepare<[number, string, string, string | null, string, number]>(
      `UPDATE outbox SET state = 'pending', attempts = max(attempts - ?, 0), last_error = ?, next_attempt_at = ?,
       unsure_since = coalesce(unsure_since, ?), updated_at = ? WHERE id = ? AND state IN ('pending', 'sending')`,
    );
    // held entries of one account (their last try was held: deliver-outbound records HeldSendError), not ones that
    // wait for a rate limit or a backoff; the outbox_due index narrows to pending, the JSON to the account
    this.releaseStmt = db.prepare<[string, string, string, string, string]>(
      `UPDATE outbox SET next_attempt_at = ?, updated_at = ? WHERE state = 'pending' AND next_attempt_at > ?
       AND last_error LIKE 'HeldSendError:%' AND json_extract(message, '$.channel') = ? AND json_extract(message, '$.accountId') = ?`,
    );
    this.dead = db.prepare<[string, string | null, string, number]>(
      `UPDATE outbox SET state = 'dead', last_error = ?, unsure_since = coalesce(unsure_since, ?), updated_at = ?
       WHERE id = ? AND state IN ('pending', 'sending')`,
    );
    const receipt = (to: Receipt) =>
      db.prepare<[string, string | null, string, string]>(
        `UPDATE outbox SET state = ?, last_error = coalesce(?, last_error), updated_at = ?
         WHERE provider_id = ? AND state IN ${RECEIPT_FROM[to]}`,
      );
    this.receipts = { sent: receipt('sent'), delivered: receipt('delivered'), undelivered: receipt('undelivered') };
    this.known = db.prepare<[string]>(`SELECT 1 FROM outbox WHERE provider_id = ? LIMIT 1`);
    // the old provider id goes, so a late receipt for the failed send cannot touch the new attempt. An undelivered
    // entry's outcome is known (the provider said so); a dead one may still have an unsure attempt to look up.
    this.revive = db.prepare<[string, string, number]>(
      `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, provider_id = NULL,
       unsure_since = CASE WHEN state = 'undelivered' THEN NULL ELSE unsure_since END, updated_at = ?
       WHERE id = ? AND state IN ('dead', 'undelivered')`,
    );
    this.enqueueTx = db.transaction((messages: OutboundMessage[], at: string) => this.enqueueWithin(messages, at));
  }

  /** the caller holds the write transaction */
  enqueueWithin(messages: OutboundMessage[], at: string): { id: number; created: boolean }[] {
    return messages.map((given) => {
      const m = this.prepare(given);
      const row = this.insert.get(m.idempotencyKey, JSON.stringify(m), at, at, at) as { id: number } | undefined;
      if (row) return { id: row.id, created: true };
      return { id: (this.byKey.get(m.idempotencyKey) as { id: number }).id, created: false };
    });
  }

  enqueue(messages: OutboundMessage[], now: Date = new Date()): { id: number; created: boolean }[] {
    return messages.length === 0 ? [] : this.enqueueTx.immediate(messages, now.toISOString());
  }

  get(id: number): OutboxEntry | undefined {
    const row = this.byId.get(id) as OutboxRow | undefined;
    return row && toOutboxEntry(row);
  }

  /** newest first */
  list(query: OutboxQuery = {}): OutboxEntry[] {
    const where = [
      ...(query.state ? ['state = ?'] : []),
      ...(query.ticketNo ? [`json_extract(message, '$.ticketNo') = ?`] : []),
      ...(query.threadKey ? [`json_extract(message, '$.threadKey') = ?`] : []),
    ];
    const sql = `SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    let stmt = this.lists.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.lists.set(sql, stmt);
    }
    const params = [query.state, query.ticketNo, query.threadKey].filter((p): p is string => p !== undefined);
    return (stmt.all(...params, query.limit ?? -1) as OutboxRow[]).map(toOutboxEntry);
  }

  listDue(now: Date, limit: number): number[] {
    return (this.due.all(now.toISOString(), limit) as { id: number }[]).map((r) => r.id);
  }

  claim(id: number): boolean {
    return this.claimStmt.run(new Date().toISOString(), id).changes === 1;
  }

  markSent(id: number, providerId: string): void {
    this.sent.run(providerId, new Date().toISOString(), id);
  }

  /** uncounted: the attempt is given back (the account was held, nothing was tried) */
  markRetry(id: number, error: string, nextAttemptAt: Date, unsureSince?: Date, uncounted = false): void {
    this.retry.run(uncounted ? 1 : 0, error, nextAttemptAt.toISOString(), unsureSince?.toISOString() ?? null, new Date().toISOString(), id);
  }

  /** the account works again: its waiting replies are due now */
  release(channel: string, accountId: string, now: Date): number {
    const at = now.toISOString();
    return this.releaseStmt.run(at, at, at, channel, accountId).changes;
  }

  markDead(id: number, error: string, unsureSince?: Date): void {
    this.dead.run(error, unsureSince?.toISOString() ?? null, new Date().toISOString(), id);
  }

  /** true when the provider id is ours, even if the receipt was too late to change anything */
  recordDelivery(providerId: string, state: Receipt, error?: string): boolean {
    this.receipts[state].run(state, error ?? null, new Date().toISOString(), providerId);
    return this.known.get(providerId) !== undefined;
  }

  retryDead(id: number): boolean {
    const now = new Date().toISOString();
    return this.revive.run(now, now, id).changes === 1;
  }
}
