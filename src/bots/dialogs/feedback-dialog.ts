import { MessageFactory } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Store } from '../../store/store.ts';
import { say, type Messages } from '../messages.ts';
import { recordRating } from '../record-rating.ts';
import { reply } from '../reply-kind.ts';
import { turnOf } from '../turn-input.ts';

export const FEEDBACK = 'feedback';
const MOST_RETRIES = 2;
// offered as buttons where the channel has them (Messenger quick replies, web chat); on SMS the text says it
const RATINGS = ['1', '2', '3', '4', '5'];
// this many words are no rating: "पाच" or "5 stars" is short, a new complaint is not
const SOMETHING_NEW = 4;
const wordsIn = (text: string): number => text.split(/\s+/u).filter(Boolean).length;

/** how the dialog ended: `passedOn` when the message was something else, for the bot to handle afresh */
export interface FeedbackOutcome {
  passedOn?: boolean;
  rating?: number;
  followUp?: boolean;
}

interface FeedbackState {
  ticketNo: string;
  retries: number;
}

/**
 * Asks for a 1–5 rating of a resolved ticket and records it ("५", "five", "paanch", "⭐⭐⭐⭐" all count: the
 * normalizer reads them). A rating below the running average flags the ticket and the citizen is told someone will
 * call. A short reply that is no rating is asked again, twice at most; a message that is plainly something new (a
 * complaint, a ticket number) ends the dialog and is handled as the bot would handle it anyway.
 */
export class FeedbackDialog extends Dialog<{ ticketNo: string }> {
  constructor(
    private readonly store: Store,
    private readonly messages: Messages,
    private readonly now: () => Date,
  ) {
    super(FEEDBACK);
  }

  override async beginDialog(dc: DialogContext, options?: { ticketNo: string }): Promise<DialogTurnResult> {
    if (!options?.ticketNo) throw new Error('the feedback dialog needs the ticket number');
    dc.activeDialog!.state = { ticketNo: options.ticketNo, retries: 0 } satisfies FeedbackState;
    const question = say(this.messages, turnOf(dc.context).language, 'askRating', { ticketNo: options.ticketNo });
    await dc.context.sendActivity(reply(MessageFactory.suggestedActions(RATINGS, question), 'feedback_request'));
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as FeedbackState;
    const turn = turnOf(dc.context);
    const { rating, categories, ticketNumbers } = turn.normalized.entities;
    // not an answer but something new (a complaint, a status query): let go, and the bot takes it as it is
    if (rating === undefined && (categories.length > 0 || ticketNumbers.length > 0 || wordsIn(turn.normalized.text) >= SOMETHING_NEW)) {
      return dc.endDialog({ passedOn: true } satisfies FeedbackOutcome);
    }
    if (rating === undefined) {
      if (state.retries >= MOST_RETRIES) return dc.endDialog();
      state.retries++;
      await dc.context.sendActivity(reply(MessageFactory.suggestedActions(RATINGS, say(this.messages, turn.language, 'ratingAgain')), 'feedback_request'));
      return Dialog.EndOfTurn;
    }
    const outcome = await recordRating(this.store, state.ticketNo, rating, this.messages, turn.language, this.now());
    await dc.context.sendActivity(outcome.text);
    return dc.endDialog({ rating, followUp: outcome.followUp } satisfies FeedbackOutcome);
  }
}
