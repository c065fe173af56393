import type { ClientSession, Connection } from 'mongoose';
import { canTransition, type Ticket, type TicketStatus } from '../../model/index.ts';
import type { AuditInput } from '../admin-store.ts';
import { InvalidTransitionError, TicketNotFoundError } from '../errors.ts';
import type { TicketChange } from '../store.ts';
import { atomically, opt } from './atomic.ts';
import type { TicketDoc } from './ticket-docs.ts';
import type { MongoTickets } from './tickets.ts';

/** writes an audit entry inside the change's transaction (MongoAdminStore.appendAuditIn) */
export type AuditWriter = (entry: AuditInput, at: Date, session: ClientSession) => Promise<unknown>;

type Placed = Pick<TicketDoc, 'status' | 'department' | 'ward' | 'routing'>;

/**
 * What a staff change does to a ticket (pure): the status it moves to, the $set/$unset of its place and routing,
 * and the history entry's place. Throws InvalidTransitionError as SQLite's TicketChanges does.
 */
export function planTicketChange(ticketNo: string, row: Placed, change: TicketChange) {
  const moves = change.department !== undefined || change.ward !== undefined;
  const to: TicketStatus = change.status ?? (moves ? 'forwarded' : row.status);
  // "forwarded" without a department or ward office is no forward: from in progress it would only move the ticket
  // back, and a forwarded ticket is forwarded again only to somewhere
  if (to === 'forwarded' && !moves && (row.status === 'in_progress' || row.status === 'forwarded')) throw new InvalidTransitionError(ticketNo, row.status, to);
  if ((to !== row.status || moves) && !canTransition(row.status, to)) throw new InvalidTransitionError(ticketNo, row.status, to);
  const at = change.at.toISOString();
  const $set: Record<string, unknown> = { status: to, updatedAt: at };
  const $unset: Record<string, 1> = {};
  if (change.department !== undefined) $set.department = change.department;
  if (change.ward === null) $unset.ward = 1;
  else if (change.ward !== undefined) $set.ward = change.ward;
  if (moves && row.routing) {
    // staff decided where it goes: the rules' reasons no longer explain it, and it is no longer unrouted
    const { unrouted: _u, ...routing } = row.routing;
    $set.routing = { ...routing, ...(change.department !== undefined ? { department: { by: 'staff' } } : {}), ...(change.ward !== undefined ? { ward: { by: 'staff' } } : {}) };
  }
  // what the forward named, to tell the citizen where it went
  const place = moves ? { ...(change.department !== undefined ? { department: change.department } : {}), ...(change.ward ? { ward: change.ward } : {}) } : undefined;
  const next = { department: change.department ?? row.department, ward: change.ward === null ? undefined : (change.ward ?? row.ward) };
  return { to, moves, update: { $set, ...(Object.keys($unset).length ? { $unset } : {}) }, place, next };
}

/** Staff changes to a ticket (status, forward) with their history entry and audit entry, in one transaction. */
export class MongoTicketChanges {
  constructor(
    private readonly conn: Connection,
    private readonly tickets: MongoTickets,
    private readonly audit: AuditWriter,
  ) {}

  async change(ticketNo: string, change: TicketChange): Promise<Ticket> {
    return atomically(this.conn, (session) => this.changeWithin(ticketNo, change, session));
  }

  private async changeWithin(ticketNo: string, change: TicketChange, session: ClientSession): Promise<Ticket> {
    const row = await this.tickets.model.findOne({ ticketNo }, { _id: 1, status: 1, department: 1, ward: 1, routing: 1 }, { session }).lean<TicketDoc>();
    if (!row) throw new TicketNotFoundError(ticketNo);
    const plan = planTicketChange(ticketNo, row, change);
    const at = change.at.toISOString();
    await this.tickets.appendHistory(
      [{ ticket: row._id, ticketNo, at, by: change.by, from: row.status, to: plan.to, ...opt('note', change.note), ...opt('publicNote', change.publicNote), ...opt('place', plan.place) }],
      session,
    );
    await this.tickets.model.updateOne({ _id: row._id }, plan.update, { session });
    const where = (status: TicketStatus, d: { department: string; ward?: string | undefined }) => ({ status, department: d.department, ...(d.ward ? { ward: d.ward } : {}) });
    const notes = [change.note, change.publicNote !== undefined ? `to the citizen: ${change.publicNote}` : undefined].filter((n) => n !== undefined);
    await this.audit(
      {
        actor: change.by,
        action: plan.moves ? 'forward' : 'status',
        kind: 'ticket',
        recordId: ticketNo,
        before: where(row.status, row),
        after: where(plan.to, plan.next),
        ...(notes.length ? { note: notes.join(' · ') } : {}),
      },
      change.at,
      session,
    );
    return (await this.tickets.get(ticketNo, session))!;
  }
}
