import type { ChatConversation, Store } from '../../store/store.ts';
import type { WebChatSession } from './session-token.ts';
import { namedMessageKey } from './parse.ts';

/** An activity as Direct Line hands it to a client: it has an id, a type and a timestamp, and is plain JSON. */
export interface LoggedActivity {
  id: string;
  type: string;
  timestamp: string;
  [key: string]: unknown;
}

/** Direct Line's id shape: the conversation id, a bar, a sequence number (the archive's dedupe key too) */
export const activityId = (conversationId: string, seq: number): string => `${conversationId}|${String(seq).padStart(7, '0')}`;

export interface ConversationLogOptions {
  store: Store;
  /** how long a conversation is kept after its last use: a reload within it resumes the conversation */
  keepMs: number;
  maxConversations: number;
  /** activities handed to a client at most in one read */
  readLimit: number;
  now?: () => Date;
}

// expired conversations are dropped when a chat opens, at most this often
const DROP_EVERY_MS = 10 * 60_000;

/**
 * The web chat conversations, as Direct Line clients read them: in the store, so a reload, a restart or another
 * web process finds them. The citizen's own activities are echoed back (Web Chat marks a message "send failed" until
 * it sees it again), the bot's replies follow, in order, read by watermark; a citizen's activity being archived
 * holds back everything after it (reserve, then put or cancel), so a reply is never read before its message.
 */
export class ConversationLog {
  private readonly now: () => Date;
  private droppedAt = 0;

  constructor(private readonly o: ConversationLogOptions) {
    this.now = o.now ?? (() => new Date());
  }

  private keptUntil(): string {
    return new Date(this.now().getTime() + this.o.keepMs).toISOString();
  }

  /** the session's conversation, opened (and kept longer); 'full' when a new one would be one too many */
  async open(session: WebChatSession): Promise<{ conversation: ChatConversation; created: boolean } | 'full'> {
    const now = this.now();
    if (now.getTime() - this.droppedAt > DROP_EVERY_MS) {
      this.droppedAt = now.getTime();
      await this.o.store.dropExpiredChats(now);
    }
    const conversation = { id: session.conversationId, userId: session.userId, keptUntil: this.keptUntil() };
    const opened = await this.o.store.openChat(conversation, this.o.maxConversations);
    if (!opened.opened) return 'full';
    return { conversation: (await this.o.store.getChat(conversation.id, now)) ?? conversation, created: opened.created };
  }

  /** a conversation kept now, or undefined (never opened, or kept no longer) */
  get(id: string): Promise<ChatConversation | undefined> {
    return this.o.store.getChat(id, this.now());
  }

  /** the citizen's most recent conversation still kept */
  latestOf(userId: string): Promise<ChatConversation | undefined> {
    return this.o.store.latestChatOf(userId, this.now());
  }

  /** keeps a conversation in use longer */
  async touch(conversation: ChatConversation): Promise<void> {
    await this.o.store.openChat({ ...conversation, keptUntil: this.keptUntil() }, this.o.maxConversations);
  }

  /** the place and id of a citizen's activity that is being archived */
  async reserve(conversationId: string): Promise<{ seq: number; id: string }> {
    const seq = await this.o.store.reserveChatEntry(conversationId);
    return { seq, id: activityId(conversationId, seq) };
  }

  confirm(conversationId: string, seq: number, activity: LoggedActivity): Promise<void> {
    return this.o.store.putChatEntry(conversationId, seq, activity);
  }

  cancel(conversationId: string, seq: number): Promise<void> {
    return this.o.store.cancelChatEntry(conversationId, seq);
  }

  /** a bot activity not from the outbox (the greeting when a chat opens) */
  async say(conversationId: string, activity: (id: string) => LoggedActivity): Promise<void> {
    const { seq, id } = await this.reserve(conversationId);
    await this.confirm(conversationId, seq, activity(id));
  }

  /**
   * The activity a reply answers, by the archived message's id: one our page named (`<conversation>/<messageId>`, kept
   * across Web Chat's Retry) is looked up for the activity id it was first posted with.
   */
  async activityIdOf(accountId: string, externalId: string): Promise<string | undefined> {
    if (!externalId.includes('/')) return externalId;
    return (await this.postedAs(accountId, externalId))?.id;
  }

  /**
   * The activity a message our page named was first posted as, if that message is archived already: Web Chat's
   * Retry posts it again with a new clientActivityID. Only its id, time and clientActivityID are used.
   */
  async firstPostOf(accountId: string, conversationId: string, messageId: string): Promise<LoggedActivity | undefined> {
    const raw = await this.postedAs(accountId, namedMessageKey(conversationId, messageId));
    return typeof raw?.timestamp === 'string' ? raw : undefined;
  }

  /** the activity an archived web chat message was posted as (the archive keeps it as the message's raw) */
  private async postedAs(accountId: string, externalId: string): Promise<LoggedActivity | undefined> {
    const archived = await this.o.store.getInboundBySource({ channel: 'webchat', accountId, externalId });
    const raw = archived?.message.raw as Partial<LoggedActivity> | undefined;
    return typeof raw?.id === 'string' ? (raw as LoggedActivity) : undefined;
  }

  /** a reply from the outbox, once per outbox entry: its activity id */
  async reply(conversationId: string, outboxId: number, activity: (id: string) => LoggedActivity): Promise<string> {
    const { seq } = await this.o.store.appendChatReply(conversationId, outboxId, (s) => activity(activityId(conversationId, s)));
    return activityId(conversationId, seq);
  }

  /** what a client that has read up to `watermark` has not seen yet */
  async since(conversationId: string, watermark: number): Promise<{ activities: LoggedActivity[]; watermark: string }> {
    const { entries, through } = await this.o.store.readChat(conversationId, watermark, this.o.readLimit);
    return { activities: entries.map((e) => e.activity as LoggedActivity), watermark: String(through) };
  }
}
