import type Database from 'better-sqlite3';
import type { FeedbackRow } from '../store.ts';

interface Row {
  department: string;
  ward: string | null;
  asked_at: string | null;
  rating: number | null;
  rated_at: string | null;
  follow_up: number | null;
}

// strftime turns any offset a time was written with (+05:30, Z) into UTC with milliseconds, the form
// toISOString gives the bounds in: the comparisons are then plain string order. A full scan of the tickets: a
// report asked now and then, not a path the pipeline takes (an index on these would need a migration).
const SQL = `
  WITH t AS (
    SELECT json_extract(data, '$.department') AS department,
           json_extract(data, '$.ward') AS ward,
           strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(data, '$.ratingRequestedAt')) AS asked_at,
           json_extract(data, '$.feedback.rating') AS rating,
           strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(data, '$.feedback.at')) AS rated_at,
           json_extract(data, '$.followUp') AS follow_up
      FROM tickets
     WHERE json_extract(data, '$.ratingRequestedAt') IS NOT NULL OR json_extract(data, '$.feedback') IS NOT NULL
  )
  SELECT department, ward, asked_at, rating, rated_at, follow_up FROM t
   WHERE (asked_at >= @from AND asked_at < @to) OR (rated_at >= @from AND rated_at < @to)`;

const statements = new WeakMap<Database.Database, Database.Statement<[{ from: string; to: string }]>>();

/** The tickets asked to rate, or rated, in [from, to): what the feedback report counts, one read. */
export function selectFeedbackRows(db: Database.Database, from: Date, to: Date): FeedbackRow[] {
  let stmt = statements.get(db);
  if (!stmt) {
    stmt = db.prepare<[{ from: string; to: string }]>(SQL);
    statements.set(db, stmt);
  }
  return (stmt.all({ from: from.toISOString(), to: to.toISOString() }) as Row[]).map((r) => ({
    department: r.department,
    ...(r.ward !== null ? { ward: r.ward } : {}),
    ...(r.asked_at !== null ? { askedAt: r.asked_at } : {}),
    ...(r.rating !== null ? { rating: r.rating } : {}),
    ...(r.rated_at !== null ? { ratedAt: r.rated_at } : {}),
    followUp: r.follow_up === 1,
  }));
}
