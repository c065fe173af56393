import { MessageFactory } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from '../dialogs-core.ts';
import type { Store } from '../../store/store.ts';
import { say, type Messages } from '../messages.ts';
import { recordRating } from '../record-rating.ts';
import { reply } from '../reply-kind.ts';
import { turnOf, type Turn } from '../turn-input.ts';
import { declinesComment } from '../understand/comment-answer.ts';
import { UNSURE, type Intent, type Understanding } from '../understand/index.ts';

export const FEEDBACK = 'feedback';
const MOST_RETRIES = 2;
// offered as buttons where the channel has them (Messenger quick replies, web chat); on SMS the text says it
const RATINGS = ['1', '2', '3', '4', '5'];
// a comment is a few sentences; a pasted essay is kept to this
const LONGEST_COMMENT = 1000;
// what the answer to "why?" is, when the intent layer is sure of it, instead of the comment
const NOT_A_COMMENT: ReadonlySet<Intent> = new Set(['status', 'language', 'wish_to_complain', 'cancel']);

// how long after "why?" a message is still taken as its answer
const COMMENT_WINDOW_MS = 2 * 60 * 60 * 1000;

interface FeedbackState {
  ticketNo: string;
  retries: number;
  /** rated, and "why?" asked: the next message is the comment */
  phase?: 'comment';
  /** when "why?" was asked (ISO): an answer is a comment only for a while, then the citizen has moved on */
  askedAt?: string;
  /** the rated ticket's category: a message about another problem is a new complaint, not the comment */
  category?: string;
}

/**
 * Asks for a 1–5 rating of a resolved ticket and records it, then asks once why (optional). The intent layer reads
 * the rating: "५", "five", "paanch", "⭐⭐⭐⭐", "3 ok ahe", a sentence with a feeling ("छान काम केलंत, धन्यवाद"),
 * or "1. Nothing was done" (which also reopens the ticket). A rating below the running average flags the ticket for
 * a call back. A reply that is no rating is asked again, twice at most; a new complaint, a status query or a
 * question never comes here: the bot handles it, and asks again for the rating where it still can. A rating that
 * already says why ("2, garbage still there") is not asked why.
 */
export class FeedbackDialog extends Dialog<{ ticketNo: string; reminder?: boolean }> {
  constructor(
    private readonly store: Store,
    private readonly messages: Messages,
    private readonly reopenBelowAverage = false,
  ) {
    super(FEEDBACK);
  }

  override async beginDialog(dc: DialogContext, options?: { ticketNo: string; reminder?: boolean }): Promise<DialogTurnResult> {
    if (!options?.ticketNo) throw new Error('the feedback dialog needs the ticket number');
    dc.activeDialog!.state = { ticketNo: options.ticketNo, retries: 0 } satisfies FeedbackState;
    const question = say(this.messages, turnOf(dc.context).language, options.reminder ? 'ratingReminder' : 'askRating', { ticketNo: options.ticketNo });
    await dc.context.sendActivity(reply(MessageFactory.suggestedActions(RATINGS, question), 'feedback_request'));
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as FeedbackState;
    const turn = turnOf(dc.context);
    if (turn.waking) return Dialog.EndOfTurn;
    if (state.phase === 'comment') return this.takeComment(dc, state, turn);
    const answer = turn.understanding?.intent === 'rating' ? turn.understanding.rating : undefined;
    // "I'll rate it later": thanked, not asked again now; the ticket stays open to a rating (and its reminder)
    if (!answer && turn.understanding?.ratingLater) {
      await dc.context.sendActivity(say(this.messages, turn.language, 'thanks'));
      return dc.endDialog();
    }
    if (!answer) {
      if (state.retries >= MOST_RETRIES) return dc.endDialog();
      state.retries++;
      await this.askAgain(dc.context, turn.language);
      return Dialog.EndOfTurn;
    }
    const comment = answer.comment ?? (answer.persists ? turn.normalized.text : undefined);
    const outcome = await recordRating(this.store, state.ticketNo, answer.rating, this.messages, turn.language, turn.now, {
      persists: answer.persists,
      reopenBelowAverage: this.reopenBelowAverage,
      ...(comment ? { comment: comment.slice(0, LONGEST_COMMENT) } : {}),
    });
    if (comment) {
      await dc.context.sendActivity(outcome.text);
      return dc.endDialog({ rating: answer.rating, followUp: outcome.followUp });
    }
    // "why?" once; the promise of a call stays, the plain thanks is in the question
    if (outcome.followUp) await dc.context.sendActivity(outcome.text);
    await dc.context.sendActivity(say(this.messages, turn.language, 'askComment'));
    state.phase = 'comment';
    state.askedAt = turn.now.toISOString();
    const category = (await this.store.getTicket(state.ticketNo))?.category;
    if (category) state.category = category;
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: DialogContext['context'], instance: { state: unknown }): Promise<void> {
    const language = turnOf(context).language;
    if ((instance.state as FeedbackState).phase === 'comment') await context.sendActivity(say(this.messages, language, 'askComment'));
    else await this.askAgain(context, language);
  }

  /** the answer to "why?": kept with the rating, unless the citizen would rather not say */
  private async takeComment(dc: DialogContext, state: FeedbackState, turn: Turn): Promise<DialogTurnResult> {
    const text = turn.normalized.text.trim();
    if (declinesComment(text) || !/\p{L}/u.test(text)) {
      await dc.context.sendActivity(say(this.messages, turn.language, 'thanks'));
      return dc.endDialog();
    }
    await this.store.setFeedbackComment(state.ticketNo, text.slice(0, LONGEST_COMMENT));
    await dc.context.sendActivity(say(this.messages, turn.language, 'thanksComment'));
    return dc.endDialog();
  }

  private async askAgain(context: DialogContext['context'], language: Parameters<typeof say>[1]): Promise<void> {
    await context.sendActivity(reply(MessageFactory.suggestedActions(RATINGS, say(this.messages, language, 'ratingAgain')), 'feedback_request'));
  }
}

/** the feedback dialog has asked "why?" and waits for the comment */
export function awaitsComment(dc: DialogContext): boolean {
  return dc.activeDialog?.id === FEEDBACK && (dc.activeDialog.state as FeedbackState).phase === 'comment';
}

/**
 * The answer to "why?" is the comment, whatever it reads as ("काम उशिरा झाले" is not a new complaint), unless it is
 * plainly something else: a status question, a request for another language, a wish to complain, "cancel", a
 * photo, or a complaint about a problem other than the one rated ("now there is no water in Warje").
 */
export function isComment(dc: DialogContext, u: Understanding, turn: Turn): boolean {
  if (turn.message.attachments.length > 0) return false;
  const { askedAt } = dc.activeDialog!.state as FeedbackState;
  // hours later a message is about something new, not the answer to "why?"
  if (askedAt !== undefined && turn.now.getTime() - Date.parse(askedAt) > COMMENT_WINDOW_MS) return false;
  if (u.confidence < UNSURE) return true;
  if (NOT_A_COMMENT.has(u.intent)) return false;
  if (u.intent !== 'complaint' && u.intent !== 'outside_area') return true;
  const rated = (dc.activeDialog!.state as FeedbackState).category;
  const named = turn.normalized.entities.categories.map((c) => c.categoryId);
  return named.length === 0 || (rated !== undefined && named.includes(rated));
}
