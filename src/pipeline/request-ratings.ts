import { routeForMessage } from '../router/routing-table.ts';
import { EtagConflictError } from '../store/errors.ts';
import { conversationOf, toOutbox } from './converse.ts';
import type { WakeDeps } from './wake-conversations.ts';

/** what a turn the bridge starts itself needs: the same as waking a conversation */
export type RatingDeps = WakeDeps;

export interface RatingSweep {
  /** outbox entries to send: one question per ticket asked */
  outboxIds: number[];
  asked: number;
  /** the citizen is in another dialog, or the conversation moved on meanwhile: next sweep */
  later: number;
  /** never to be asked: the ticket came by a one-shot or silent channel, or its message is gone */
  notAsked: number;
}

// enough for a sweep every few seconds; a backlog (the bridge was down) drains over a few sweeps
const PER_SWEEP = 200;

/**
 * Asks each citizen whose ticket was resolved for a 1–5 rating, once, on the conversation the complaint came by.
 * The question and the "asked" mark are one Store.completeTurn, so a crash never asks twice. Only conversational
 * channels are asked: an email thread or a public tweet has no bot to read the answer.
 */
export async function requestRatings(deps: RatingDeps): Promise<RatingSweep> {
  const sweep: RatingSweep = { outboxIds: [], asked: 0, later: 0, notAsked: 0 };
  const tickets = await deps.store.listTickets({ awaitingRating: true, order: 'asc', limit: PER_SWEEP });
  for (const ticket of tickets) {
    const log = { ticketNo: ticket.ticketNo, channel: ticket.sources[0]!.channel };
    const archived = await deps.store.getInboundBySource(ticket.sources[0]!);
    const message = archived?.message;
    const mapping = message && deps.routing.mappingFor(message.channel, message.accountId);
    const contact = await deps.store.getContact(ticket.citizen.contactId);
    if (!message || !mapping || mapping.replyPolicy !== 'conversational' || !contact) {
      await deps.store.markRatingRequested(ticket.ticketNo, deps.now());
      sweep.notAsked++;
      deps.logger.info({ ...log, policy: mapping?.replyPolicy }, 'resolved ticket not asked for a rating: no conversation to ask on');
      continue;
    }
    const connector = deps.connectors.get(message.channel);
    if (!connector) {
      sweep.later++; // the channel is off for now (credentials missing): ask when it is back
      continue;
    }
    if (connector.canReach && !(await connector.canReach(message.threadKey))) {
      await deps.store.markRatingRequested(ticket.ticketNo, deps.now());
      sweep.notAsked++; // the web chat page is long closed: a question there would only be a dead letter
      deps.logger.info(log, 'resolved ticket not asked for a rating: its conversation has ended');
      continue;
    }
    const now = deps.now();
    const input = { message, normalized: deps.normalize(message), contact, mapping, route: routeForMessage(deps.routing, mapping, message) };
    const turn = await deps.conversations.askForRating(input, { ticketNo: ticket.ticketNo, language: ticket.language });
    if (!turn) {
      sweep.later++;
      continue;
    }
    const replies = toOutbox(message, turn.replies, turn.language, (i) => `rating:${ticket.ticketNo}:${i}`, deps, 'feedback_request');
    try {
      // a complaint left half told for a day is dropped for the question, and with it any wake-up it had asked for
      const wake = turn.wakeAt !== undefined ? { wake: { conversation: conversationOf(message), at: turn.wakeAt } } : {};
      const { outboxIds } = await deps.store.completeTurn({ state: turn.state, replies, ratingRequested: ticket.ticketNo, ...wake, now });
      sweep.outboxIds.push(...outboxIds);
      sweep.asked++;
    } catch (err) {
      if (!(err instanceof EtagConflictError)) throw err;
      sweep.later++; // the citizen wrote meanwhile
    }
  }
  return sweep;
}
