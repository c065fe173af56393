import type Database from 'better-sqlite3';
import type { WardDayCounts } from '../store.ts';

// each ticket once per kind of change, at the ward office it is at now (the history keeps no ward of its own):
// a ticket forwarded from one office to another counts for the one that has it. Read-only: the table is the
// status updates' (migration 8), and no index covers `at`, so this reads the history once per call; the digest
// asks once a day and the admin home page keeps its answer for minutes. CROSS JOIN keeps the history the outer
// loop: left to itself the planner walks every ticket by the ward index for the GROUP BY and looks up its history
// (13 times slower on 200,000 tickets).
const DAY_SQL = `
  SELECT json_extract(t.data, '$.ward') AS ward,
         count(DISTINCT CASE WHEN h.from_status IS NULL THEN h.ticket_id END) AS received,
         count(DISTINCT CASE WHEN h.to_status = 'forwarded' THEN h.ticket_id END) AS forwarded,
         count(DISTINCT CASE WHEN h.to_status = 'resolved' THEN h.ticket_id END) AS resolved
    FROM ticket_history h CROSS JOIN tickets t ON t.id = h.ticket_id
   WHERE h.at >= ? AND h.at < ?
   GROUP BY 1`;

// open or resolved (closed and rejected ones need no call back), the oldest first; no TicketQuery says followUp.
// One pass over the table: through the ward index it reads the same rows in a scattered order (twice as slow).
const FOLLOW_UP_SQL = `
  SELECT ward, ticket_no, total FROM (
    SELECT json_extract(data, '$.ward') AS ward, ticket_no,
           row_number() OVER (PARTITION BY json_extract(data, '$.ward') ORDER BY number) AS n,
           count(*) OVER (PARTITION BY json_extract(data, '$.ward')) AS total
      FROM tickets NOT INDEXED
     WHERE status NOT IN ('closed', 'rejected') AND json_extract(data, '$.followUp') = 1)
   WHERE n <= ?
   ORDER BY ward, n`;

interface DayRow {
  ward: string | null;
  received: number;
  forwarded: number;
  resolved: number;
}

/** What the staff digest counts of a day, per ward office (Store.countHistory). */
class HistoryCounts {
  private readonly day;
  private readonly followUp;

  constructor(db: Database.Database) {
    this.day = db.prepare<[string, string]>(DAY_SQL);
    this.followUp = db.prepare<[number]>(FOLLOW_UP_SQL);
  }

  count(from: Date, to: Date, listed: number): WardDayCounts[] {
    const byWard = new Map<string | null, WardDayCounts>();
    const of = (ward: string | null): WardDayCounts => {
      let c = byWard.get(ward);
      if (!c) byWard.set(ward, (c = { ward, received: 0, forwarded: 0, resolved: 0, followUp: 0, followUpTicketNos: [] }));
      return c;
    };
    for (const r of this.day.all(from.toISOString(), to.toISOString()) as DayRow[]) Object.assign(of(r.ward), { received: r.received, forwarded: r.forwarded, resolved: r.resolved });
    // at least one row per ward office, which carries its total, even when no numbers are to be listed
    for (const r of this.followUp.all(Math.max(1, listed)) as { ward: string | null; ticket_no: string; total: number }[]) {
      const c = of(r.ward);
      c.followUp = r.total;
      if (c.followUpTicketNos.length < listed) c.followUpTicketNos.push(r.ticket_no);
    }
    return [...byWard.values()];
  }
}

const prepared = new WeakMap<Database.Database, HistoryCounts>();

/** the counts of one database, its statements prepared once */
export function countHistory(db: Database.Database, q: { from: Date; to: Date; listed: number }): WardDayCounts[] {
  let counts = prepared.get(db);
  if (!counts) prepared.set(db, (counts = new HistoryCounts(db)));
  return counts.count(q.from, q.to, q.listed);
}
