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

interface FeedbackState {
  ticketNo: string;
  retries: number;
}

/**
 * Asks for a 1–5 rating of a resolved ticket and records it ("५", "five", "paanch", "⭐⭐⭐⭐" all count: the
 * normalizer reads them). A rating below the running average flags the ticket and the citizen is told someone will
 * call. Twice something else, and the dialog lets go: the citizen may have a new complaint to tell.
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
    const rating = turn.normalized.entities.rating;
    if (rating === undefined) {
      if (state.retries >= MOST_RETRIES) return dc.endDialog();
      state.retries++;
      await dc.context.sendActivity(reply(MessageFactory.suggestedActions(RATINGS, say(this.messages, turn.language, 'ratingAgain')), 'feedback_request'));
      return Dialog.EndOfTurn;
    }
    const outcome = await recordRating(this.store, state.ticketNo, rating, this.messages, turn.language, this.now());
    await dc.context.sendActivity(outcome.text);
    return dc.endDialog({ rating, followUp: outcome.followUp });
  }
}
