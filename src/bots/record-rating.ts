import type { Language } from '../model/index.ts';
import type { Store } from '../store/store.ts';
import { say, type Messages } from './messages.ts';

// before anyone has rated, a rating at or below this is taken as unhappy
const UNHAPPY_WITHOUT_HISTORY = 2;

export interface RatingOutcome {
  text: string;
  /** the ticket is flagged for a call back */
  followUp: boolean;
  /** the citizen said the problem is still there: the ticket is reopened */
  reopened: boolean;
}

/**
 * Records a citizen's 1–5 rating of a resolved ticket. A rating below the running average of the other rated
 * tickets (or, with none yet, 2 or less) flags the ticket for a call back, and the citizen is told an officer will
 * call to learn more. When they say the problem is still there ("1. Nothing was done"), the ticket is reopened too.
 */
export async function recordRating(
  store: Store,
  ticketNo: string,
  rating: 1 | 2 | 3 | 4 | 5,
  messages: Messages,
  lang: Language,
  now: Date,
  opts: { comment?: string; persists?: boolean } = {},
): Promise<RatingOutcome> {
  const { averageBefore, ticket } = await store.recordFeedback(ticketNo, { rating, ...(opts.comment ? { comment: opts.comment } : {}), at: now.toISOString() });
  if (opts.persists && (ticket.status === 'resolved' || ticket.status === 'closed')) {
    await store.updateTicketStatus(ticketNo, 'reopened', 'citizen', opts.comment ? `the citizen, rating ${rating}: ${opts.comment}` : `the citizen, rating ${rating}: not solved`);
    await store.setFollowUp(ticketNo, true);
    return { text: say(messages, lang, 'reopened', { ticketNo }), followUp: true, reopened: true };
  }
  const unhappy = averageBefore === undefined ? rating <= UNHAPPY_WITHOUT_HISTORY : rating < averageBefore;
  if (!unhappy) return { text: say(messages, lang, 'thanksRating'), followUp: false, reopened: false };
  await store.setFollowUp(ticketNo, true);
  return { text: say(messages, lang, 'followUp'), followUp: true, reopened: false };
}
