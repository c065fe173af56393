import type { Language } from '../model/index.ts';
import type { Store } from '../store/store.ts';
import { say, type Messages } from './messages.ts';

// before anyone has rated, a rating at or below this is taken as unhappy
const UNHAPPY_WITHOUT_HISTORY = 2;

export interface RatingOutcome {
  text: string;
  /** the ticket is flagged for a call back */
  followUp: boolean;
  /** the ticket is reopened: the citizen said the problem is still there, or (config) the rating is below average */
  reopened: boolean;
}

/**
 * Records a citizen's 1–5 rating of a resolved ticket. A rating below the running average (of the ticket's
 * department in its ward office, its department, or all tickets: the store says which) flags the ticket for a call
 * back, and the citizen is told an officer will call to learn more; with `reopenBelowAverage` (config
 * feedback.reopenBelowAverage) it also reopens the ticket. When they say the problem is still there ("1. Nothing
 * was done"), the ticket is reopened and flagged whatever the rating. One store step does all of it.
 */
export async function recordRating(
  store: Store,
  ticketNo: string,
  rating: 1 | 2 | 3 | 4 | 5,
  messages: Messages,
  lang: Language,
  now: Date,
  opts: { comment?: string; persists?: boolean; reopenBelowAverage?: boolean } = {},
): Promise<RatingOutcome> {
  const result = await store.recordFeedback(
    ticketNo,
    { rating, ...(opts.comment ? { comment: opts.comment } : {}), at: now.toISOString() },
    {
      unhappyAtMost: UNHAPPY_WITHOUT_HISTORY,
      persists: opts.persists === true,
      reopenBelowAverage: opts.reopenBelowAverage === true,
      reopenBy: 'citizen',
      reopenNote: `the citizen, rating ${rating}: ${opts.comment ?? 'not solved'}`,
    },
  );
  if (result.reopened && opts.persists) return { text: say(messages, lang, 'reopened', { ticketNo }), followUp: true, reopened: true };
  if (result.followUp) return { text: say(messages, lang, 'followUp'), followUp: true, reopened: result.reopened };
  return { text: say(messages, lang, 'thanksRating'), followUp: false, reopened: false };
}
