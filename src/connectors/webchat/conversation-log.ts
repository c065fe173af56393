import type { WebChatSession } from './session-token.ts';

/** An activity as Direct Line hands it to a client: it has an id, a type and a timestamp, and is plain JSON. */
export interface LoggedActivity {
  id: string;
  type: string;
  timestamp: string;
  [key: string]: unknown;
}

interface Entry {
  activity: LoggedActivity;
  /** a citizen's activity not yet archived: hidden, and everything after it, until it is confirmed or cancelled */
  pending: boolean;
  /** the outbox entry a bot reply was sent for: a second send of the same entry finds it here */
  outboxId?: number;
}

/**
 * One web chat conversation as Direct Line clients read it: the citizen's own activities echoed back (Web Chat
 * marks a message "send failed" until it sees it again) and the bot's replies, in order, read by watermark.
 */
export class Conversation {
  private entries: Entry[] = [];
  /** activities dropped off the front by the cap: watermarks count from the first activity ever, so they stay valid */
  private dropped = 0;
  private seq = 0;

  constructor(
    readonly id: string,
    readonly userId: string,
    /** ms since the epoch: the latest expiry of a token for this conversation; after it no client can read it */
    public expiresAtMs: number,
    private readonly maxActivities: number,
  ) {}

  /** Direct Line's id shape: the conversation id, a bar, a sequence number */
  nextId(): string {
    return `${this.id}|${String(++this.seq).padStart(7, '0')}`;
  }

  /**
   * Holds the citizen's activity back while it is being archived: a reply can never be read before the message it
   * answers, and a message that was refused is never shown as sent.
   */
  reserve(activity: LoggedActivity): void {
    this.entries.push({ activity, pending: true });
  }

  confirm(id: string): void {
    const entry = this.entries.find((e) => e.activity.id === id);
    if (entry) entry.pending = false;
    this.trim();
  }

  /** a pending activity was never visible (reads stop at the first pending one), so removing it moves no watermark */
  cancel(id: string): void {
    const i = this.entries.findIndex((e) => e.pending && e.activity.id === id);
    if (i >= 0) this.entries.splice(i, 1);
  }

  append(activity: LoggedActivity, outboxId?: number): void {
    this.entries.push({ activity, pending: false, ...(outboxId === undefined ? {} : { outboxId }) });
    this.trim();
  }

  /** the id of the activity already sent for this outbox entry, if it is still in the log */
  sentFor(outboxId: number): string | undefined {
    return this.entries.find((e) => e.outboxId === outboxId)?.activity.id;
  }

  /** what a client that has read up to `watermark` has not seen yet */
  since(watermark: number): { activities: LoggedActivity[]; watermark: string } {
    const firstPending = this.entries.findIndex((e) => e.pending);
    const end = firstPending < 0 ? this.entries.length : firstPending;
    const start = Math.min(Math.max(watermark - this.dropped, 0), end);
    return { activities: this.entries.slice(start, end).map((e) => e.activity), watermark: String(this.dropped + end) };
  }

  private trim(): void {
    while (this.entries.length > this.maxActivities && this.entries[0] && !this.entries[0].pending) {
      this.entries.shift();
      this.dropped++;
    }
  }
}

export interface ConversationLogOptions {
  maxConversations: number;
  maxActivitiesPerConversation: number;
  now?: () => number;
}

/**
 * Every open web chat conversation of this process, in memory: bounded in number and length, and each dropped once
 * no token for it is valid any more (the browser has been gone for a token lifetime).
 *
 * Because it is in memory, web chat needs the web and worker roles in one process (`role: all`): a worker
 * elsewhere could not append its replies here. The connector refuses to be on in any other role.
 */
export class ConversationLog {
  private readonly conversations = new Map<string, Conversation>();
  private readonly now: () => number;
  private nextSweep = 0;

  constructor(private readonly opts: ConversationLogOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** the session's conversation, created on first use; 'full' when the cap is reached by live conversations */
  open(session: WebChatSession): { conversation: Conversation; created: boolean } | 'full' {
    const existing = this.get(session.conversationId);
    if (existing) {
      this.extend(existing, session);
      return { conversation: existing, created: false };
    }
    if (this.conversations.size >= this.opts.maxConversations) this.sweep(true);
    if (this.conversations.size >= this.opts.maxConversations) return 'full';
    const conversation = new Conversation(session.conversationId, session.userId, session.expiresAt * 1000, this.opts.maxActivitiesPerConversation);
    this.conversations.set(conversation.id, conversation);
    return { conversation, created: true };
  }

  /** a live conversation, or undefined (never opened, expired, or opened before this process started) */
  get(id: string): Conversation | undefined {
    this.sweep(false);
    const c = this.conversations.get(id);
    if (c && c.expiresAtMs <= this.now()) {
      this.conversations.delete(id);
      return undefined;
    }
    return c;
  }

  /** a refreshed token keeps its conversation alive as long as the token */
  extend(conversation: Conversation, session: WebChatSession): void {
    conversation.expiresAtMs = Math.max(conversation.expiresAtMs, session.expiresAt * 1000);
  }

  get size(): number {
    return this.conversations.size;
  }

  /** drops expired conversations: when asked to, else at most once a minute */
  private sweep(force: boolean): void {
    const now = this.now();
    if (!force && now < this.nextSweep) return;
    this.nextSweep = now + 60_000;
    for (const [id, c] of this.conversations) if (c.expiresAtMs <= now) this.conversations.delete(id);
  }
}
