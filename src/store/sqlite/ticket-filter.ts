import type { TicketQuery } from '../store.ts';

// word for word as the partial indexes of migration 7 say it, so SQLite can use them
const OPEN = `t.status NOT IN ('resolved', 'closed', 'rejected')`;
// through the partial index of migration 2 (its WHERE, word for word): the planner would otherwise take the status
// index and read the JSON of every resolved ticket there ever was
const AWAITING_RATING = `t.id IN (SELECT id FROM tickets INDEXED BY tickets_awaiting_rating
  WHERE status = 'resolved' AND json_extract(data, '$.feedback') IS NULL AND json_extract(data, '$.ratingRequestedAt') IS NULL)`;

// asked in a window, never rated nor reminded: the window keeps tickets asked long ago (before reminders existed, or
// while the bridge was down for days) from being asked again out of the blue
const UNANSWERED_RATING = `t.status = 'resolved' AND json_extract(t.data, '$.feedback') IS NULL
  AND json_extract(t.data, '$.ratingRequestedAt') >= ? AND json_extract(t.data, '$.ratingRequestedAt') < ?
  AND json_extract(t.data, '$.ratingRemindedAt') IS NULL`;

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** The WHERE clause and its parameters for a ticket query (tickets aliased `t`). */
export function ticketFilter(query: TicketQuery): { sql: string; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const add = (sql: string, ...values: (string | number)[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (query.status) add('t.status = ?', query.status);
  if (query.statuses) add(query.statuses.length ? `t.status IN (${placeholders(query.statuses.length)})` : '0', ...query.statuses);
  if (query.awaitingRating) add(AWAITING_RATING);
  if (query.ratingUnanswered) {
    const { askedFrom, askedBefore } = query.ratingUnanswered;
    add(UNANSWERED_RATING, askedFrom.toISOString(), askedBefore.toISOString());
  }
  if (query.contactId) add('t.contact_id = ?', query.contactId);
  if (query.ward !== undefined) add(`json_extract(t.data, '$.ward') = ?`, query.ward);
  if (query.department !== undefined) add(`json_extract(t.data, '$.department') = ?`, query.department);
  if (query.reach) {
    const { wards, departments } = query.reach;
    const parts = [
      ...(wards.length ? [`json_extract(t.data, '$.ward') IN (${placeholders(wards.length)})`] : []),
      ...(departments.length ? [`json_extract(t.data, '$.department') IN (${placeholders(departments.length)})`] : []),
    ];
    // an officer with neither sees nothing, not everything
    add(parts.length ? `(${parts.join(' OR ')})` : '0', ...wards, ...departments);
  }
  if (query.unrouted) add(`json_extract(t.data, '$.routing.unrouted') = 1`);
  if (query.overdueAt) add(`${OPEN} AND json_extract(t.data, '$.slaDueAt') < ?`, query.overdueAt.toISOString());
  if (query.dueFrom) add(`json_extract(t.data, '$.slaDueAt') >= ?`, query.dueFrom.toISOString());
  if (query.search) {
    const s = query.search.trim();
    if (/^[A-Za-z]{1,8}\d+$/.test(s)) add('t.ticket_no = ?', s.toUpperCase());
    // bare digits: the ticket's number without its prefix (what a citizen reads out), or digits in the text (a PIN)
    else if (/^\d{1,12}$/.test(s)) add(`(t.number = ? OR instr(json_extract(t.data, '$.description.original'), ?) > 0)`, Number(s), s);
    // instr, not LIKE: what staff type is matched as written, % and _ included
    else add(`instr(lower(json_extract(t.data, '$.description.original')), lower(?)) > 0`, s);
  }
  return { sql: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}
