import type { FastifyInstance, FastifyReply } from 'fastify';
import { TicketStatus } from '../../model/index.ts';
import { mayRead } from '../permissions.ts';
import type { AdminPagesDeps } from './deps.ts';
import { loadDigests, renderDigestPanel } from './digest-panel.ts';
import { formValues, one, type FormValues } from './forms.ts';
import { loadLookups } from './lookups.ts';
import { openPage, type PageCtx } from './page-context.ts';
import { asAdminError, redirectWith, sendMessagePage, sendPage } from './respond.ts';
import { renderTicket, type TicketForms } from './ticket-page.ts';
import { renderQueue, type QueueFilter } from './ticket-queue-page.ts';

const PAGE_SIZE = 50;
const int = (v: string | undefined) => (v !== undefined && /^\d{1,7}$/.test(v) ? Number(v) : 0);
const ticketNoOf = (params: unknown) => String((params as { no: string }).no).slice(0, 40);
const ticketPath = (no: string) => `/admin/tickets/${encodeURIComponent(no)}`;

/** The queue, a ticket's page, and its two forms: a status change with a note, and a forward. */
export function registerTicketPages(server: FastifyInstance, deps: AdminPagesDeps): void {
  for (const root of ['/admin', '/admin/']) server.get(root, async (_request, reply) => reply.redirect('/admin/tickets', 303));

  server.get('/admin/tickets', async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { read: 'tickets' });
    if (!ctx) return reply;
    const q = ctx.query;
    const status = TicketStatus.safeParse(q.status);
    const f: QueueFilter = {
      ...(status.success ? { status: status.data } : {}),
      overdue: q.overdue === 'true',
      unrouted: q.unrouted === 'true' && mayRead(ctx.role, 'rule'),
      ...(q.q?.trim() ? { q: q.q.trim().slice(0, 200) } : {}),
      offset: int(q.offset),
    };
    const page = await deps.tickets.list(ctx.caller, {
      ...(f.status ? { status: f.status } : {}),
      ...(f.overdue ? { overdue: true } : {}),
      ...(f.unrouted ? { unrouted: true } : {}),
      ...(f.q ? { search: f.q } : {}),
      offset: f.offset,
      limit: PAGE_SIZE,
    });
    // the home page (the queue as /admin lands on it) starts with yesterday's digest of the viewer's ward offices
    const home = !f.status && !f.overdue && !f.unrouted && !f.q && f.offset === 0;
    const top = home ? renderDigestPanel(ctx, await loadDigests(deps, ctx)) : undefined;
    return sendPage(reply, 200, renderQueue(ctx, page, f, await loadLookups(deps), top));
  });

  const show = async (ctx: PageCtx, reply: FastifyReply, no: string, status: number, forms: TicketForms = {}) => {
    try {
      const data = await deps.tickets.get(ctx.caller, no);
      return sendPage(reply, status, renderTicket(ctx, data, await loadLookups(deps), forms));
    } catch (err) {
      const e = asAdminError(err);
      return sendMessagePage(reply, ctx, e.status, e.status === 404 ? ctx.t.notFound : ctx.t.forbidden);
    }
  };

  server.get('/admin/tickets/:no', async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { read: 'tickets' });
    return ctx ? show(ctx, reply, ticketNoOf(request.params), 200) : reply;
  });

  /** a change refused: the ticket again, with what was typed and why, beside the form that sent it */
  const refused = (ctx: PageCtx, reply: FastifyReply, no: string, form: keyof TicketForms, values: FormValues, err: unknown) => {
    const e = asAdminError(err);
    if (e.status === 404 || e.status === 403) return sendMessagePage(reply, ctx, e.status, e.status === 404 ? ctx.t.notFound : ctx.t.forbidden);
    const message = e.status === 409 ? ctx.t.error.conflict : e.problems.length ? undefined : e.message;
    return show(ctx, reply, no, e.status, { [form]: { values, problems: e.problems, ...(message ? { message } : {}) } });
  };

  server.post('/admin/tickets/:no/status', async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { write: 'tickets' });
    if (!ctx) return reply;
    const no = ticketNoOf(request.params);
    const values = formValues(request.body);
    const note = one(values.note).trim();
    const publicNote = one(values.publicNote).trim();
    try {
      const ticket = await deps.tickets.change(ctx.caller, no, { status: one(values.status), ...(note ? { note } : {}), ...(publicNote ? { publicNote } : {}) });
      return redirectWith(reply, ticketPath(ticket.ticketNo), { ok: 'status' });
    } catch (err) {
      return refused(ctx, reply, no, 'status', values, err);
    }
  });

  server.post('/admin/tickets/:no/forward', async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { write: 'tickets' });
    if (!ctx) return reply;
    const no = ticketNoOf(request.params);
    const values = formValues(request.body);
    const note = one(values.note).trim();
    const ward = one(values.ward);
    try {
      const ticket = await deps.tickets.change(ctx.caller, no, { department: one(values.department), ward: ward === '' ? null : ward, ...(note ? { note } : {}) });
      // forwarded out of an officer's reach, it is no longer theirs to open: back to the queue
      const stillMine = await deps.tickets.get(ctx.caller, ticket.ticketNo).then(() => true, () => false);
      return redirectWith(reply, stillMine ? ticketPath(ticket.ticketNo) : '/admin/tickets', { ok: 'forwarded' });
    } catch (err) {
      return refused(ctx, reply, no, 'forward', values, err);
    }
  });
}
