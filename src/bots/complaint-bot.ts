import { ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, type DialogState } from 'botbuilder-dialogs';
import type { Language } from '../model/index.ts';
import type { Store } from '../store/store.ts';
import { answerStatus } from './answer-status.ts';
import { BridgeAdapter, type BotReply } from './bridge-adapter.ts';
import { FEEDBACK, FeedbackDialog } from './dialogs/feedback-dialog.ts';
import { INTAKE, IntakeDialog } from './dialogs/intake-dialog.ts';
import { say, type Messages } from './messages.ts';
import { intentOf, languageRequest } from './recognize.ts';
import { setTurn, turnOf, type TurnInput } from './turn-input.ts';
import type { TurnStorage } from './turn-storage.ts';

interface ConversationData {
  /** the language of the conversation so far: a one-word answer ("Kothrud", "५") does not change it */
  language?: Language;
}

// below this, a message's own language does not override the conversation's
const SURE_ENOUGH = 0.5;

/**
 * The one bot every channel talks to. A turn: a language request is honoured (and remembered for the citizen);
 * a dialog in progress (intake, rating) continues; otherwise the message is a status query, a request for
 * information, a greeting or thanks, or a complaint to collect. State goes to the turn's storage, which the
 * pipeline commits with the replies.
 */
export class ComplaintBot {
  private readonly adapter = new BridgeAdapter();

  constructor(
    private readonly store: Store,
    private readonly messages: Messages,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** one citizen message: what the bot says, and in which language (state is held in `storage`) */
  async turn(input: TurnInput, storage: TurnStorage): Promise<{ replies: BotReply[]; language: Language }> {
    const { state, dialogs, conversation } = this.build(storage);
    let language = input.mapping.defaultLanguage;
    const replies = await this.adapter.processMessage(input.message, input.normalized, async (context) => {
      const saved = await conversation.get(context, {});
      setTurn(context, { ...input, language: this.languageFor(input, saved.language) });
      await this.respond(context, dialogs);
      language = turnOf(context).language;
      await conversation.set(context, { language });
      await state.saveChanges(context);
    });
    return { replies, language };
  }

  /** asks the citizen to rate a resolved ticket, in a turn of its own on their conversation */
  async askForRating(input: TurnInput, ticketNo: string, storage: TurnStorage): Promise<BotReply[]> {
    const { state, dialogs, conversation } = this.build(storage);
    return this.adapter.processMessage(input.message, input.normalized, async (context) => {
      const saved = await conversation.get(context, {});
      setTurn(context, { ...input, language: input.contact.preferredLanguage ?? saved.language ?? input.mapping.defaultLanguage });
      const dc = await dialogs.createContext(context);
      await dc.cancelAllDialogs();
      await dc.beginDialog(FEEDBACK, { ticketNo });
      await state.saveChanges(context);
    });
  }

  private languageFor(input: TurnInput, conversationLanguage: Language | undefined): Language {
    if (input.contact.preferredLanguage) return input.contact.preferredLanguage;
    const { lang, confidence } = input.normalized.language;
    if (lang !== 'und' && (confidence >= SURE_ENOUGH || !conversationLanguage)) return lang;
    return conversationLanguage ?? input.mapping.defaultLanguage;
  }

  private async respond(context: TurnContext, dialogs: DialogSet): Promise<void> {
    const turn = turnOf(context);
    const { normalized } = turn;
    const dc = await dialogs.createContext(context);
    const text = (key: Parameters<typeof say>[2]) => say(this.messages, turnOf(context).language, key);

    const asked = languageRequest(normalized.text);
    if (asked) {
      await this.store.setPreferredLanguage(turn.contact.id, asked);
      turn.language = asked;
      await context.sendActivity(text('languageSet'));
      if (dc.activeDialog) await dc.repromptDialog();
      return;
    }
    if (dc.activeDialog) {
      await dc.continueDialog();
      return;
    }
    switch (intentOf(normalized.text, normalized.entities)) {
      case 'status':
        for (const answer of await answerStatus(this.store, turn.contact, normalized.entities.ticketNumbers, this.messages, turn.language)) {
          await context.sendActivity(answer);
        }
        return;
      case 'info':
        await context.sendActivity(`${text('info')} ${text('officeHours')}`);
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
