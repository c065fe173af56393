import { ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import type { Language } from '../model/index.ts';
import type { Store } from '../store/store.ts';
import { answerStatus } from './answer-status.ts';
import { BridgeAdapter, type BotReply } from './bridge-adapter.ts';
import { FEEDBACK, FeedbackDialog, type FeedbackOutcome } from './dialogs/feedback-dialog.ts';
import { createFaq, type Faq } from './faq.ts';
import { reply } from './reply-kind.ts';
import { INTAKE, IntakeDialog } from './dialogs/intake-dialog.ts';
import { say, type Messages } from './messages.ts';
import { intentOf, languageRequest } from './recognize.ts';
import { setTurn, turnOf, type TurnInput } from './turn-input.ts';
import type { TurnStorage } from './turn-storage.ts';

interface ConversationData {
  /** the language of the conversation so far: a one-word answer ("Kothrud", "५") does not change it */
  language?: Language;
  /** when the citizen or the bot last said something here */
  lastActivityAt?: string;
}

// below this, a message's own language does not override the conversation's
const SURE_ENOUGH = 0.5;
// a question left unanswered this long is forgotten: a message a week later is a new start, not the answer
const DIALOG_FORGOTTEN_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * The one bot every channel talks to. A turn: a language request is honoured (and remembered for the citizen);
 * a dialog in progress (intake, rating) continues; otherwise the message is a status query, a request for
 * information, a greeting or thanks, or a complaint to collect. State goes to the turn's storage, which the
 * pipeline commits with the replies.
 */
export class ComplaintBot {
  private readonly adapter = new BridgeAdapter();
  private readonly faq: Faq;

  constructor(
    private readonly store: Store,
    private readonly messages: Messages,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.faq = createFaq(messages);
  }

  /** one citizen message: what the bot says, and in which language (state is held in `storage`) */
  async turn(input: TurnInput, storage: TurnStorage): Promise<{ replies: BotReply[]; language: Language }> {
    const { state, dialogs, conversation } = this.build(storage);
    let language = input.mapping.defaultLanguage;
    const replies = await this.adapter.processMessage(input.message, input.normalized, async (context) => {
      const saved = await conversation.get(context, {});
      setTurn(context, { ...input, language: this.languageFor(input, saved.language) });
      await this.respond(context, dialogs, this.forgotten(saved));
      language = turnOf(context).language;
      await conversation.set(context, { language, lastActivityAt: this.now().toISOString() });
      await state.saveChanges(context);
    });
    return { replies, language };
  }

  /**
   * Asks the citizen to rate a resolved ticket, in a turn the bridge starts on their conversation (`input.message`
   * is the message the ticket came from: it says which conversation). Undefined when the citizen is in the middle
   * of something (a complaint half told, another rating): the question waits for a later sweep.
   */
  async askForRating(
    input: TurnInput,
    ticket: { ticketNo: string; language: Language },
    storage: TurnStorage,
  ): Promise<{ replies: BotReply[]; language: Language } | undefined> {
    const { state, dialogs, conversation } = this.build(storage);
    let busy = false;
    let language = ticket.language;
    const replies = await this.adapter.processMessage(input.message, input.normalized, async (context) => {
      const saved = await conversation.get(context, {});
      const dc = await dialogs.createContext(context);
      if (dc.activeDialog && !this.forgotten(saved)) {
        busy = true;
        return;
      }
      language = input.contact.preferredLanguage ?? saved.language ?? ticket.language;
      setTurn(context, { ...input, language });
      await dc.cancelAllDialogs();
      await dc.beginDialog(FEEDBACK, { ticketNo: ticket.ticketNo });
      await conversation.set(context, { language, lastActivityAt: this.now().toISOString() });
      await state.saveChanges(context);
    });
    return busy ? undefined : { replies, language };
  }

  private forgotten(saved: ConversationData): boolean {
    return saved.lastActivityAt !== undefined && this.now().getTime() - Date.parse(saved.lastActivityAt) > DIALOG_FORGOTTEN_AFTER_MS;
  }

  private languageFor(input: TurnInput, conversationLanguage: Language | undefined): Language {
    if (input.contact.preferredLanguage) return input.contact.preferredLanguage;
    const { lang, confidence } = input.normalized.language;
    if (lang !== 'und' && (confidence >= SURE_ENOUGH || !conversationLanguage)) return lang;
    return conversationLanguage ?? input.mapping.defaultLanguage;
  }

  private async respond(context: TurnContext, dialogs: DialogSet, forgotten: boolean): Promise<void> {
    const turn = turnOf(context);
    const { normalized } = turn;
    const dc = await dialogs.createContext(context);
    if (forgotten && dc.activeDialog) await dc.cancelAllDialogs();
    const text = (key: Parameters<typeof say>[2]) => say(this.messages, turnOf(context).language, key);

    const asked = languageRequest(normalized.text);
    if (asked) {
      await this.store.setPreferredLanguage(turn.contact.id, asked);
      turn.language = asked;
      await context.sendActivity(text('languageSet'));
      if (dc.activeDialog) await dc.repromptDialog();
      return;
    }
    const intent = intentOf(normalized.text, normalized.entities);
    // a question from the FAQ is answered even mid-dialog ("फोटो कसा पाठवू?"), then the pending question is asked again
    const question = intent === 'complaint' || intent === 'info' ? this.faq.match(normalized.text) : undefined;
    if (question) {
      await context.sendActivity(reply(this.messages[turn.language].faq[question]!.answer, 'info'));
      if (dc.activeDialog) await dc.repromptDialog();
      return;
    }
    if (dc.activeDialog) {
      const result = await dc.continueDialog();
      if (result.status !== DialogTurnStatus.complete || !(result.result as FeedbackOutcome | undefined)?.passedOn) return;
    }
    switch (intent) {
      case 'status':
        for (const answer of await answerStatus(this.store, turn.contact, normalized.entities.ticketNumbers, this.messages, turn.language)) {
          await context.sendActivity(reply(answer, 'status'));
        }
        return;
      case 'info':
        await context.sendActivity(reply(`${text('info')} ${text('officeHours')}`, 'info'));
        return;
      case 'greeting':
        await context.sendActivity(text('greeting'));
        return;
      case 'thanks':
        await context.sendActivity(text('thanks'));
        return;
      case 'complaint':
        if (normalized.empty) await context.sendActivity(text('greeting'));
        else await dc.beginDialog(INTAKE);
    }
  }

  private build(storage: TurnStorage): {
    state: ConversationState;
    dialogs: DialogSet;
    conversation: StatePropertyAccessor<ConversationData>;
  } {
    const state = new ConversationState(storage);
    const dialogs = new DialogSet(state.createProperty<DialogState>('dialogs'));
    dialogs.add(new IntakeDialog(this.store, this.messages));
    dialogs.add(new FeedbackDialog(this.store, this.messages, this.now));
    return { state, dialogs, conversation: state.createProperty<ConversationData>('conversation') };
  }
}
