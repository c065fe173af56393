import { TicketStatus, type OutboxEntry, type Ticket } from '../model/index.ts';
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

/** a thread's replies that name no ticket are this ticket's when sent this close to its own messages */
const CONVERSATION_MARGIN_MS = 60 * 60 * 1000;

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

  /**
   * What the citizen wrote (the ticket's messages) and what the bridge answered about this ticket, in order. A
   * thread (an SMS number, a chat) carries every ticket of that citizen: of its replies only those naming this
   * ticket, and those naming none (the bot's questions while it was filed) sent within an hour of this ticket's own
   * messages. A reply that names another ticket is never shown here: that ticket may be outside the caller's reach.
   */
  private async conversation(ticket: Ticket): Promise<ConversationLine[]> {
    const lines: ConversationLine[] = [];
    const threads = new Set<string>();
    const times: number[] = [];
    for (const source of ticket.sources) {
      const m = (await this.o.store.getInboundBySource(source))?.message;
      if (!m) continue;
      threads.add(m.threadKey);
      const at = Date.parse(m.receivedAt);
      if (Number.isFinite(at)) times.push(at);
      lines.push({ at: m.receivedAt, from: 'citizen', channel: m.channel, text: m.text, ...(m.attachments.length ? { attachments: m.attachments } : {}) });
    }
    const from = times.length ? Math.min(...times) - CONVERSATION_MARGIN_MS : Infinity;
    const to = times.length ? Math.max(...times) + CONVERSATION_MARGIN_MS : -Infinity;
    const unnamedInSpan = (r: OutboxEntry) => {
      if (r.message.ticketNo !== undefined) return false;
      const at = Date.parse(r.createdAt);
      return at >= from && at <= to;
    };
    const seen = new Set<number>();
    const replies = [...(await this.o.store.listOutbox({ ticketNo: ticket.ticketNo, limit: 200 }))];
    for (const threadKey of threads) replies.push(...(await this.o.store.listOutbox({ threadKey, limit: 1000 })).filter(unnamedInSpan));
    for (const r of replies) {
      if (seen.has(r.id) || (r.message.ticketNo !== undefined && r.message.ticketNo !== ticket.ticketNo)) continue;
      seen.add(r.id);
      lines.push({ at: r.createdAt, from: 'bridge', channel: r.message.channel, text: r.message.text, state: r.state });
    }
    return lines.sort((a, b) => a.at.localeCompare(b.at));
  }

  /**
   * A status change with a note, or a forward to another department or ward office with a note: the note is kept
   * in the ticket's history, for staff only; a resolution or rejection may carry a public note, which the citizen
   * is sent with the status update. A forward goes to an
   * enabled department and ward office (the ticket's own, even if disabled since, may stay).
   */
  async change(caller: TicketCaller, ticketNo: string, body: Record<string, unknown>): Promise<Ticket> {
    mustWrite(caller.role, 'tickets');
    const { ticket } = await this.get(caller, ticketNo);
    const problems: FieldProblem[] = [];
    const status = body.status === undefined || body.status === '' ? undefined : TicketStatus.safeParse(body.status);
    if (body.status === '') problems.push({ field: 'status', message: 'choose the new status' });
    if (status && !status.success) problems.push({ field: 'status', message: `one of ${TicketStatus.options.join(', ')}` });
    const str = (k: string) => (body[k] === undefined || body[k] === null ? undefined : typeof body[k] === 'string' && body[k].trim() ? body[k].trim() : (problems.push({ field: k, message: 'must be a non-empty text' }), undefined));
    const note = str('note');
    const publicNote = str('publicNote');
    const department = str('department');
    const ward = body.ward === null ? null : str('ward');
    if (note && note.length > 2000) problems.push({ field: 'note', message: 'at most 2000 characters' });
    // it goes by SMS: with the stage before it, four parts of Devanagari at most
    if (publicNote && publicNote.length > 200) problems.push({ field: 'publicNote', message: 'at most 200 characters (it is sent by SMS)' });
    const to = status?.success ? status.data : undefined;
    const moves = department !== undefined || ward !== undefined;
    if (publicNote && to !== 'resolved' && to !== 'rejected') problems.push({ field: 'publicNote', message: 'the citizen is told a note only when their complaint is resolved or rejected: use note' });
    if ((to === 'resolved' || to === 'rejected') && !note && !publicNote && !problems.some((p) => p.field === 'note' || p.field === 'publicNote'))
      problems.push({ field: 'note', message: to === 'resolved' ? 'say what was done, for the citizen (publicNote) or the history (note)' : 'say why, for the citizen (publicNote) or the history (note)' });
    else if (!note && !publicNote && !problems.some((p) => p.field === 'note')) {
      if (moves) problems.push({ field: 'note', message: 'say why it goes there (kept in the ticket history)' });
      else if (to !== undefined) problems.push({ field: 'note', message: 'say what was done or why (kept in the ticket history)' });
    }
    const known = async (kind: 'department' | 'ward', id: string | null | undefined, current: string | undefined) => {
      if (id === undefined || id === null) return;
      const r = await this.o.store.admin.getRecord(kind, id);
      if (!r) problems.push({ field: kind, message: `no ${kind} "${id}"` });
      // nobody watches a disabled one's queue; the ticket's own may stay while the other is changed
      else if ((r.data as { enabled?: boolean }).enabled === false && id !== current) problems.push({ field: kind, message: `${kind} "${id}" is disabled: forward to another` });
    };
    await known('department', department, ticket.department);
    await known('ward', ward, ticket.ward);
    for (const k of Object.keys(body)) if (!['status', 'note', 'publicNote', 'department', 'ward'].includes(k)) problems.push({ field: k, message: 'not a field of a ticket change (status, note, publicNote, department, ward)' });
    if (problems.length) throw invalid(problems);
    if (to === undefined && !moves) throw invalid([{ field: 'status', message: 'nothing to change: give a status, a department or a ward' }]);
    try {
      return await this.o.store.changeTicket(ticket.ticketNo, {
        ...(to ? { status: to } : {}),
        ...(department !== undefined ? { department } : {}),
        ...(ward !== undefined ? { ward } : {}),
        ...(note ? { note } : {}),
        ...(publicNote ? { publicNote } : {}),
        by: caller.ref,
        at: this.now(),
      });
    } catch (err) {
      if (err instanceof InvalidTransitionError && err.to === 'forwarded' && !moves)
        throw new AdminError(409, `${err.message} by a status alone: forward it to a department or ward office instead`);
      if (err instanceof InvalidTransitionError) throw new AdminError(409, `${err.message} (allowed from ${err.from}: see the ticket's status)`);
      if (err instanceof TicketNotFoundError) throw new AdminError(404, err.message);
      throw err;
    }
  }
}
