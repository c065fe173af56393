import { canTransition, TICKET_TRANSITIONS, type Ticket } from '../../model/index.ts';
import type { ConversationLine } from '../ticket-service.ts';
import { longDate, shortDate } from './dates.ts';
import { csrfField, problemSummary, selectField, textArea, type FormState } from './forms.ts';
import { html, type Html } from './html.ts';
import { layout } from './layout.ts';
import { categoryName, nameOf, namedOptions, type Lookups } from './lookups.ts';
import type { PageCtx } from './page-context.ts';
import { routingWords } from './routing-words.ts';
import { isLate } from './ticket-queue-page.ts';

/** the two forms of a ticket page, as posted when one was refused */
export interface TicketForms {
  status?: FormState & { message?: string };
  forward?: FormState & { message?: string };
}

type Shown = { kind: string; mime?: string; url?: string; storedRef?: string; name?: string; refused?: string };

/** a link only to an https address (never javascript: or a local file); a stored file by its reference */
function attachment(a: Shown, ctx: PageCtx): Html {
  const label = a.name ?? a.mime ?? a.kind;
  const what = a.url?.startsWith('https://') ? html`<a href="${a.url}" rel="noopener noreferrer">${label}</a>` : a.storedRef ? html`${label}: <code>${a.storedRef}</code>` : html`${label}`;
  return html`<li>${what}${a.refused ? html` (${ctx.t.ticket.refused}: ${a.refused})` : ''}</li>`;
}

function osm(ticket: Ticket, ctx: PageCtx): Html {
  const l = ticket.location;
  if (!l) return html`${ctx.t.common.none}`;
  const url = `https://www.openstreetmap.org/?mlat=${l.lat}&mlon=${l.lon}#map=18/${l.lat}/${l.lon}`;
  return html`${l.label ? html`${l.label} · ` : ''}<a href="${url}" rel="noopener noreferrer">${ctx.t.ticket.openMap}</a>`;
}

function facts(ctx: PageCtx, ticket: Ticket, lookups: Lookups): Html {
  const { t } = ctx;
  const k = t.ticket;
  const c = ticket.citizen;
  return html`<dl>
<dt>${k.description}</dt><dd class="pre">${ticket.description.original}</dd>
<dt>${k.citizen}</dt><dd>${c.name ?? t.common.none}</dd>
${c.phone ? html`<dt>${k.phone}</dt><dd><a href="tel:${c.phone}">${c.phone}</a></dd>` : ''}
${c.email ? html`<dt>${k.email}</dt><dd>${c.email}</dd>` : ''}
<dt>${k.language}</dt><dd>${t.languages[ticket.language]}</dd>
<dt>${t.queue.cols.category}</dt><dd>${categoryName(lookups, ticket.category, t) ?? t.common.none}</dd>
<dt>${t.queue.cols.department}</dt><dd>${nameOf(lookups.departments, ticket.department, t)}</dd>
<dt>${t.queue.cols.ward}</dt><dd>${ticket.ward ? nameOf(lookups.wards, ticket.ward, t) : t.common.none}</dd>
<dt>${t.queue.cols.priority}</dt><dd>${t.priority[ticket.priority]}</dd>
<dt>${k.created}</dt><dd>${longDate(ticket.createdAt, t)}</dd>
<dt>${t.queue.cols.due}</dt><dd${isLate(ticket, ctx.now) ? html` class="late"` : ''}>${longDate(ticket.slaDueAt, t)}</dd>
<dt>${k.location}</dt><dd>${osm(ticket, ctx)}</dd>
</dl>`;
}

function conversation(ctx: PageCtx, lines: readonly ConversationLine[]): Html {
  const k = ctx.t.ticket;
  return html`<section><h2>${k.conversation}</h2><ol>${lines.map(
    (l) => html`<li><b>${l.from === 'citizen' ? k.citizenSaid : k.bridgeSaid}</b> · ${shortDate(l.at)} · ${l.channel}${l.state ? ` · ${l.state}` : ''}
<div class="pre">${l.text}</div>${l.attachments?.length ? html`<ul>${l.attachments.map((a) => attachment(a, ctx))}</ul>` : ''}</li>`,
  )}</ol></section>`;
}

function history(ctx: PageCtx, ticket: Ticket): Html {
  const { t } = ctx;
  return html`<section><h2>${t.ticket.history}</h2><table class="cards"><tbody>${ticket.history.map(
    (h) => html`<tr><td>${shortDate(h.at)}</td><td>${h.by}</td><td>${h.from ? `${t.status[h.from]} → ` : ''}${t.status[h.to]}</td><td class="pre">${h.publicNote ? `${t.ticket.toCitizen}: ${h.publicNote}\n` : ''}${h.note ?? ''}</td></tr>`,
  )}</tbody></table></section>`;
}

function statusForm(ctx: PageCtx, ticket: Ticket, state: TicketForms['status']): Html {
  const { t } = ctx;
  // forwarding is the forward form's: a status alone would not say where to
  const moves = TICKET_TRANSITIONS[ticket.status].filter((m) => m !== 'forwarded');
  if (!moves.length) return html`<section><h2>${t.ticket.changeStatus}</h2><p>${t.ticket.noMoves}</p></section>`;
  // no status chosen for the officer: they pick one
  const s = state ?? { values: { status: '' }, problems: [] };
  return html`<section><h2>${t.ticket.changeStatus}</h2>${problemSummary(ctx, s, s.message)}
<form method="post" action="/admin/tickets/${encodeURIComponent(ticket.ticketNo)}/status">${csrfField(ctx)}
${selectField(s, { name: 'status', label: t.ticket.newStatus, options: [{ value: '', label: t.ticket.choose }, ...moves.map((m) => ({ value: m, label: t.status[m] }))] })}
${textArea(s, { name: 'publicNote', label: t.ticket.publicNote, hint: t.ticket.publicNoteHint })}
${textArea(s, { name: 'note', label: t.ticket.note, hint: t.ticket.noteHint })}
<button type="submit">${t.ticket.changeStatus}</button></form></section>`;
}

function forwardForm(ctx: PageCtx, ticket: Ticket, lookups: Lookups, state: TicketForms['forward']): Html {
  const { t } = ctx;
  // a forward moves the ticket to "forwarded": not possible once the work is done
  if (!canTransition(ticket.status, 'forwarded')) return html``;
  const s = state ?? { values: { department: ticket.department, ward: ticket.ward ?? '' }, problems: [] };
  return html`<section><h2>${t.ticket.forward}</h2>${problemSummary(ctx, s, s.message)}
<form method="post" action="/admin/tickets/${encodeURIComponent(ticket.ticketNo)}/forward">${csrfField(ctx)}
${selectField(s, { name: 'department', label: t.queue.cols.department, options: namedOptions(lookups.departments, t, { keep: ticket.department }) })}
${selectField(s, { name: 'ward', label: t.queue.cols.ward, options: namedOptions(lookups.wards, t, { none: t.ticket.noWard, ...(ticket.ward ? { keep: ticket.ward } : {}) }) })}
${textArea(s, { name: 'note', label: t.ticket.note, hint: t.ticket.noteHint })}
<button type="submit">${t.ticket.forward}</button></form></section>`;
}

/** One ticket: what the citizen wrote and where, why it is here, what was said and done, and what to do next. */
export function renderTicket(ctx: PageCtx, data: { ticket: Ticket; conversation: readonly ConversationLine[] }, lookups: Lookups, forms: TicketForms = {}): string {
  const { t } = ctx;
  const { ticket } = data;
  const title = t.ticket.title(ticket.ticketNo);
  const body = html`<p><a href="/admin/tickets">← ${t.nav.tickets}</a></p>
<h1>${title} <span class="badge">${t.status[ticket.status]}</span>${ticket.priority === 'urgent' ? html` <span class="badge urgent">${t.priority.urgent}</span>` : ''}</h1>
<section>${facts(ctx, ticket, lookups)}</section>
${ticket.attachments.length ? html`<section><h2>${t.ticket.attachments}</h2><ul>${ticket.attachments.map((a) => attachment(a, ctx))}</ul></section>` : ''}
<section><h2>${t.ticket.routing}</h2><ul>${routingWords(ticket.routing, t).map((s) => html`<li>${s}</li>`)}</ul></section>
${statusForm(ctx, ticket, forms.status)}
${forwardForm(ctx, ticket, lookups, forms.forward)}
${conversation(ctx, data.conversation)}
${history(ctx, ticket)}`;
  return layout(ctx, { title, body, self: `/admin/tickets/${encodeURIComponent(ticket.ticketNo)}` });
}
