import { ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, type DialogState } from './dialogs-core.ts';
import type { Language } from '../model/index.ts';
import { BridgeAdapter, type BotReply } from './bridge-adapter.ts';
import { DEFAULT_PHOTO_WAIT_MS, type BotOptions } from './bot-options.ts';
import { FEEDBACK, FeedbackDialog } from './dialogs/feedback-dialog.ts';
import { IntakeDialog } from './dialogs/intake-dialog.ts';
import { askedOf, respond, type ConversationMemory } from './policy.ts';
import { onlyPlaceNames } from './only-place-names.ts';
import { readWithPhoto } from './photo-caption.ts';
import { setTurn, turnOf, type TurnInput } from './turn-input.ts';
import type { TurnStorage } from './turn-storage.ts';

interface ConversationData extends ConversationMemory {
  /** the language of the conversation so far: a one-word answer ("Kothrud", "५") does not change it */
  language?: Language;
  /** when the citizen or the bot last said something here */
  lastActivityAt?: string;
  /** a dialog asked for a turn of its own at this time (ISO) */
  wakeAt?: string;
}

/** One turn's outcome: what the bot said, in which language, and when it wants a turn of its own (null: never). */
export interface BotTurn {
  replies: BotReply[];
  language: Language;
  /** undefined: unchanged since the last turn; null: no longer; a date: wake the conversation then */
  wakeAt?: Date | null;
}

/** which ticket to ask the citizen to rate, in which language, and whether it is the reminder */
export interface RatingRequest {
  ticketNo: string;
  language: Language;
  reminder?: boolean;
}

// below this, a message's own language does not override the conversation's
const SURE_ENOUGH = 0.5;
// a question left unanswered this long is forgotten: a message a week later is a new start, not the answer
const DIALOG_FORGOTTEN_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * The one bot every channel talks to. Each citizen turn is read once by the intent layer (what it means, given what
 * the bot had just asked), then the dialog policy (policy.ts) acts on it. State goes to the turn's storage, which the
 * pipeline commits with the replies.
 */
export class ComplaintBot {
  private readonly adapter = new BridgeAdapter();
  private readonly now: () => Date;

  constructor(private readonly o: BotOptions) {
    this.now = o.now ?? (() => new Date());
  }

  /** one citizen message: what the bot says, and in which language (state is held in `storage`) */
  async turn(input: TurnInput, storage: TurnStorage): Promise<BotTurn> {
    return this.run(input, storage, async (context, dc, saved) => {
      const asked = askedOf(dc);
      const turn = turnOf(context);
      // a photo alone reads as a complaint: the intake takes it (as the photo asked for, or to start with)
      turn.understanding = readWithPhoto(this.o.understander.read(turn.normalized, asked), turn.normalized, turn.message.attachments);
      await respond(context, dc, turn.understanding, saved, this.o);
    });
  }

  /**
   * A turn the bridge starts because a dialog asked for one (a promised photo that did not come): the dialog
   * goes on from where it waited. `input.message` is the message that asked (it names the conversation).
   */
  async wake(input: TurnInput, storage: TurnStorage): Promise<BotTurn> {
    return this.run(input, storage, async (context, dc) => {
      turnOf(context).waking = true;
      if (dc.activeDialog) await dc.continueDialog();
    });
  }

  /**
   * Asks the citizen to rate a resolved ticket, in a turn the bridge starts on their conversation (`input.message`
   * is the message the ticket came from: it says which conversation). Undefined when the citizen is in the middle
   * of something (a complaint half told, another rating): the question waits for a later sweep.
   */
  async askForRating(input: TurnInput, ticket: RatingRequest, storage: TurnStorage): Promise<BotTurn | undefined> {
    let busy = false;
    const outcome = await this.run(input, storage, async (context, dc, saved) => {
      if (dc.activeDialog && !this.forgotten(saved)) {
        busy = true;
        return;
      }
      turnOf(context).language = input.contact.preferredLanguage ?? saved.language ?? ticket.language;
      await dc.cancelAllDialogs();
      await dc.beginDialog(FEEDBACK, { ticketNo: ticket.ticketNo, reminder: ticket.reminder === true });
    });
    return busy ? undefined : outcome;
  }

  private async run(
    input: TurnInput,
    storage: TurnStorage,
    logic: (context: TurnContext, dc: Awaited<ReturnType<DialogSet['createContext']>>, saved: ConversationData) => Promise<void>,
  ): Promise<BotTurn> {
    const { state, dialogs, conversation } = this.build(storage);
    let language = input.mapping.defaultLanguage;
    let wakeAt: Date | null | undefined;
    const replies = await this.adapter.processMessage(input.message, input.normalized, async (context) => {
      const saved = await conversation.get(context, {});
      setTurn(context, { ...input, language: this.languageFor(input, saved.language), now: this.now() });
      const dc = await dialogs.createContext(context);
      if (this.forgotten(saved) && dc.activeDialog) await dc.cancelAllDialogs();
      await logic(context, dc, saved);
      const turn = turnOf(context);
      language = turn.language;
      // a dialog that ended, or moved on, no longer needs its wake-up
      wakeAt = turn.wakeAt !== undefined ? turn.wakeAt : saved.wakeAt && !dc.activeDialog ? null : undefined;
      const { wakeAt: _previous, ...kept } = saved;
      const next: ConversationData = { ...kept, language, lastActivityAt: turn.now.toISOString() };
      const stillWaking = wakeAt === undefined ? saved.wakeAt : wakeAt?.toISOString();
      await conversation.set(context, stillWaking ? { ...next, wakeAt: stillWaking } : next);
      await state.saveChanges(context);
    });
    return { replies, language, ...(wakeAt !== undefined ? { wakeAt } : {}) };
  }

  private forgotten(saved: ConversationData): boolean {
    return saved.lastActivityAt !== undefined && this.now().getTime() - Date.parse(saved.lastActivityAt) > DIALOG_FORGOTTEN_AFTER_MS;
  }

  private languageFor(input: TurnInput, conversationLanguage: Language | undefined): Language {
    if (input.contact.preferredLanguage) return input.contact.preferredLanguage;
    const { lang, confidence, spellingOnly } = input.normalized.language;
    if (lang === 'und') return conversationLanguage ?? input.mapping.defaultLanguage;
    if (!conversationLanguage) return lang;
    // how a name is spelled is not the citizen's language: a Hindi speaker's "वारजे माळवाडी" stays in Hindi, and so
    // does an answer made only of place names, whatever their words ("बड़ा बाज़ार, कसबा पेठ" in Marathi)
    if (spellingOnly || onlyPlaceNames(input.normalized)) return conversationLanguage;
    return confidence >= SURE_ENOUGH ? lang : conversationLanguage;
  }

  private build(storage: TurnStorage): { state: ConversationState; dialogs: DialogSet; conversation: StatePropertyAccessor<ConversationData> } {
    const state = new ConversationState(storage);
    const dialogs = new DialogSet(state.createProperty<DialogState>('dialogs'));
    dialogs.add(new IntakeDialog(this.o.store, this.o.messages, this.o.photoWaitMs ?? DEFAULT_PHOTO_WAIT_MS));
    dialogs.add(new FeedbackDialog(this.o.store, this.o.messages, this.o.reopenBelowAverage === true));
    return { state, dialogs, conversation: state.createProperty<ConversationData>('conversation') };
  }
}
