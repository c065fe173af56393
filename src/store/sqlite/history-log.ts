import type Database from 'better-sqlite3';
import type { TicketStatus } from '../../model/index.ts';
import type { HistoryEvent } from '../store.ts';
import { TOLD } from '../../model/told-statuses.ts';

interface Row {
  id: number;
  ticket_no: string;
  at: string;
  by: string;
  from_status: TicketStatus | null;
  to_status: TicketStatus;
  public_note: string | null;
  place: string | null;
  next_at: string | null;
}

const TOLD_SQL = [...TOLD].map((s) => `'${s}'`).join(', ');

/** The tickets' history read in order, as the log the status updates are made from. */
export class HistoryLog {
  private readonly after;

  constructor(db: Database.Database) {
    // the ticket's next change that is itself told (a stage, not a note, a close or the citizen's own move), from
    // the (ticket_id, id) index
    this.after = db.prepare<[number, number]>(
      `SELECT h.id, t.ticket_no, h.at, h.by, h.from_status, h.to_status, h.public_note, h.place,
         (SELECT n.at FROM ticket_history n WHERE n.ticket_id = h.ticket_id AND n.id > h.id
            AND n.to_status IN (${TOLD_SQL}) AND (n.from_status IS NOT n.to_status OR n.place IS NOT NULL) AND n.by <> 'citizen'
          ORDER BY n.id LIMIT 1) AS next_at
       FROM ticket_history h JOIN tickets t ON t.id = h.ticket_id
       WHERE h.id > ? ORDER BY h.id LIMIT ?`,
    );
  }

  listAfter(afterId: number, limit: number): HistoryEvent[] {
    return (this.after.all(afterId, limit) as Row[]).map((r) => ({
      id: r.id,
      ticketNo: r.ticket_no,
      at: r.at,
      by: r.by,
      from: r.from_status,
      to: r.to_status,
      ...(r.public_note !== null ? { publicNote: r.public_note } : {}),
      ...(r.place !== null ? { place: JSON.parse(r.place) as HistoryEvent['place'] } : {}),
      ...(r.next_at !== null ? { nextAt: r.next_at } : {}),
    }));
  }
}
