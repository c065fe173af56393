import type Database from 'better-sqlite3';
import type { ChatConversation, ChatEntry } from '../store.ts';

interface ConversationRow {
  id: string;
  user_id: string;
  kept_until: string;
}

const toConversation = (r: ConversationRow): ChatConversation => ({ id: r.id, userId: r.user_id, keptUntil: r.kept_until });

// longer than any archive takes (a webhook's request time-out is 10 s)
const STALE_RESERVATION_MS = 30_000;

/** Web chat conversations and their logs: what any web process reads a conversation from, by watermark. */
export class ChatLogTable {
  private readonly q;
  private readonly openTx;
  private readonly reserveTx;
  private readonly replyTx;

  constructor(db: Database.Database) {
    this.q = {
      get: db.prepare<[string]>(`SELECT id, user_id, kept_until FROM chat_conversations WHERE id = ?`),
      count: db.prepare<[string]>(`SELECT count(*) AS n FROM chat_conversations WHERE kept_until > ?`),
      insert: db.prepare<[string, string, string]>(`INSERT INTO chat_conversations (id, user_id, kept_until) VALUES (?, ?, ?)`),
      keep: db.prepare<[string, string]>(`UPDATE chat_conversations SET kept_until = max(kept_until, ?) WHERE id = ?`),
      latest: db.prepare<[string, string]>(
        `SELECT id, user_id, kept_until FROM chat_conversations WHERE user_id = ? AND kept_until > ? ORDER BY kept_until DESC LIMIT 1`,
      ),
      nextSeq: db.prepare<[string]>(`UPDATE chat_conversations SET next_seq = next_seq + 1 WHERE id = ? RETURNING next_seq - 1 AS seq`),
      reserve: db.prepare<[string, number, string]>(`INSERT INTO chat_entries (conversation_id, seq, activity, reserved_at) VALUES (?, ?, NULL, ?)`),
      put: db.prepare<[string, string, number]>(`UPDATE chat_entries SET activity = ? WHERE conversation_id = ? AND seq = ?`),
      cancel: db.prepare<[string, number]>(`DELETE FROM chat_entries WHERE conversation_id = ? AND seq = ? AND activity IS NULL`),
      byOutbox: db.prepare<[number]>(`SELECT seq FROM chat_entries WHERE outbox_id = ?`),
      reply: db.prepare<[string, number, string, number]>(`INSERT INTO chat_entries (conversation_id, seq, activity, outbox_id) VALUES (?, ?, ?, ?)`),
      read: db.prepare<[string, number, number]>(`SELECT seq, activity, reserved_at FROM chat_entries WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
      dropEntries: db.prepare<[string]>(
        `DELETE FROM chat_entries WHERE conversation_id IN (SELECT id FROM chat_conversations WHERE kept_until <= ?)`,
      ),
      drop: db.prepare<[string]>(`DELETE FROM chat_conversations WHERE kept_until <= ?`),
    };
    this.openTx = db.transaction((c: ChatConversation, most: number, now: string) => {
      const found = this.q.get.get(c.id) as ConversationRow | undefined;
      if (found) {
        this.q.keep.run(c.keptUntil, c.id);
        return { opened: true, created: false };
      }
      if ((this.q.count.get(now) as { n: number }).n >= most) return { opened: false, created: false };
      this.q.insert.run(c.id, c.userId, c.keptUntil);
      return { opened: true, created: true };
    });
    this.reserveTx = db.transaction((conversationId: string) => {
      const row = this.q.nextSeq.get(conversationId) as { seq: number } | undefined;
      if (!row) throw new Error(`web chat conversation ${conversationId} is not kept`);
      this.q.reserve.run(conversationId, row.seq, new Date().toISOString());
      return row.seq;
    });
    this.replyTx = db.transaction((conversationId: string, outboxId: number, activity: (seq: number) => Record<string, unknown>) => {
      const sent = this.q.byOutbox.get(outboxId) as { seq: number } | undefined;
      if (sent) return { seq: sent.seq, created: false };
      const row = this.q.nextSeq.get(conversationId) as { seq: number } | undefined;
      if (!row) throw new Error(`web chat conversation ${conversationId} is not kept`);
      this.q.reply.run(conversationId, row.seq, JSON.stringify(activity(row.seq)), outboxId);
      return { seq: row.seq, created: true };
    });
  }

  open(c: ChatConversation, most: number, now: Date): { opened: boolean; created: boolean } {
    return this.openTx.immediate(c, most, now.toISOString());
  }

  get(id: string, now: Date): ChatConversation | undefined {
    const row = this.q.get.get(id) as ConversationRow | undefined;
    return row && row.kept_until > now.toISOString() ? toConversation(row) : undefined;
  }

  latestOf(userId: string, now: Date): ChatConversation | undefined {
    const row = this.q.latest.get(userId, now.toISOString()) as ConversationRow | undefined;
    return row && toConversation(row);
  }

  reserve(conversationId: string): number {
    return this.reserveTx.immediate(conversationId);
  }

  put(conversationId: string, seq: number, activity: Record<string, unknown>): void {
    this.q.put.run(JSON.stringify(activity), conversationId, seq);
  }

  cancel(conversationId: string, seq: number): void {
    this.q.cancel.run(conversationId, seq);
  }

  appendReply(conversationId: string, outboxId: number, activity: (seq: number) => Record<string, unknown>): { seq: number; created: boolean } {
    return this.replyTx.immediate(conversationId, outboxId, activity);
  }

  read(conversationId: string, afterSeq: number, limit: number): { entries: ChatEntry[]; through: number } {
    const entries: ChatEntry[] = [];
    let through = afterSeq;
    const staleBefore = new Date(Date.now() - STALE_RESERVATION_MS).toISOString();
    for (const row of this.q.read.all(conversationId, afterSeq, limit) as { seq: number; activity: string | null; reserved_at: string | null }[]) {
      if (row.activity === null) {
        // reserved: nothing after it is read yet, unless a crash left it behind long ago (the message was either
        // archived, and its reply follows, or never acknowledged)
        if (row.reserved_at && row.reserved_at >= staleBefore) break;
        this.q.cancel.run(conversationId, row.seq);
        through = row.seq;
        continue;
      }
      entries.push({ seq: row.seq, activity: JSON.parse(row.activity) as Record<string, unknown> });
      through = row.seq;
    }
    return { entries, through };
  }

  dropExpired(now: Date): number {
    const at = now.toISOString();
    this.q.dropEntries.run(at);
    return this.q.drop.run(at).changes;
  }
}
