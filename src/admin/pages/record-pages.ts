import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Shown } from '../admin-service.ts';
import { mayWrite } from '../permissions.ts';
import type { AdminPagesDeps } from './deps.ts';
import { actionButton, csrfField, emptyForm, formValues, hidden, problemSummary, type FormState, type FormValues } from './forms.ts';
import { html, type Html } from './html.ts';
import { layout } from './layout.ts';
import { loadLookups, type Lookups } from './lookups.ts';
import { openPage, type PageCtx } from './page-context.ts';
import { asAdminError, redirectWith, sendMessagePage, sendPage } from './respond.ts';
import type { Words } from './words-en.ts';

/** One kind of routing record on its pages: its table, its form, and how a form becomes a record and back. */
export interface RecordPages<R extends { id: string }> {
  kind: 'mapping' | 'rule' | 'sla';
  /** /admin/<path> */
  path: string;
  title: (t: Words) => string;
  intro?: (t: Words) => string;
  addTitle: (t: Words) => string;
  editTitle: (t: Words, id: string) => string;
  table: (ctx: PageCtx, items: readonly { record: R; version: number }[], lookups: Lookups) => Html;
  fields: (ctx: PageCtx, state: FormState, lookups: Lookups, mode: 'add' | 'edit') => Html;
  /** the record a posted form describes; `current` keeps what the form does not show */
  fromForm: (values: FormValues, current?: R) => Record<string, unknown>;
  toForm: (record: R) => FormValues;
  blank: FormValues;
  order?: (a: R, b: R) => number;
}

interface Shape {
  /** absent: the record as stored */
  state?: FormState;
  message?: string;
  /** the version the refused form was read at, so a second try is still checked against it */
  version?: number;
}

/** the list, its add form and, for a record, its edit page; saving answers with a redirect (PRG) or the form again */
export function registerRecordPages<R extends { id: string }>(server: FastifyInstance, deps: AdminPagesDeps, spec: RecordPages<R>): void {
  const base = `/admin/${spec.path}`;
  const pathOf = (id: string) => `${base}/${encodeURIComponent(id)}`;
  const idOf = (params: unknown) => String((params as { id: string }).id);

  const form = (ctx: PageCtx, lookups: Lookups, o: Shape & { mode: 'add' | 'edit'; id?: string; version?: number }): Html => {
    const action = o.mode === 'add' ? base : pathOf(o.id!);
    const state = o.state ?? emptyForm(spec.blank);
    return html`${problemSummary(ctx, state, o.message)}<form method="post" action="${action}">${csrfField(ctx)}${o.version !== undefined ? hidden('_version', o.version) : ''}
${spec.fields(ctx, state, lookups, o.mode)}
<button type="submit">${ctx.t.common.save}</button></form>`;
  };

  const listPage = async (ctx: PageCtx, reply: FastifyReply, status: number, add: Shape = { state: emptyForm(spec.blank) }) => {
    const lookups = await loadLookups(deps);
    const page = await deps.service.list(spec.kind, ctx.caller, { limit: 500 });
    const items = page.items.map((s: Shown) => ({ record: s.item as R, version: s.version }));
    if (spec.order) items.sort((a, b) => spec.order!(a.record, b.record));
    const { t } = ctx;
    const adding = mayWrite(ctx.role, spec.kind) ? html`<section id="add"><h2>${spec.addTitle(t)}</h2>${form(ctx, lookups, { ...add, mode: 'add' })}</section>` : '';
    const body = html`<h1>${spec.title(t)}</h1>${spec.intro ? html`<p>${spec.intro(t)}</p>` : ''}<section>${items.length ? spec.table(ctx, items, lookups) : html`<p>${t.common.none}</p>`}</section>${adding}`;
    return sendPage(reply, status, layout(ctx, { title: spec.title(t), body, self: base }));
  };

  const editPage = async (ctx: PageCtx, reply: FastifyReply, id: string, status: number, edit?: Shape) => {
    const lookups = await loadLookups(deps);
    let shown: Shown;
    try {
      shown = await deps.service.get(spec.kind, id, ctx.caller);
    } catch (err) {
      const e = asAdminError(err);
      return sendMessagePage(reply, ctx, e.status, e.status === 404 ? ctx.t.notFound : ctx.t.forbidden);
    }
    const title = spec.editTitle(ctx.t, id);
    const state = edit?.state ?? emptyForm(spec.toForm(shown.item as R));
    const version = edit?.version ?? shown.version;
    const body = html`<p><a href="${base}">← ${spec.title(ctx.t)}</a></p><h1>${title}</h1><section>${form(ctx, lookups, { state, ...(edit?.message ? { message: edit.message } : {}), mode: 'edit', id, version })}</section>`;
    return sendPage(reply, status, layout(ctx, { title, body, self: pathOf(id) }));
  };

  const shape = (ctx: PageCtx, values: FormValues, err: unknown, creating = false): { status: number; shape: Shape } => {
    const e = asAdminError(err);
    // a create finds a record of that id already there; an edit finds it changed since the form was read
    const message = e.status === 409 ? (creating ? ctx.t.error.exists : ctx.t.error.conflict) : e.status === 403 ? ctx.t.error.forbidden : e.problems.length ? undefined : e.message;
    return { status: e.status, shape: { state: { values, problems: e.problems }, ...(message ? { message } : {}) } };
  };

  server.get(base, async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { read: spec.kind });
    return ctx ? listPage(ctx, reply, 200) : reply;
  });

  server.post(base, async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { write: spec.kind });
    if (!ctx) return reply;
    const values = formValues(request.body);
    try {
      await deps.service.create(spec.kind, spec.fromForm(values), ctx.caller);
      return redirectWith(reply, base, { ok: 'saved' });
    } catch (err) {
      const r = shape(ctx, values, err, true);
      return listPage(ctx, reply, r.status, r.shape);
    }
  });

  server.get(`${base}/:id`, async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { read: spec.kind });
    return ctx ? editPage(ctx, reply, idOf(request.params), 200) : reply;
  });

  server.post(`${base}/:id`, async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { write: spec.kind });
    if (!ctx) return reply;
    const id = idOf(request.params);
    const values = formValues(request.body);
    const posted = Number(values._version);
    const read = Number.isInteger(posted) && posted > 0 ? posted : undefined;
    try {
      const current = (await deps.service.get(spec.kind, id, ctx.caller)).item as R;
      // the form is the whole record: what it leaves out is removed (null), the id stays as it is
      const patch: Record<string, unknown> = Object.fromEntries(Object.keys(current).map((k) => [k, null]));
      Object.assign(patch, spec.fromForm(values, current));
      delete patch.id;
      await deps.service.update(spec.kind, id, patch, ctx.caller, read);
      return redirectWith(reply, base, { ok: 'saved' });
    } catch (err) {
      const r = shape(ctx, values, err);
      if (r.status === 404) return sendMessagePage(reply, ctx, 404, ctx.t.notFound);
      // changed meanwhile: the record as it is now, to be edited again; otherwise what was typed, at the version read
      return editPage(ctx, reply, id, r.status, r.status === 409 ? { ...(r.shape.message ? { message: r.shape.message } : {}) } : { ...r.shape, ...(read ? { version: read } : {}) });
    }
  });

  server.post(`${base}/:id/disable`, async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { write: spec.kind });
    if (!ctx) return reply;
    try {
      await deps.service.disable(spec.kind, idOf(request.params), ctx.caller);
      return redirectWith(reply, base, { ok: 'disabled' });
    } catch (err) {
      const e = asAdminError(err);
      return redirectWith(reply, base, { error: e.status === 404 ? 'gone' : e.status === 409 ? 'conflict' : e.status === 403 ? 'forbidden' : 'invalid' });
    }
  });
}

/** the edit and disable buttons of a row */
export function rowActions(ctx: PageCtx, spec: { kind: 'mapping' | 'rule' | 'sla'; path: string }, r: { id: string; enabled?: boolean }): Html {
  if (!mayWrite(ctx.role, spec.kind)) return html``;
  const at = `/admin/${spec.path}/${encodeURIComponent(r.id)}`;
  return html`<a href="${at}">${ctx.t.common.edit}</a> ${r.enabled !== false ? actionButton(ctx, `${at}/disable`, ctx.t.common.disable) : ''}`;
}
