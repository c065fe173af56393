import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Language } from '../../model/index.ts';
import type { ReplyText } from '../record-checks.ts';
import type { AdminPagesDeps } from './deps.ts';
import { actionButton, csrfField, emptyForm, formValues, one, problemSummary, selectField, textArea, textField, type FormState } from './forms.ts';
import { html, type Html } from './html.ts';
import { layout } from './layout.ts';
import { openPage, type PageCtx } from './page-context.ts';
import { asAdminError, redirectWith, sendPage } from './respond.ts';

const LANGS: readonly Language[] = ['mr', 'hi', 'en'];

/** each language's reply texts as the bridge sends them now: the file's, with staff's saved ones laid over */
function currentTexts(deps: AdminPagesDeps, lang: Language): [string, string][] {
  const texts = deps.messages?.[lang] as Record<string, unknown> | undefined;
  return texts ? Object.entries(texts).filter((e): e is [string, string] => typeof e[1] === 'string') : [];
}

function addForm(ctx: PageCtx, deps: AdminPagesDeps, state: FormState, message?: string): Html {
  const { t } = ctx;
  const keys = currentTexts(deps, 'mr').map(([k]) => ({ value: k, label: k }));
  return html`<section id="add"><h2>${t.texts.add}</h2>${problemSummary(ctx, state, message)}
<form method="post" action="/admin/texts">${csrfField(ctx)}
${selectField(state, { name: 'lang', label: t.texts.lang, options: LANGS.map((l) => ({ value: l, label: t.languages[l] })) })}
${keys.length ? selectField(state, { name: 'key', label: t.texts.key, options: keys }) : textField(state, { name: 'key', label: t.texts.key, required: true })}
${textArea(state, { name: 'text', label: t.texts.text, rows: 4 })}
<button type="submit">${t.common.save}</button></form></section>`;
}

async function render(ctx: PageCtx, deps: AdminPagesDeps, reply: FastifyReply, status: number, state: FormState, message?: string) {
  const { t } = ctx;
  const saved = (await deps.service.list('text', ctx.caller, { limit: 500 })).items.map((s) => s.item as ReplyText);
  const savedIds = new Set(saved.map((s) => s.id));
  const savedTable = saved.length
    ? html`<table class="cards"><thead><tr><th>${t.texts.lang}</th><th>${t.texts.key}</th><th>${t.texts.text}</th><th></th></tr></thead><tbody>${saved.map(
        (s) => html`<tr><td data-label="${t.texts.lang}">${t.languages[s.lang]}</td><td data-label="${t.texts.key}">${s.key}</td><td class="pre">${s.text}</td>
<td>${actionButton(ctx, `/admin/texts/${encodeURIComponent(s.id)}/delete`, t.texts.restore)}</td></tr>`,
      )}</tbody></table>`
    : html`<p>${t.common.none}</p>`;
  const current = LANGS.map((lang) => {
    const rows = currentTexts(deps, lang);
    if (!rows.length) return '';
    return html`<details><summary>${t.languages[lang]} (${rows.length})</summary><table class="cards"><tbody>${rows.map(
      ([key, text]) => html`<tr><td><a href="/admin/texts?edit=${encodeURIComponent(`${lang}.${key}`)}#add">${key}</a>${savedIds.has(`${lang}.${key}`) ? html` <span class="badge">${t.texts.mine}</span>` : ''}</td><td class="pre">${text}</td></tr>`,
    )}</tbody></table></details>`;
  });
  const body = html`<h1>${t.texts.title}</h1><p>${t.texts.intro}</p>
<section><h2>${t.texts.saved}</h2>${savedTable}</section>
${addForm(ctx, deps, state, message)}
${deps.messages ? html`<section><h2>${t.texts.current}</h2>${current}</section>` : ''}`;
  return sendPage(reply, status, layout(ctx, { title: t.texts.title, body, self: '/admin/texts' }));
}

/** The reply texts: the ones in use, the ones staff saved, and a form to add or replace one (a key, a language). */
export function registerTextPages(server: FastifyInstance, deps: AdminPagesDeps): void {
  server.get('/admin/texts', async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { read: 'text' });
    if (!ctx) return reply;
    // "edit" this text: the form starts with it
    const [lang, ...rest] = (ctx.query.edit ?? '').split('.');
    const key = rest.join('.');
    const text = LANGS.includes(lang as Language) ? currentTexts(deps, lang as Language).find(([k]) => k === key)?.[1] : undefined;
    return render(ctx, deps, reply, 200, emptyForm(text === undefined ? { lang: 'mr' } : { lang, key, text }));
  });

  server.post('/admin/texts', async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { write: 'text' });
    if (!ctx) return reply;
    const values = formValues(request.body);
    const record = { lang: one(values.lang), key: one(values.key).trim(), text: one(values.text) };
    try {
      const id = `${record.lang}.${record.key}`;
      const existing = LANGS.includes(record.lang as Language) && record.key ? await deps.store.admin.getRecord('text', id) : undefined;
      if (existing) await deps.service.update('text', id, record, ctx.caller, existing.version);
      else await deps.service.create('text', record, ctx.caller);
      return redirectWith(reply, '/admin/texts', { ok: 'saved' });
    } catch (err) {
      const e = asAdminError(err);
      const message = e.status === 409 ? ctx.t.error.conflict : e.status === 403 ? ctx.t.error.forbidden : e.problems.length ? undefined : e.message;
      return render(ctx, deps, reply, e.status, { values, problems: e.problems }, message);
    }
  });

  server.post('/admin/texts/:id/delete', async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { write: 'text' });
    if (!ctx) return reply;
    try {
      await deps.service.remove('text', String((request.params as { id: string }).id), ctx.caller);
      return redirectWith(reply, '/admin/texts', { ok: 'deleted' });
    } catch (err) {
      const e = asAdminError(err);
      return redirectWith(reply, '/admin/texts', { error: e.status === 404 ? 'gone' : 'invalid' });
    }
  });
}
