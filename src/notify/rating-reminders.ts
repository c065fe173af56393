import type { Conversations } from '../bots/conversations.ts';
import type { Messages } from '../bots/messages.ts';
import type { Connector } from '../connectors/connector.ts';
import type { Logger } from '../http/logger.ts';
import type { Normalize } from '../normalizer/index.ts';
import { askToRate, count, emptySweep } from '../pipeline/request-ratings.ts';
import type { SweepTask } from '../pipeline/sweep-task.ts';
import type { Routing } from '../router/routing-table.ts';
import type { Store } from '../store/store.ts';
import { inQuietHours, type QuietHours } from './quiet-hours.ts';

export interface RatingReminderDeps {
  store: Store;
  conversations: Conversations;
  normalize: Normalize;
  connectors: readonly Connector[];
  routing: Routing;
  messages: Messages;
  ticketPrefix: string;
  logger: Logger;
  /** config feedback.reminderHours: an unanswered question is asked again this long after it was asked */
  reminderHours: number;
  /** config notify.quietHours: a reminder that comes due at night is asked in the morning */
  quietHours: QuietHours | null;
}

// a question asked longer ago than the reminder's time plus this is left alone: on the first start with reminders,
// or after the bridge was down for days, nobody is asked about a complaint settled long ago
const STALE_AFTER_MS = 3 * 86_400_000;
const EVERY_MS = 60_000;
const PER_RUN = 200;

/**
 * The rating question asked once more, `reminderHours` after it was asked and left unanswered: a turn of the bot on
 * the citizen's conversation (so the answer is read as a rating, as after the first question), in the reminder's
 * words. The turn and the "reminded" mark are one Store.completeTurn and the outbox key is the ticket's: never a
 * third question, even across a crash.
 *
 * Quiet hours hold the turn itself, not a message queued for the morning: asked at 23:00 and read at 08:00,
 * the question would be a day old in the bot's eyes nine hours early, and the citizen may have started a new
 * complaint in the night, which the bot would then interrupt. Asked at 08:00, it is asked as the citizen reads it.
 */
export function ratingReminders(deps: RatingReminderDeps): SweepTask {
  const connectors = new Map(deps.connectors.map((c) => [c.channel, c]));
  const afterMs = deps.reminderHours * 3_600_000;
  return {
    name: 'rating reminders',
    everyMs: EVERY_MS,
    async run(now) {
      if (inQuietHours(now, deps.quietHours)) return [];
      const askedBefore = new Date(now.getTime() - afterMs);
      const askedFrom = new Date(askedBefore.getTime() - STALE_AFTER_MS);
      const tickets = await deps.store.listTickets({ ratingUnanswered: { askedFrom, askedBefore }, order: 'asc', limit: PER_RUN });
      const sweep = emptySweep();
      const turnDeps = { ...deps, connectors, now: () => now };
      for (const ticket of tickets) count(sweep, await askToRate(ticket, turnDeps, { reminder: true }));
      if (sweep.asked + sweep.notAsked > 0) {
        deps.logger.info({ reminded: sweep.asked, notReminded: sweep.notAsked, later: sweep.later }, 'reminded citizens of an unanswered rating question');
      }
      return sweep.outboxIds;
    },
  };
}
