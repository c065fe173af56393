import type { Language } from '../model/index.ts';
import type { Store } from '../store/store.ts';
import { say, type Messages } from './messages.ts';

// before anyone has rated, a rating at or below this is taken as unhappy
const UNHAPPY_WITHOUT_HISTORY = 2;

export interface RatingOutcome {
  text: string;
  /** the ticket is flagged for a call back */
  followUp: boolean;
}

/**
 * Records a citizen's 1–5 rating of a resolved ticket. A rating below the running average of the other rated
 * tickets (or, with none yet, 2 or less) flags the ticket for a call back, and the citizen is told someone will call.
 */
export async function recordRating(
  store: Store,
  ticketNo: string,
  rating: 1 | 2 | 3 | 4 | 5,
  messages: Messages,
  lang: Language,
  now: Date,
  comment?: string,
): Promise<RatingOutcome> {
  const { averageBefore } = await store.recordFeedback(ticketNo, { rating, ...(comment ? { comment } : {}), at: now.toISOString() });
  const unhappy = averageBefore === undefined ? rating <= UNHAPPY_WITHOUT_HISTORY : rating < averageBefore;
  if (!unhappy) return { text: say(messages, lang, 'thanksRating'), followUp: false };
  await store.setFollowUp(ticketNo, true);
  return { text: say(messages, lang, 'followUp'), followUp: true };
}
