import { formatDate } from '../../bots/format-date.ts';
import { enabledWards, wardDigests, previousDay, type Listed, type WardDigest } from '../../notify/digest-figures.ts';
import type { Store } from '../../store/store.ts';
import type { AdminPagesDeps } from './deps.ts';
import { html, type Html } from './html.ts';
import type { PageCtx } from './page-context.ts';

// the figures read the day's whole history: every officer's home page within minutes shares one reading
const KEPT_MS = 5 * 60_000;
const kept = new WeakMap<Store, { day: string; at: number; digests: Promise<WardDigest[]> }>();

function everyWard(store: Store, now: Date): Promise<WardDigest[]> {
  const { day } = previousDay(now);
  const k = kept.get(store);
  if (k && k.day === day && now.getTime() - k.at >= 0 && now.getTime() - k.at < KEPT_MS) return k.digests;
  const digests = enabledWards(store).then((wards) => wardDigests(store, wards, now));
  kept.set(store, { day, at: now.getTime(), digests });
  // a failed reading is not kept
  digests.catch(() => kept.delete(store));
  return digests;
}

/** yesterday's digest of the viewer's ward offices: an officer's reach, every office for admins and supervisors */
export async function loadDigests(deps: AdminPagesDeps, ctx: PageCtx): Promise<WardDigest[]> {
  const all = await everyWard(deps.store, ctx.now);
  if (ctx.role !== 'officer') return all;
  const mine = new Set(ctx.caller.reach?.wards ?? []);
  return all.filter((d) => mine.has(d.ward.id));
}

function listed(ctx: PageCtx, l: Listed): Html {
  const rest = l.count - l.ticketNos.length;
  const links = l.ticketNos.map((no, i) => html`${i ? ', ' : ''}<a href="/admin/tickets/${encodeURIComponent(no)}">${no}</a>`);
  return html`<b>${l.count}</b>${l.ticketNos.length ? html` <span class="hint">${links}${rest > 0 ? ` ${ctx.t.digest.more(rest)}` : ''}</span>` : ''}`;
}

/** the top of the home page: what each ward office is mailed in the morning; nothing for an officer of no ward */
export function renderDigestPanel(ctx: PageCtx, digests: readonly WardDigest[]): Html {
  const w = ctx.t.digest;
  if (digests.length === 0) return ctx.role === 'officer' ? html`` : html`<section class="digest"><p>${w.none}</p></section>`;
  const day = formatDate(`${digests[0]!.day}T12:00:00+05:30`, ctx.t.lang);
  const rows = digests.map(
    (d) => html`<tr>
<td data-label="${w.ward}">${d.ward.name[ctx.t.lang]}</td>
<td data-label="${w.received}">${d.received}</td>
<td data-label="${w.forwarded}">${d.forwarded}</td>
<td data-label="${w.resolved}">${d.resolved}</td>
<td data-label="${w.overdue}"${d.overdue.count ? html` class="late"` : ''}>${listed(ctx, d.overdue)}</td>
<td data-label="${w.followUp}">${listed(ctx, d.followUp)}</td>
</tr>`,
  );
  return html`<section class="digest" aria-labelledby="digest-title">
<h2 id="digest-title">${w.title(day)}</h2>
<p class="hint">${w.intro}</p>
<table class="cards"><thead><tr><th>${w.ward}</th><th>${w.received}</th><th>${w.forwarded}</th><th>${w.resolved}</th><th>${w.overdue}</th><th>${w.followUp}</th></tr></thead>
<tbody>${rows}</tbody></table>
</section>`;
}
