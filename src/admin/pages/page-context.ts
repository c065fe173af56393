import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../model/index.ts';
import { authenticate, csrfOk, type Actor } from '../auth/authenticate.ts';
import { cookieValue } from '../auth/cookie-header.ts';
import { callerOf } from '../caller-of.ts';
import { mayRead, mayWrite, type Area } from '../permissions.ts';
import type { TicketCaller } from '../ticket-service.ts';
import type { AdminPagesDeps } from './deps.ts';
import { sendMessagePage } from './respond.ts';
import { EN, type Words } from './words-en.ts';
import { MR } from './words-mr.ts';

export const LANG_COOKIE = 'pmc_lang';
const YEAR_SECONDS = 365 * 24 * 3600;

/** Who is looking at a page, in which language, and the CSRF token its forms carry. */
export interface PageCtx {
  actor: Actor;
  caller: TicketCaller;
  role: Role;
  t: Words;
  /** the session's CSRF token ('' for a Bearer token, which needs none) */
  csrf: string;
  /** the path and query the browser asked for */
  url: string;
  query: Record<string, string | undefined>;
  now: Date;
}

export type WriteArea = Parameters<typeof mayWrite>[1];

/** a query or form's single-valued fields (a field sent twice is not trusted) */
export function singleFields(value: unknown): Record<string, string | undefined> {
  if (typeof value !== 'object' || value === null) return {};
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

const pick = (v: string | undefined): 'mr' | 'en' | undefined => (v === 'en' || v === 'mr' ? v : undefined);

/**
 * Opens a page for its viewer, or answers for it: not signed in → 303 to the sign-in page (back here after); an
 * unsafe request without the session's CSRF token → 403; a role that may not see (or change) the area → 403.
 * Language: `?lang=` (remembered in a cookie), else the cookie, else the user's own.
 */
export async function openPage(deps: AdminPagesDeps, request: FastifyRequest, reply: FastifyReply, need: { read?: Area; write?: WriteArea } = {}): Promise<PageCtx | undefined> {
  const now = deps.now?.() ?? new Date();
  const query = singleFields(request.query);
  const asked = pick(query.lang);
  if (asked) {
    const secure = deps.secureCookies?.(request) ? '; Secure' : '';
    void reply.header('set-cookie', `${LANG_COOKIE}=${asked}; HttpOnly; SameSite=Strict; Path=/admin; Max-Age=${YEAR_SECONDS}${secure}`);
  }
  const actor = await authenticate(deps.store.admin, request, now);
  const lang = asked ?? pick(cookieValue(request.headers.cookie, LANG_COOKIE)) ?? actor?.user.language ?? 'mr';
  const t = lang === 'en' ? EN : MR;
  if (!actor) {
    // a form posted after the session ended goes back to the queue: its action is no page to show
    const next = request.method === 'GET' && request.url.length <= 500 ? request.url : '/admin';
    const to = new URLSearchParams({ ...(lang === 'en' ? { lang } : {}), next });
    void reply.redirect(`/admin/login?${to.toString()}`, 303);
    return undefined;
  }
  const ctx: PageCtx = { actor, caller: { ...callerOf(actor), userId: actor.user.id }, role: actor.user.role, t, csrf: actor.csrf ?? '', url: request.url, query, now };
  if (!csrfOk(actor, request)) {
    sendMessagePage(reply, ctx, 403, t.stale);
    return undefined;
  }
  if ((need.read && !mayRead(ctx.role, need.read)) || (need.write && !mayWrite(ctx.role, need.write))) {
    sendMessagePage(reply, ctx, 403, t.forbidden);
    return undefined;
  }
  return ctx;
}
