import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import type { InboundMessage } from '../model/index.ts';
import { DIALOG_STATE_CONFIGURATION, DIALOG_STATE_KEY } from './dialogs-core.ts';
import { LOCALES } from '../model/index.ts';
import type { NormalizedMessage } from '../normalizer/index.ts';
import { kindOf, type ReplyKind } from './reply-kind.ts';

/** What the bot said in a turn, channel-neutral: the text and, for a question, the answers it offers. */
export interface BotReply {
  text: string;
  /** quick replies (Messenger), numbered options (SMS), buttons (web chat) */
  choices?: string[];
  /** what the reply is (an acknowledgement with the number, a status, a rating question); plain 'reply' if absent */
  kind?: ReplyKind;
}

/** A conversation as botbuilder remembers it, opaque outside src/bots: kept to message the citizen later. */
export type ConversationRef = Partial<ConversationReference>;

type Logic = (context: TurnContext) => Promise<void>;

const REPLIES = Symbol('pmc.replies');

/**
 * The bridge between our pipeline and botbuilder: an InboundMessage (already normalised) becomes an Activity, the
 * bot's turn runs through the adapter's middleware, and what it sends is collected as BotReplies for the outbox
 * instead of going to a Bot Framework channel. Trace, typing and delay activities mean nothing on SMS or email
 * and are dropped. No botbuilder type leaves src/bots.
 */
export class BridgeAdapter extends BotAdapter {
  /** runs the bot on one citizen message and returns what it said, in order */
  async processMessage(message: InboundMessage, normalized: NormalizedMessage, logic: Logic): Promise<BotReply[]> {
    return this.runTurn(toActivity(message, normalized), logic);
  }

  /** a turn the bridge starts itself (a status change to tell the citizen about) */
  async continueWith(reference: ConversationRef, logic: Logic): Promise<BotReply[]> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    return this.runTurn(activity, logic);
  }

  override async continueConversation(reference: ConversationRef, logic: Logic): Promise<void> {
    await this.continueWith(reference, logic);
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const replies = context.turnState.get(REPLIES) as BotReply[];
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      responses.push({ id: `${context.activity.id ?? 'turn'}:${replies.length}` });
      if (activity.type !== ActivityTypes.Message || !activity.text) continue;
      const choices = activity.suggestedActions?.actions.map((a) => String(a.title ?? a.value));
      const kind = kindOf(activity);
      replies.push({ text: activity.text, ...(choices && choices.length > 0 ? { choices } : {}), ...(kind ? { kind } : {}) });
    }
    return responses;
  }

  override async updateActivity(): Promise<void> {
    throw new Error('the bridge cannot edit a sent message: SMS, email and most channels have no such thing');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('the bridge cannot delete a sent message');
  }

  /** the reference to keep for later messages to this citizen */
  static referenceOf(message: InboundMessage, normalized: NormalizedMessage): ConversationRef {
    return TurnContext.getConversationReference(toActivity(message, normalized));
  }

  private async runTurn(activity: Partial<Activity>, logic: Logic): Promise<BotReply[]> {
    const context = new TurnContext(this, activity);
    const replies: BotReply[] = [];
    context.turnState.set(REPLIES, replies);
    context.turnState.set(DIALOG_STATE_KEY, DIALOG_STATE_CONFIGURATION);
    await this.runMiddleware(context, logic);
    return replies;
  }
}

/** The Activity a bot sees for one citizen message: who, which conversation, in what language, and the raw payload. */
export function toActivity(message: InboundMessage, normalized: NormalizedMessage): Partial<Activity> {
  const lang = normalized.language.lang;
  return {
    type: ActivityTypes.Message,
    id: message.externalId,
    timestamp: new Date(message.receivedAt),
    channelId: message.channel,
    serviceUrl: `pmc-bridge://${message.channel}`,
    from: { id: message.sender.id, name: message.sender.name ?? '' },
    recipient: { id: message.accountId, name: 'PMC' },
    conversation: { id: message.threadKey, isGroup: false, conversationType: 'personal', name: '' },
    ...(lang !== 'und' ? { locale: LOCALES[lang] } : {}),
    text: normalized.text,
    attachments: message.attachments.map((a) => ({
      contentType: a.mime ?? a.kind,
      ...(a.url ? { contentUrl: a.url } : {}),
      ...(a.name ? { name: a.name } : {}),
    })),
    channelData: { raw: message.raw, entities: normalized.entities, language: normalized.language },
  };
}
