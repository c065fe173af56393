import type { FastifyInstance, FastifyReply } from 'fastify';
import type { CampaignPreview } from '../../notify/campaign-preview.ts';
import type { CampaignService } from '../../notify/campaign-service.ts';
import { AdminError } from '../admin-error.ts';
import { CAMPAIGN_WORDS, type CampaignWords } from './campaign-words.ts';
import { shortDate } from './dates.ts';
import type { AdminPagesDeps } from './deps.ts';
import { actionButton, checkGroup, csrfField, emptyForm, formValues, many, one, problemSummary, textArea, textField, type FormState } from './forms.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';
import { openPage, type PageCtx } from './page-context.ts';
import { sendMessagePage, sendPage } from './respond.ts';

const PAGE = '/admin/campaigns';
const LANGS = ['mr', 'hi', 'en'] as const;
const DONE = new Set(['created', 'scheduled', 'cancelled'] as const);

const wordsOf = (ctx: PageCtx): CampaignWords => CAMPAIGN_WORDS[ctx.t.lang];

/** the list, and the form for a new one (with what was posted and its problems, after a refusal) */
async function listPage(ctx: PageCtx, service: CampaignService, state: FormState): Promise<string> {
  const w = wordsOf(ctx);
  const items = await service.list(ctx.caller);
  const table = items.length
    ? html`<table class="cards"><thead><tr><th>${w.id}</th><th>${w.name}</th><th>${w.state}</th><th>${w.scheduled}</th><th>${w.queued}</th><th>${w.skipped}</th></tr></thead><tbody>${items.map(
        (c) => html`<tr><td><a href="${PAGE}/${c.id}">${c.id}</a></td><td data-label="${w.name}">${c.name}</td><td data-label="${w.state}">${w.states[c.state]}</td>
<td data-label="${w.scheduled}">${c.scheduledAt ? shortDate(c.scheduledAt) : ''}</td><td data-label="${w.queued}">${c.counts.queued}</td><td data-label="${w.skipped}">${c.counts.skipped}</td></tr>`,
      )}</tbody></table>`
    : html`<p>${w.none}</p>`;
  const form = html`<section><h2>${w.add}</h2><form method="post" action="${PAGE}">${csrfField(ctx)}${problemSummary(ctx, state)}
${textField(state, { name: 'name', label: w.name, required: true })}
${LANGS.map((l) => textArea(state, { name: `texts.${l}`, label: w.text(ctx.t.languages[l]), rows: 3, ...(l === 'mr' ? { hint: w.textHint } : {}) }))}
${textField(state, { name: 'audience.wards', label: w.wards, hint: w.wardsHint })}
${checkGroup(state, { name: 'audience.languages', label: w.languages, hint: w.languagesHint, options: LANGS.map((l) => ({ value: l, label: ctx.t.languages[l] })) })}
<button type="submit">${w.create}</button></form></section>`;
  return layout(ctx, { title: w.title, body: html`<h1>${w.title}</h1><section>${table}</section>${form}`, self: PAGE });
}

/** a campaign: each language's text, segments, audience and cost; schedule and cancel where its state allows */
function previewPage(ctx: PageCtx, p: CampaignPreview, problem?: string): string {
  const w = wordsOf(ctx);
  const rows = p.languages.map(
    (l) => html`<tr><td>${ctx.t.languages[l.language]}</td><td data-label="${w.preview}" class="pre" lang="${l.language}">${l.text}</td><td data-label="${w.segments}">${l.segments} (${l.encoding})</td>
<td data-label="${w.contacts}">${l.contacts}</td><td data-label="${w.bySms}">${l.bySms}</td><td data-label="${w.cost}">${l.cost.toFixed(2)}</td></tr>`,
  );
  const total = html`<tr><td><b>${w.total}</b></td><td></td><td data-label="${w.segments}">${p.total.segments}</td><td data-label="${w.contacts}">${p.total.contacts}</td><td data-label="${w.bySms}">${p.total.bySms}</td><td data-label="${w.cost}"><b>${p.total.cost.toFixed(2)}</b></td></tr>`;
  const done = DONE.has(ctx.query.done as never) ? html`<p class="flash ok" role="status">${w.done[ctx.query.done as 'created']}</p>` : '';
  const refused = problem ? html`<p class="flash error" role="alert">${problem}</p>` : '';
  const cannot = p.problem ? html`<p class="problem">${w.cannot} ${p.problem}</p>` : '';
  const schedule =
    p.state === 'draft' || p.state === 'scheduled'
      ? html`<form method="post" action="${PAGE}/${p.id}/schedule" class="filters">${csrfField(ctx)}<div><label for="f-at">${w.at}</label><input type="datetime-local" id="f-at" name="at" aria-describedby="f-at-hint"><p class="hint" id="f-at-hint">${w.atHint}</p></div><button type="submit">${w.schedule}</button></form>`
      : '';
  const cancel = p.state === 'draft' || p.state === 'scheduled' || p.state === 'sending' ? actionButton(ctx, `${PAGE}/${p.id}/cancel`, w.cancel) : '';
  const wards = p.audience.wards?.length ? html`<p>${w.wards}: ${p.audience.wards.join(', ')}</p>` : '';
  const body = html`${done}${refused}<h1>${p.id} · ${p.name}</h1><p><a href="${PAGE}">${w.back}</a></p>
<section><p>${w.state}: <b>${w.states[p.state]}</b>${p.scheduledAt ? html` · ${w.scheduled}: ${shortDate(p.scheduledAt)}` : ''}</p>${wards}
<table class="cards"><thead><tr><th>${w.language}</th><th>${w.preview}</th><th>${w.segments}</th><th>${w.contacts}</th><th>${w.bySms}</th><th>${w.cost}</th></tr></thead><tbody>${rows}${total}</tbody></table>
<p class="hint">${w.perSegment(p.segmentCost)}</p>${cannot}</section>
<section>${schedule}${cancel}</section>`;
  return layout(ctx, { title: `${p.id} · ${w.title}`, body, self: `${PAGE}/${p.id}` });
}

/** the form as CampaignInput takes it: a text per language given, wards split at commas */
function campaignBody(values: ReturnType<typeof formValues>): Record<string, unknown> {
  const texts = Object.fromEntries(LANGS.map((l) => [l, one(values[`texts.${l}`]).trim()]).filter(([, v]) => v !== ''));
  const wards = one(values['audience.wards']).split(',').map((s) => s.trim()).filter(Boolean);
  const languages = many(values['audience.languages']);
  return { name: one(values.name), texts, audience: { ...(wards.length ? { wards } : {}), ...(languages.length ? { languages } : {}) } };
}

/** "2026-12-05T10:00" from the page's datetime-local field, in IST; empty: now */
function atOf(value: string): Date | undefined {
  if (value === '') return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? new Date(`${value}:00+05:30`) : new Date(NaN);
}

/** /admin/campaigns: the list and a new campaign's form; /admin/campaigns/<id>: its preview, schedule and cancel. */
export function registerCampaignPages(server: FastifyInstance, deps: AdminPagesDeps): void {
  const service = deps.campaigns;
  if (!service) return;
  const show = async (ctx: PageCtx, reply: FastifyReply, id: string, status = 200, problem?: string) => {
    try {
      return sendPage(reply, status, previewPage(ctx, await service.preview(ctx.caller, id), problem));
    } catch (err) {
      if (err instanceof AdminError && err.status === 404) return sendMessagePage(reply, ctx, 404, ctx.t.notFound);
      throw err;
    }
  };
  server.get(PAGE, async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { read: 'campaigns' });
    if (!ctx) return reply;
    return sendPage(reply, 200, await listPage(ctx, service, emptyForm()));
  });
  server.post(PAGE, async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { read: 'campaigns' });
    if (!ctx) return reply;
    const values = formValues(request.body);
    try {
      const c = await service.create(ctx.caller, campaignBody(values));
      return reply.redirect(`${PAGE}/${c.id}?done=created`, 303);
    } catch (err) {
      if (!(err instanceof AdminError) || err.status !== 400) throw err;
      return sendPage(reply, 400, await listPage(ctx, service, { values, problems: err.problems }));
    }
  });
  server.get(`${PAGE}/:id`, async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { read: 'campaigns' });
    if (!ctx) return reply;
    return show(ctx, reply, (request.params as { id: string }).id);
  });
  for (const action of ['schedule', 'cancel'] as const) {
    server.post(`${PAGE}/:id/${action}`, async (request, reply) => {
      const ctx = await openPage(deps, request, reply, { read: 'campaigns' });
      if (!ctx) return reply;
      const { id } = request.params as { id: string };
      try {
        if (action === 'schedule') await service.schedule(ctx.caller, id, atOf(one(formValues(request.body).at)));
        else await service.cancel(ctx.caller, id);
      } catch (err) {
        if (!(err instanceof AdminError) || err.status === 403) throw err;
        return show(ctx, reply, id, err.status, err.message);
      }
      return reply.redirect(`${PAGE}/${id}?done=${action === 'schedule' ? 'scheduled' : 'cancelled'}`, 303);
    });
  }
}
