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
 * Asks for a 1–5 rating of a resolved ticket and records it. The intent layer reads the answer: "५", "five",
 * "paanch", "⭐⭐⭐⭐", "3 ok ahe", a sentence with a feeling ("छान काम केलंत, धन्यवाद"), or "1. Nothing was done"
 * (which also reopens the ticket). A rating below the running average flags the ticket for a call back. A reply
 * that is no rating is asked again, twice at most; a new complaint, a status query or a question never comes
 * here: the bot handles it, and asks again for the rating where it still can.
 */
export class FeedbackDialog extends Dialog<{ ticketNo: string }> {
  constructor(
    private readonly store: Store,
    private readonly messages: Messages,
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
    if (turn.waking) return Dialog.EndOfTurn;
    const answer = turn.understanding?.intent === 'rating' ? turn.understanding.rating : undefined;
    if (!answer) {
      if (state.retries >= MOST_RETRIES) return dc.endDialog();
      state.retries++;
      await this.askAgain(dc.context, turn.language);
      return Dialog.EndOfTurn;
    }
    const outcome = await recordRating(this.store, state.ticketNo, answer.rating, this.messages, turn.language, turn.now, {
      persists: answer.persists,
      ...(answer.persists || answer.rating <= 2 ? { comment: turn.normalized.text } : {}),
    });
    await dc.context.sendActivity(outcome.text);
    return dc.endDialog({ rating: answer.rating, followUp: outcome.followUp });
  }

  override async repromptDialog(context: DialogContext['context']): Promise<void> {
    await this.askAgain(context, turnOf(context).language);
  }

  private async askAgain(context: DialogContext['context'], language: Parameters<typeof say>[1]): Promise<void> {
    await context.sendActivity(reply(MessageFactory.suggestedActions(RATINGS, say(this.messages, language, 'ratingAgain')), 'feedback_request'));
  }
}
