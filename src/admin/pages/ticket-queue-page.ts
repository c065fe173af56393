import { TicketStatus, type Ticket } from '../../model/index.ts';
import { mayRead } from '../permissions.ts';
import type { TicketPage } from '../ticket-service.ts';
import { shortDate } from './dates.ts';
import { html, query, type Html } from './html.ts';
import { layout } from './layout.ts';
import { categoryName, nameOf, type Lookups } from './lookups.ts';
import type { PageCtx } from './page-context.ts';

export interface QueueFilter {
  status?: TicketStatus;
  overdue?: boolean;
  unrouted?: boolean;
  q?: string;
  offset: number;
}

const COUNTED = ['received', 'forwarded', 'in_progress', 'overdue', 'resolved'] as const;
const DONE: readonly TicketStatus[] = ['resolved', 'closed', 'rejected'];

export const isLate = (t: Ticket, now: Date) => !DONE.includes(t.status) && new Date(t.slaDueAt).getTime() < now.getTime();

/** the filter as a query string, so the links of the counts and the pages keep it */
export function filterQuery(f: QueueFilter, over: Partial<QueueFilter> = {}): string {
  const g = { ...f, ...over };
  return query({ status: g.status, overdue: g.overdue ? 'true' : undefined, unrouted: g.unrouted ? 'true' : undefined, q: g.q, offset: g.offset || undefined });
}

function counts(ctx: PageCtx, page: TicketPage, f: QueueFilter): Html {
  const { t } = ctx;
  const items = COUNTED.map((k) => {
    const n = k === 'overdue' ? page.counts.overdue : (page.counts[k] ?? 0);
    const to: Partial<QueueFilter> = k === 'overdue' ? { overdue: true, status: undefined, offset: 0 } : { status: k, overdue: false, offset: 0 };
    const current = k === 'overdue' ? f.overdue && !f.status : f.status === k && !f.overdue;
    return html`<li><a href="/admin/tickets${filterQuery({ ...f, unrouted: f.unrouted }, to)}"${current ? html` aria-current="true"` : ''}><b>${n}</b>${t.counts[k]}</a></li>`;
  });
  const all = html`<li><a href="/admin/tickets${filterQuery(f, { status: undefined, overdue: false, offset: 0 })}"${!f.status && !f.overdue ? html` aria-current="true"` : ''}><b>${page.counts.total}</b>${t.counts.all}</a></li>`;
  return html`<ul class="counts">${items}${all}</ul>`;
}

function filters(ctx: PageCtx, f: QueueFilter): Html {
  const { t } = ctx;
  const statuses = TicketStatus.options.map((s) => html`<option value="${s}"${f.status === s ? html` selected` : ''}>${t.status[s]}</option>`);
  // unrouted tickets are a supervisor's to place; an officer's reach already decides what they see
  const unrouted = mayRead(ctx.role, 'rule')
    ? html`<label><input type="checkbox" name="unrouted" value="true"${f.unrouted ? html` checked` : ''}>${t.queue.unrouted}</label>`
    : '';
  return html`<form method="get" action="/admin/tickets" class="filters card">
<div><label for="q">${t.common.search}</label><input type="search" id="q" name="q" value="${f.q ?? ''}" placeholder="${t.queue.search}" maxlength="200"></div>
<div><label for="status">${t.queue.cols.status}</label><select id="status" name="status"><option value="">${t.queue.anyStatus}</option>${statuses}</select></div>
<div><label><input type="checkbox" name="overdue" value="true"${f.overdue ? html` checked` : ''}>${t.queue.overdue}</label>${unrouted}</div>
<button type="submit">${t.common.filter}</button>
</form>`;
}

function row(ctx: PageCtx, ticket: Ticket, lookups: Lookups): Html {
  const { t } = ctx;
  const c = t.queue.cols;
  return html`<tr>
<td data-label="${c.ticketNo}"><a href="/admin/tickets/${encodeURIComponent(ticket.ticketNo)}">${ticket.ticketNo}</a></td>
<td data-label="${c.date}">${shortDate(ticket.createdAt)}</td>
<td data-label="${c.category}">${categoryName(lookups, ticket.category, t) ?? t.common.none}</td>
<td data-label="${c.ward}">${ticket.ward ? nameOf(lookups.wards, ticket.ward, t) : t.common.none}</td>
<td data-label="${c.department}">${nameOf(lookups.departments, ticket.department, t)}</td>
<td data-label="${c.status}"><span class="badge">${t.status[ticket.status]}</span></td>
<td data-label="${c.priority}">${ticket.priority === 'urgent' ? html`<span class="badge urgent">${t.priority.urgent}</span>` : t.priority.normal}</td>
<td data-label="${c.due}"${isLate(ticket, ctx.now) ? html` class="late"` : ''}>${shortDate(ticket.slaDueAt)}</td>
</tr>`;
}

function paging(ctx: PageCtx, page: TicketPage, f: QueueFilter): Html {
  const { t } = ctx;
  if (page.total === 0) return html`<p>${t.queue.empty}</p>`;
  const to = Math.min(page.total, page.offset + page.items.length);
  const prev = page.offset > 0 ? html`<a href="/admin/tickets${filterQuery(f, { offset: Math.max(0, page.offset - page.limit) })}">← ${t.common.previous}</a>` : html`<span></span>`;
  const next = to < page.total ? html`<a href="/admin/tickets${filterQuery(f, { offset: page.offset + page.limit })}">${t.common.next} →</a>` : html`<span></span>`;
  return html`<div class="paging">${prev}<span>${t.queue.shown(page.offset + 1, to, page.total)}</span>${next}</div>`;
}

/** The ward office's queue: the counts, the filter, and the tickets, readable on an officer's phone. */
export function renderQueue(ctx: PageCtx, page: TicketPage, f: QueueFilter, lookups: Lookups, top?: Html): string {
  const { t } = ctx;
  const c = t.queue.cols;
  const table = page.items.length
    ? html`<table class="cards"><thead><tr><th>${c.ticketNo}</th><th>${c.date}</th><th>${c.category}</th><th>${c.ward}</th><th>${c.department}</th><th>${c.status}</th><th>${c.priority}</th><th>${c.due}</th></tr></thead>
<tbody>${page.items.map((ticket) => row(ctx, ticket, lookups))}</tbody></table>`
    : '';
  const body = html`<h1>${t.queue.title}</h1>${top}${counts(ctx, page, f)}${filters(ctx, f)}<section>${table}${paging(ctx, page, f)}</section>`;
  return layout(ctx, { title: t.queue.title, body });
}
