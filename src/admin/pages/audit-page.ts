import type { FastifyInstance } from 'fastify';
import type { AdminPagesDeps } from './deps.ts';
import { shortDate } from './dates.ts';
import { auditKindsHiddenFrom } from '../permissions.ts';
import { html, query } from './html.ts';
import { layout } from './layout.ts';
import { openPage } from './page-context.ts';
import { sendPage } from './respond.ts';

const PAGE_SIZE = 50;
const KINDS = ['mapping', 'rule', 'sla', 'department', 'ward', 'text', 'user', 'token', 'ticket', 'dead-letter', 'session'];
const MOST_JSON = 2000;

/** compact JSON, cut short when long: the audit keeps the whole of it */
function compact(value: unknown): string {
  if (value === undefined) return '';
  const s = JSON.stringify(value);
  return s.length > MOST_JSON ? `${s.slice(0, MOST_JSON)}…` : s;
}

/** Who changed what, newest first, with the record before and after; older pages by the last id shown. */
export function registerAuditPage(server: FastifyInstance, deps: AdminPagesDeps): void {
  server.get('/admin/audit', async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { read: 'audit' });
    if (!ctx) return reply;
    const { t } = ctx;
    const k = t.audit;
    const before = /^\d{1,12}$/.test(ctx.query.before ?? '') ? Number(ctx.query.before) : undefined;
    // a supervisor is not offered, nor shown, the entries of users and tokens
    const hidden: readonly string[] = auditKindsHiddenFrom(ctx.role);
    const kinds = KINDS.filter((x) => !hidden.includes(x));
    const kind = kinds.includes(ctx.query.kind ?? '') ? ctx.query.kind : undefined;
    const items = await deps.service.audit(ctx.caller, { limit: PAGE_SIZE, ...(before ? { beforeId: before } : {}), ...(kind ? { kind } : {}) });
    const filter = html`<form method="get" action="/admin/audit" class="filters card"><div><label for="kind">${k.kind}</label><select id="kind" name="kind"><option value="">${k.anyKind}</option>${kinds.map(
      (x) => html`<option value="${x}"${x === kind ? html` selected` : ''}>${x}</option>`,
    )}</select></div><button type="submit">${t.common.filter}</button></form>`;
    const table = items.length
      ? html`<table class="cards"><thead><tr><th>${k.when}</th><th>${k.who}</th><th>${k.what}</th><th>${k.before}</th><th>${k.after}</th></tr></thead><tbody>${items.map(
          (a) => html`<tr><td data-label="${k.when}">${shortDate(a.at)}</td><td data-label="${k.who}">${a.actor}</td>
<td data-label="${k.what}">${a.action} ${a.kind} <b>${a.recordId}</b>${a.note ? html`<div class="pre">${a.note}</div>` : ''}</td>
<td data-label="${k.before}" class="json">${compact(a.before) || t.common.none}</td><td data-label="${k.after}" class="json">${compact(a.after) || t.common.none}</td></tr>`,
        )}</tbody></table>`
      : html`<p>${k.empty}</p>`;
    const last = items[items.length - 1];
    const older = items.length === PAGE_SIZE && last ? html`<a href="/admin/audit${query({ kind, before: last.id })}">${t.common.older} →</a>` : html`<span></span>`;
    const newest = before ? html`<a href="/admin/audit${query({ kind })}">← ${t.common.newer}</a>` : html`<span></span>`;
    const body = html`<h1>${k.title}</h1>${filter}<section>${table}<div class="paging">${newest}${older}</div></section>`;
    return sendPage(reply, 200, layout(ctx, { title: k.title, body }));
  });
}
