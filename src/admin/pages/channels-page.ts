import type { FastifyInstance } from 'fastify';
import type { AdminPagesDeps } from './deps.ts';
import { shortDate } from './dates.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';
import { openPage } from './page-context.ts';
import { sendPage } from './respond.ts';

/** Each channel on or off and why; each account's state, its last error, and what a person must do about it. */
export function registerChannelsPage(server: FastifyInstance, deps: AdminPagesDeps): void {
  server.get('/admin/channels', async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { read: 'channels' });
    if (!ctx) return reply;
    const { t } = ctx;
    const k = t.channels;
    const channels = html`<table class="cards"><thead><tr><th>${k.channel}</th><th>${k.state}</th><th>${k.reason}</th></tr></thead><tbody>${deps.channels().map(
      (c) => html`<tr><td data-label="${k.channel}"><b>${c.channel}</b></td><td data-label="${k.state}">${c.on ? html`<span class="badge">${t.common.on}</span>` : html`<span class="badge urgent">${t.common.off}</span>`}</td><td data-label="${k.reason}">${c.reason}</td></tr>`,
    )}</tbody></table>`;
    const health = deps.health();
    const accounts = health.length
      ? html`<table class="cards"><thead><tr><th>${k.channel}</th><th>${k.account}</th><th>${k.state}</th><th>${k.lastSuccess}</th><th>${k.lastError}</th><th>${k.action}</th></tr></thead><tbody>${health.map(
          (a) => html`<tr><td data-label="${k.channel}">${a.channel}</td><td data-label="${k.account}">${a.accountId}</td>
<td data-label="${k.state}"><span class="badge${a.state === 'ok' ? '' : ' urgent'}">${k.states[a.state] ?? a.state}</span></td>
<td data-label="${k.lastSuccess}">${shortDate(a.lastSuccessAt)}</td>
<td data-label="${k.lastError}">${a.lastError ? html`${shortDate(a.lastErrorAt)} <span class="pre">${a.lastError}</span>` : t.common.none}</td>
<td data-label="${k.action}">${a.action ? html`<b>${a.action}</b>` : t.common.none}</td></tr>`,
        )}</tbody></table>`
      : html`<p>${k.none}</p>`;
    const body = html`<h1>${k.title}</h1><section>${channels}</section><section><h2>${k.accounts}</h2>${accounts}</section>`;
    return sendPage(reply, 200, layout(ctx, { title: k.title, body }));
  });
}
