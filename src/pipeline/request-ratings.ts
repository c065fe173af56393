import type { Ticket } from '../model/index.ts';
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

/** the first question, or the reminder a day on */
export interface RatingAsk {
  reminder: boolean;
}

// enough for a sweep every few seconds; a backlog (the bridge was down) drains over a few sweeps
const PER_SWEEP = 200;

/**
 * Asks each citizen whose ticket was resolved for a 1–5 rating, once, on the conversation the complaint came by.
 * The question and the "asked" mark are one Store.completeTurn, so a crash never asks twice. Only conversational
 * channels are asked: an email thread or a public tweet has no bot to read the answer.
 */
export async function requestRatings(deps: RatingDeps, opts: { resolvedBefore?: Date } = {}): Promise<RatingSweep> {
  const sweep = emptySweep();
  const tickets = await deps.store.listTickets({ awaitingRating: true, order: 'asc', limit: PER_SWEEP });
  const before = opts.resolvedBefore?.getTime() ?? Infinity;
  for (const ticket of tickets) {
    // resolved a moment ago: the news that it is resolved goes first (status updates wait for their settle time)
    if (Date.parse(resolvedAt(ticket)) > before) sweep.later++;
    else count(sweep, await askToRate(ticket, deps, { reminder: false }));
  }
  return sweep;
}

/** when the ticket was last resolved (its history's last move to resolved) */
const resolvedAt = (ticket: Ticket): string => [...ticket.history].reverse().find((h) => h.to === 'resolved')?.at ?? ticket.updatedAt;

export const emptySweep = (): RatingSweep => ({ outboxIds: [], asked: 0, later: 0, notAsked: 0 });

export function count(sweep: RatingSweep, outcome: AskOutcome): void {
  if (outcome.kind === 'asked') {
    sweep.asked++;
    sweep.outboxIds.push(...outcome.outboxIds);
  } else sweep[outcome.kind]++;
}

export type AskOutcome = { kind: 'asked'; outboxIds: number[] } | { kind: 'later' } | { kind: 'notAsked' };

/**
 * One ticket's question, as a turn of the bot on the conversation the complaint came by, committed with its mark
 * (asked, or reminded) in one step. A ticket that cannot be asked there is marked all the same, so it is not tried
 * at every sweep.
 */
export async function askToRate(ticket: Ticket, deps: RatingDeps, ask: RatingAsk): Promise<AskOutcome> {
  const log = { ticketNo: ticket.ticketNo, channel: ticket.sources[0]!.channel, reminder: ask.reminder };
  const mark = (at: Date) => (ask.reminder ? deps.store.markRatingReminded(ticket.ticketNo, at) : deps.store.markRatingRequested(ticket.ticketNo, at));
  const archived = await deps.store.getInboundBySource(ticket.sources[0]!);
  const message = archived?.message;
  const mapping = message && deps.routing.mappingFor(message.channel, message.accountId);
  const contact = await deps.store.getContact(ticket.citizen.contactId);
  if (!message || !mapping || mapping.replyPolicy !== 'conversational' || !contact) {
    await mark(deps.now());
    deps.logger.info({ ...log, policy: mapping?.replyPolicy }, 'resolved ticket not asked for a rating: no conversation to ask on');
    return { kind: 'notAsked' };
  }
  const connector = deps.connectors.get(message.channel);
  // the channel is off for now (credentials missing): ask when it is back
  if (!connector) return { kind: 'later' };
  if (connector.canReach && !(await connector.canReach(message.threadKey))) {
    await mark(deps.now());
    deps.logger.info(log, 'resolved ticket not asked for a rating: its conversation has ended');
    return { kind: 'notAsked' }; // the web chat page is long closed: a question there would only be a dead letter
  }
  const now = deps.now();
  const input = { message, normalized: deps.normalize(message), contact, mapping, route: routeForMessage(deps.routing, mapping, message) };
  const turn = await deps.conversations.askForRating(input, { ticketNo: ticket.ticketNo, language: ticket.language, reminder: ask.reminder });
  if (!turn) return { kind: 'later' };
  const key = (i: number) => `${ask.reminder ? 'rating-reminder' : 'rating'}:${ticket.ticketNo}:${i}`;
  const replies = toOutbox(message, turn.replies, turn.language, key, deps, 'feedback_request');
  try {
    // a complaint left half told for a day is dropped for the question, and with it any wake-up it had asked for
    const wake = turn.wakeAt !== undefined ? { wake: { conversation: conversationOf(message), at: turn.wakeAt } } : {};
    const marked = ask.reminder ? { ratingReminded: ticket.ticketNo } : { ratingRequested: ticket.ticketNo };
    const { outboxIds } = await deps.store.completeTurn({ state: turn.state, replies, ...marked, ...wake, now });
    return { kind: 'asked', outboxIds };
  } catch (err) {
    if (!(err instanceof EtagConflictError)) throw err;
    return { kind: 'later' }; // the citizen wrote meanwhile
  }
}
