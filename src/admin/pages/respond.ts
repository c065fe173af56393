import type { FastifyReply } from 'fastify';
import { AdminError } from '../admin-error.ts';
import { PAGE_HEADERS } from '../page-headers.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';
import type { PageCtx } from './page-context.ts';

export { PAGE_HEADERS };

export function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(page);
}

/** a page that only says something: no access, not found, out of date */
export function sendMessagePage(reply: FastifyReply, ctx: PageCtx, status: number, message: string): FastifyReply {
  const body = html`<section><h1>${message}</h1><p><a href="/admin/tickets">${ctx.t.nav.tickets}</a></p></section>`;
  return sendPage(reply, status, layout(ctx, { title: message, body, self: '/admin/tickets' }));
}

/** after a change: back to a page (Post/Redirect/Get) with a code it shows in words */
export function redirectWith(reply: FastifyReply, to: string, flash: { ok: string } | { error: string }): FastifyReply {
  const [path, search = ''] = to.split('?');
  const params = new URLSearchParams(search);
  for (const [k, v] of Object.entries(flash)) params.set(k, v as string);
  return reply.redirect(`${path}?${params.toString()}`, 303);
}

/** a refusal a person can act on is shown on the page; anything else goes on to the error handler */
export function asAdminError(err: unknown): AdminError {
  if (err instanceof AdminError) return err;
  throw err;
}
