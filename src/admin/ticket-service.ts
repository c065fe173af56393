import { TicketStatus, type Ticket } from '../model/index.ts';
import { InvalidTransitionError, TicketNotFoundError } from '../store/errors.ts';
import type { Store, TicketQuery } from '../store/store.ts';
import { AdminError, invalid, type FieldProblem } from './admin-error.ts';
import type { Caller } from './admin-service.ts';
import { mustRead, mustWrite } from './permissions.ts';

/** A staff member's caller, with an officer's reach: the ward offices and departments whose tickets they handle. */
export interface TicketCaller extends Caller {
  reach?: { wards: readonly string[]; departments: readonly string[] };
}

export interface TicketFilter {
  status?: TicketStatus;
  ward?: string;
  department?: string;
  unrouted?: boolean;
  overdue?: boolean;
  search?: string;
  offset?: number;
  limit?: number;
}

/** the statuses the queue counts at its top, and overdue */
export type QueueCounts = Partial<Record<TicketStatus, number>> & { overdue: number; total: number };

export interface TicketPage {
  items: Ticket[];
  total: number;
  offset: number;
  limit: number;
  counts: QueueCounts;
}

export interface ConversationLine {
  at: string;
  from: 'citizen' | 'bridge';
  channel: string;
  text: string;
  attachments?: { kind: string; url?: string; storedRef?: string; name?: string }[];
  /** a reply's delivery: pending, sent, delivered, dead … */
  state?: string;
}

/** the officer's reach applies on every read and write: a ticket outside it is "not found", not "forbidden" */
function scoped(caller: TicketCaller): Pick<TicketQuery, 'reach'> {
  return caller.role === 'officer' ? { reach: caller.reach ?? { wards: [], departments: [] } } : {};
}

function within(caller: TicketCaller, t: Ticket): boolean {
  if (caller.role !== 'officer') return true;
  const reach = caller.reach ?? { wards: [], departments: [] };
  return (t.ward !== undefined && reach.wards.includes(t.ward)) || reach.departments.includes(t.department);
}

/** The ward offices' queue: tickets by status, overdue and unrouted; a ticket with its conversation; its status and forward. */
export class TicketService {
  constructor(private readonly o: { store: Store; now?: () => Date }) {}

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  async list(caller: TicketCaller, f: TicketFilter): Promise<TicketPage> {
    mustRead(caller.role, 'tickets');
    const base: TicketQuery = {
      ...scoped(caller),
      ...(f.ward ? { ward: f.ward } : {}),
      ...(f.department ? { department: f.department } : {}),
      ...(f.unrouted ? { unrouted: true } : {}),
      ...(f.search ? { search: f.search } : {}),
    };
    const query: TicketQuery = { ...base, ...(f.status ? { status: f.status } : {}), ...(f.overdue ? { overdueAt: this.now() } : {}) };
    const offset = Math.max(0, f.offset ?? 0);
    const limit = Math.min(200, Math.max(1, f.limit ?? 50));
    const [items, byStatus, matching, overdue] = await Promise.all([
      this.o.store.listTickets({ ...query, offset, limit }),
      this.o.store.countTickets(base),
      this.o.store.countTickets(query),
      this.o.store.countTickets({ ...base, overdueAt: this.now() }),
    ]);
    const sum = (c: Partial<Record<string, number>>) => Object.values(c).reduce<number>((a, n) => a + (n ?? 0), 0);
    return { items, total: sum(matching), offset, limit, counts: { ...byStatus, overdue: sum(overdue), total: sum(byStatus) } };
  }

  async get(caller: TicketCaller, ticketNo: string): Promise<{ ticket: Ticket; conversation: ConversationLine[] }> {
    mustRead(caller.role, 'tickets');
    const ticket = await this.o.store.getTicket(ticketNo.toUpperCase());
    if (!ticket || !within(caller, ticket)) throw new AdminError(404, `no ticket ${ticketNo}`);
    return { ticket, conversation: await this.conversation(ticket) };
  }

  /** what the citizen wrote (the ticket's messages) and what the bridge answered in that conversation, in order */
  private async conversation(ticket: Ticket): Promise<ConversationLine[]> {
    const lines: ConversationLine[] = [];
    const threads = new Set<string>();
    for (const source of ticket.sources) {
      const m = (await this.o.store.getInboundBySource(source))?.message;
      if (!m) continue;
      threads.add(m.threadKey);
      lines.push({ at: m.receivedAt, from: 'citizen', channel: m.channel, text: m.text, ...(m.attachments.length ? { attachments: m.attachments } : {}) });
    }
    const seen = new Set<number>();
    const replies = [...(await this.o.store.listOutbox({ ticketNo: ticket.ticketNo, limit: 100 }))];
    for (const threadKey of threads) replies.push(...(await this.o.store.listOutbox({ threadKey, limit: 100 })));
    for (const r of replies) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      lines.push({ at: r.createdAt, from: 'bridge', channel: r.message.channel, text: r.message.text, state: r.state });
    }
    return lines.sort((a, b) => a.at.localeCompare(b.at));
  }

  /**
   * A status change with a note, or a forward to another department or ward office. Resolving and rejecting need a
   * note (the citizen is told it); the department and ward must exist.
   */
  async change(caller: TicketCaller, ticketNo: string, body: Record<string, unknown>): Promise<Ticket> {
    mustWrite(caller.role, 'tickets');
    const { ticket } = await this.get(caller, ticketNo);
    const problems: FieldProblem[] = [];
    const status = body.status === undefined ? undefined : TicketStatus.safeParse(body.status);
    if (status && !status.success) problems.push({ field: 'status', message: `one of ${TicketStatus.options.join(', ')}` });
    const str = (k: string) => (body[k] === undefined || body[k] === null ? undefined : typeof body[k] === 'string' && body[k].trim() ? body[k].trim() : (problems.push({ field: k, message: 'must be a non-empty text' }), undefined));
    const note = str('note');
    const department = str('department');
    const ward = body.ward === null ? null : str('ward');
    if (note && note.length > 2000) problems.push({ field: 'note', message: 'at most 2000 characters' });
    const to = status?.success ? status.data : undefined;
    if ((to === 'resolved' || to === 'rejected') && !note) problems.push({ field: 'note', message: `say what was done (the citizen is told it when the ticket is ${to})` });
    const known = async (kind: 'department' | 'ward', id: string | null | undefined) => {
      if (id === undefined || id === null) return;
      const r = await this.o.store.admin.getRecord(kind, id);
      if (!r) problems.push({ field: kind, message: `no ${kind} "${id}"` });
    };
    await known('department', department);
    await known('ward', ward);
    for (const k of Object.keys(body)) if (!['status', 'note', 'department', 'ward'].includes(k)) problems.push({ field: k, message: 'not a field of a ticket change (status, note, department, ward)' });
    if (problems.length) throw invalid(problems);
    if (to === undefined && department === undefined && ward === undefined) throw invalid([{ field: 'status', message: 'nothing to change: give a status, a department or a ward' }]);
    try {
      return await this.o.store.changeTicket(ticket.ticketNo, {
        ...(to ? { status: to } : {}),
        ...(department !== undefined ? { department } : {}),
        ...(ward !== undefined ? { ward } : {}),
        ...(note ? { note } : {}),
        by: caller.ref,
        at: this.now(),
      });
    } catch (err) {
      if (err instanceof InvalidTransitionError) throw new AdminError(409, `${err.message} (allowed from ${err.from}: see the ticket's status)`);
      if (err instanceof TicketNotFoundError) throw new AdminError(404, err.message);
      throw err;
    }
  }
}
