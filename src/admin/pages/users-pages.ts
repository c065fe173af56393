import type { FastifyInstance, FastifyReply } from 'fastify';
import { Role, type StaffUser } from '../../model/index.ts';
import type { AdminPagesDeps } from './deps.ts';
import { actionButton, checkGroup, csrfField, emptyForm, formValues, many, one, problemSummary, selectField, textField, type FormState } from './forms.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';
import { loadLookups, nameOf } from './lookups.ts';
import { openPage, type PageCtx } from './page-context.ts';
import { asAdminError, redirectWith, sendPage } from './respond.ts';

type ShownUser = Omit<StaffUser, 'passwordHash'> & { hasPassword?: boolean };

async function render(ctx: PageCtx, deps: AdminPagesDeps, reply: FastifyReply, status: number, state: FormState, message?: string) {
  const { t } = ctx;
  const k = t.users;
  const lookups = await loadLookups(deps);
  const users = (await deps.service.list('user', ctx.caller, { limit: 500 })).items.map((s) => s.item as ShownUser);
  const reach = (u: ShownUser) => [...u.wards.map((w) => nameOf(lookups.wards, w, t)), ...u.departments.map((d) => nameOf(lookups.departments, d, t))].join(', ');
  const table = html`<table class="cards"><thead><tr><th>${k.id}</th><th>${k.name}</th><th>${k.role}</th><th>${k.wards} / ${k.departments}</th><th>${k.language}</th><th>${t.common.enabled}</th><th></th></tr></thead><tbody>${users.map(
    (u) => html`<tr><td data-label="${k.id}">${u.id}</td><td data-label="${k.name}">${u.name}</td><td data-label="${k.role}">${t.roles[u.role]}</td>
<td data-label="${k.wards}">${reach(u) || t.common.none}</td><td data-label="${k.language}">${t.languages[u.language]}</td>
<td data-label="${t.common.enabled}">${u.enabled ? t.common.on : t.common.off}</td>
<td>${u.enabled && u.id !== ctx.actor.user.id ? actionButton(ctx, `/admin/users/${encodeURIComponent(u.id)}/disable`, t.common.disable) : ''}</td></tr>`,
  )}</tbody></table>`;
  const form = html`<section id="add"><h2>${k.add}</h2>${problemSummary(ctx, state, message)}<form method="post" action="/admin/users">${csrfField(ctx)}
${textField(state, { name: 'id', label: k.id, required: true, autocomplete: 'off' })}
${textField(state, { name: 'name', label: k.name, required: true, autocomplete: 'off' })}
${selectField(state, { name: 'role', label: k.role, options: Role.options.map((r) => ({ value: r, label: t.roles[r] })) })}
<p class="hint">${k.reachHint}</p>
${checkGroup(state, { name: 'wards', label: k.wards, options: lookups.wards.map((w) => ({ value: w.id, label: w.name[t.lang] })) })}
${checkGroup(state, { name: 'departments', label: k.departments, options: lookups.departments.map((d) => ({ value: d.id, label: d.name[t.lang] })) })}
${selectField(state, { name: 'language', label: k.language, options: (['mr', 'en'] as const).map((l) => ({ value: l, label: t.languages[l] })) })}
${textField(state, { name: 'password', label: k.password, type: 'password', hint: k.passwordHint, required: true, autocomplete: 'new-password' })}
<button type="submit">${t.common.add}</button></form></section>`;
  const body = html`<h1>${k.title}</h1><section>${table}</section>${form}`;
  return sendPage(reply, status, layout(ctx, { title: k.title, body, self: '/admin/users' }));
}

/** Staff accounts, for admins: the list, a new user with a password, and switching one off. */
export function registerUserPages(server: FastifyInstance, deps: AdminPagesDeps): void {
  server.get('/admin/users', async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { read: 'user' });
    return ctx ? render(ctx, deps, reply, 200, emptyForm({ role: 'officer', language: 'mr' })) : reply;
  });

  server.post('/admin/users', async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { write: 'user' });
    if (!ctx) return reply;
    const values = formValues(request.body);
    const s = (k: string) => one(values[k]).trim();
    try {
      await deps.service.create('user', { id: s('id'), name: s('name'), role: s('role'), wards: many(values.wards), departments: many(values.departments), language: s('language'), password: one(values.password), enabled: true }, ctx.caller);
      return redirectWith(reply, '/admin/users', { ok: 'saved' });
    } catch (err) {
      const e = asAdminError(err);
      const message = e.status === 409 ? ctx.t.error.exists : e.problems.length ? undefined : e.message;
      return render(ctx, deps, reply, e.status, { values, problems: e.problems }, message);
    }
  });

  server.post('/admin/users/:id/disable', async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { write: 'user' });
    if (!ctx) return reply;
    const id = String((request.params as { id: string }).id);
    // an admin switching themself off would lock the door behind them
    if (id === ctx.actor.user.id) return redirectWith(reply, '/admin/users', { error: 'forbidden' });
    try {
      await deps.service.disable('user', id, ctx.caller);
      return redirectWith(reply, '/admin/users', { ok: 'disabled' });
    } catch (err) {
      const e = asAdminError(err);
      return redirectWith(reply, '/admin/users', { error: e.status === 404 ? 'gone' : e.status === 409 ? 'conflict' : 'invalid' });
    }
  });
}
