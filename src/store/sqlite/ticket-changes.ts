import type Database from 'better-sqlite3';
import { canTransition, type Ticket, type TicketStatus } from '../../model/index.ts';
import { InvalidTransitionError, TicketNotFoundError } from '../errors.ts';
import type { TicketChange } from '../store.ts';
import type { AdminTables } from './admin-tables.ts';
import type { TicketData } from './rows.ts';

interface Row {
  id: number;
  status: TicketStatus;
  data: string;
}

/** Staff changes to a ticket (status, forward) with their history entry and audit entry, in one transaction. */
export class TicketChanges {
  private readonly find;
  private readonly write;
  private readonly history;
  private readonly tx;

  constructor(
    db: Database.Database,
    private readonly admin: AdminTables,
    private readonly read: (ticketNo: string) => Ticket | undefined,
  ) {
    this.find = db.prepare<[string]>(`SELECT id, status, data FROM tickets WHERE ticket_no = ?`);
    this.write = db.prepare<[string, string, string, number]>(`UPDATE tickets SET status = ?, data = ?, updated_at = ? WHERE id = ?`);
    this.history = db.prepare<[number, string, string, string, string, string | null, string | null, string | null]>(
      `INSERT INTO ticket_history (ticket_id, at, by, from_status, to_status, note, public_note, place) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.tx = db.transaction((ticketNo: string, change: TicketChange) => this.changeWithin(ticketNo, change));
  }

  change(ticketNo: string, change: TicketChange): Ticket {
    return this.tx.immediate(ticketNo, change);
  }

  private changeWithin(ticketNo: string, change: TicketChange): Ticket {
    const row = this.find.get(ticketNo) as Row | undefined;
    if (!row) throw new TicketNotFoundError(ticketNo);
    const data = JSON.parse(row.data) as TicketData;
    const moves = change.department !== undefined || change.ward !== undefined;
    const to = change.status ?? (moves ? 'forwarded' : row.status);
    // "forwarded" without a department or ward office is no forward: from in progress it would only move the ticket
    // back, and a forwarded ticket is forwarded again only to somewhere
    if (to === 'forwarded' && !moves && (row.status === 'in_progress' || row.status === 'forwarded')) throw new InvalidTransitionError(ticketNo, row.status, to);
    if (to !== row.status || moves) {
      if (!canTransition(row.status, to)) throw new InvalidTransitionError(ticketNo, row.status, to);
    }
    const at = change.at.toISOString();
    const next: TicketData = { ...data };
    if (change.department !== undefined) next.department = change.department;
    if (change.ward === null) delete next.ward;
    else if (change.ward !== undefined) next.ward = change.ward;
    if (moves && next.routing) {
      // staff decided where it goes: the rules' reasons no longer explain it, and it is no longer unrouted
      const { unrouted: _u, ...routing } = next.routing;
      next.routing = {
        ...routing,
        ...(change.department !== undefined ? { department: { by: 'staff' } } : {}),
        ...(change.ward !== undefined ? { ward: { by: 'staff' } } : {}),
      };
    }
    // the history entry first: the store's trigger writes one for a status changed without it (another system)
    // what the forward named, to tell the citizen where it went
    const place = moves ? JSON.stringify({ ...(change.department !== undefined ? { department: change.department } : {}), ...(change.ward ? { ward: change.ward } : {}) }) : null;
    this.history.run(row.id, at, change.by, row.status, to, change.note ?? null, change.publicNote ?? null, place);
    this.write.run(to, JSON.stringify(next), at, row.id);
    const where = (d: TicketData) => ({ status: d === data ? row.status : to, department: d.department, ...(d.ward ? { ward: d.ward } : {}) });
    const notes = [change.note, change.publicNote !== undefined ? `to the citizen: ${change.publicNote}` : undefined].filter((n) => n !== undefined);
    this.admin.appendAuditNow(
      { actor: change.by, action: moves ? 'forward' : 'status', kind: 'ticket', recordId: ticketNo, before: where(data), after: where(next), ...(notes.length ? { note: notes.join(' · ') } : {}) },
      change.at,
    );
    return this.read(ticketNo)!;
  }
}
