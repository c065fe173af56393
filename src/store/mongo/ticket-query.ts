import type { TicketStatus } from '../../model/index.ts';
import type { TicketQuery } from '../store.ts';

/** a complaint the city has settled: not open, not overdue */
export const SETTLED: readonly TicketStatus[] = ['resolved', 'closed', 'rejected'];

// matches no ticket: an empty list of statuses, an officer with neither ward offices nor departments
const NONE = { _id: { $in: [] as number[] } };

/** what staff type, matched as written: . * + ? and the rest are characters, not a pattern */
export const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export type TicketFilter = Record<string, unknown>;

/**
 * The filter document for a ticket query, the same conditions as SQLite's WHERE (src/store/sqlite/ticket-filter.ts):
 * each condition one element of `$and`, so two that name the same field (`status` and `statuses`) both hold.
 */
export function ticketFilter(query: TicketQuery): TicketFilter {
  const and: TicketFilter[] = [];
  if (query.status) and.push({ status: query.status });
  if (query.statuses) and.push(query.statuses.length ? { status: { $in: [...query.statuses] } } : NONE);
  if (query.awaitingRating) and.push({ status: 'resolved', feedback: { $exists: false }, ratingRequestedAt: { $exists: false } });
  if (query.ratingUnanswered) {
    // asked in a window, never rated nor reminded: tickets asked long ago are not asked again out of the blue
    const { askedFrom, askedBefore } = query.ratingUnanswered;
    and.push({ status: 'resolved', feedback: { $exists: false }, ratingRequestedAt: { $gte: askedFrom.toISOString(), $lt: askedBefore.toISOString() }, ratingRemindedAt: { $exists: false } });
  }
  if (query.contactId) and.push({ contactId: query.contactId });
  if (query.ward !== undefined) and.push({ ward: query.ward });
  if (query.department !== undefined) and.push({ department: query.department });
  if (query.reach) {
    const { wards, departments } = query.reach;
    const parts = [...(wards.length ? [{ ward: { $in: [...wards] } }] : []), ...(departments.length ? [{ department: { $in: [...departments] } }] : [])];
    // an officer with neither sees nothing, not everything
    and.push(parts.length ? { $or: parts } : NONE);
  }
  if (query.unrouted) and.push({ 'routing.unrouted': true });
  if (query.overdueAt) and.push({ status: { $nin: [...SETTLED] }, slaDueAt: { $lt: query.overdueAt.toISOString() } });
  if (query.dueFrom) and.push({ slaDueAt: { $gte: query.dueFrom.toISOString() } });
  if (query.search) {
    const s = query.search.trim();
    if (/^[A-Za-z]{1,8}\d+$/.test(s)) and.push({ ticketNo: s.toUpperCase() });
    // bare digits: the ticket's number without its prefix (what a citizen reads out), or digits in the text (a PIN)
    else if (/^\d{1,12}$/.test(s)) and.push({ $or: [{ _id: Number(s) }, { 'description.original': { $regex: escapeRegex(s) } }] });
    else and.push({ 'description.original': { $regex: escapeRegex(s), $options: 'i' } });
  }
  return and.length ? { $and: and } : {};
}
