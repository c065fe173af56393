import type { FastifyInstance } from 'fastify';
import { mayWrite } from '../permissions.ts';
import type { AdminPagesDeps } from './deps.ts';
import { shortDate } from './dates.ts';
import { actionButton } from './forms.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';
import { openPage } from './page-context.ts';
import { redirectWith, sendPage } from './respond.ts';

/** Messages and replies that gave up, each with a button to try it again (as POST /admin/api/dead-letters/…/retry). */
export function registerDeadLettersPage(server: FastifyInstance, deps: AdminPagesDeps): void {
  server.get('/admin/dead-letters', async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { read: 'dead-letters' });
    if (!ctx) return reply;
    const { t } = ctx;
    const k = t.dead;
    const items = await deps.store.listDeadLetters();
    const retry = mayWrite(ctx.role, 'dead-letters');
    const table = items.length
      ? html`<table class="cards"><thead><tr><th>${k.at}</th><th>${k.kind}</th><th>${k.summary}</th><th>${k.error}</th><th>${k.attempts}</th><th></th></tr></thead><tbody>${items.map(
          (d) => html`<tr><td data-label="${k.at}">${shortDate(d.at)}</td><td data-label="${k.kind}">${k.kinds[d.kind] ?? d.kind} #${d.id}</td><td data-label="${k.summary}">${d.summary}</td>
<td data-label="${k.error}" class="pre">${d.error}</td><td data-label="${k.attempts}">${d.attempts}</td>
<td>${retry ? actionButton(ctx, `/admin/dead-letters/${d.kind}/${d.id}/retry`, k.retry) : ''}</td></tr>`,
        )}</tbody></table>`
      : html`<p>${k.none}</p>`;
    return sendPage(reply, 200, layout(ctx, { title: k.title, body: html`<h1>${k.title}</h1><section>${table}</section>` }));
  });

  server.post('/admin/dead-letters/:kind/:id/retry', async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { write: 'dead-letters' });
    if (!ctx) return reply;
    const { kind, id } = request.params as { kind: string; id: string };
    const n = /^\d{1,12}$/.test(id) ? Number(id) : undefined;
    if ((kind !== 'inbound' && kind !== 'outbound') || n === undefined) return redirectWith(reply, '/admin/dead-letters', { error: 'gone' });
    const ok = kind === 'inbound' ? await deps.store.retryInbound(n) : await deps.store.retryOutbox(n);
    if (!ok) return redirectWith(reply, '/admin/dead-letters', { error: 'gone' });
    await deps.store.admin.appendAudit({ actor: ctx.caller.ref, action: 'retry', kind: 'dead-letter', recordId: `${kind}/${n}` }, ctx.now);
    deps.retried?.();
    return redirectWith(reply, '/admin/dead-letters', { ok: 'retried' });
  });
}
