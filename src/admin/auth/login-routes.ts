import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Logger } from '../../http/logger.ts';
import type { AdminStore } from '../../store/admin-store.ts';
import { PAGE_HEADERS } from '../page-headers.ts';
import { authenticate, csrfOk } from './authenticate.ts';
import { checkLogin, usernameToId, warmLoginCheck } from './check-login.ts';
import { cookieValue, SESSION_COOKIE } from './cookie-header.ts';
import type { LoginLimiter } from './login-limiter.ts';
import { renderLoginPage, type LoginLanguage } from './login-page.ts';
import { closeSession, openSession, SESSION_TTL_MS } from './sessions.ts';

export interface LoginRouteDeps {
  admin: AdminStore;
  limiter: LoginLimiter;
  /** whether the browser reached us over HTTPS (directly or through a proxy the operator trusts) */
  secureCookies: (request: FastifyRequest) => boolean;
  now?: () => Date;
  logger: Logger;
  /** the address failures are counted against; default request.ip (behind a proxy, say which header to trust) */
  clientAddress?: (request: FastifyRequest) => string;
}

const LoginBody = z.object({
  username: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(1024),
});

// an /admin path of printable ASCII: never another host, never a header break
const LOCAL_ADMIN_PATH = /^\/admin(?:[/?#][\x21-\x7e]*)?$/;

/** The staff sign-in page, the login (form or JSON) and the logout. */
export function registerLoginRoutes(server: FastifyInstance, deps: LoginRouteDeps): void {
  const { admin, limiter, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const addressOf = deps.clientAddress ?? ((request: FastifyRequest) => request.ip);
  const cookie = (request: FastifyRequest, value: string, maxAgeSeconds: number) =>
    `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/admin; Max-Age=${maxAgeSeconds}${deps.secureCookies(request) ? '; Secure' : ''}`;
  warmLoginCheck().catch((err: unknown) => logger.error({ err }, 'could not prepare the login check'));

  server.get('/admin/login', async (request, reply) => {
    const query = fields(request.query);
    const page = renderLoginPage({ lang: langOf(query.lang), wrong: query.error === '1', next: localAdminPath(query.next) });
    return reply.code(200).headers(PAGE_HEADERS).send(page);
  });

  server.post('/admin/login', async (request, reply) => {
    const at = now();
    // a form posted from another site would sign this browser in as someone else (login CSRF)
    if (request.headers['sec-fetch-site'] === 'cross-site') return reply.code(403).send({ error: 'sign in from the bridge\'s own page' });
    const asForm = isForm(request);
    const sent = fields(request.body);
    const lang = langOf(sent.lang);
    const next = localAdminPath(sent.next);
    const body = LoginBody.safeParse(request.body);
    if (!body.success) {
      if (asForm) return reply.redirect(loginUrl(lang, next, true), 303);
      return reply.code(400).send({ error: 'send a username and a password, as a form or as JSON {"username": …, "password": …}' });
    }
    const { username, password } = body.data;
    const address = addressOf(request);
    const allowed = limiter.check(username, address, at);
    if (!allowed.ok) {
      logger.warn({ retryAfterSeconds: allowed.retryAfterSeconds }, 'staff login refused: too many wrong attempts');
      void reply.code(429).header('retry-after', String(allowed.retryAfterSeconds));
      if (asForm) return reply.headers(PAGE_HEADERS).send(renderLoginPage({ lang, retryAfterSeconds: allowed.retryAfterSeconds, ...(next ? { next } : {}) }));
      return reply.send({ error: `too many wrong attempts: try again in ${Math.ceil(allowed.retryAfterSeconds / 60)} minutes` });
    }
    // counted as failed until it succeeds: parallel guesses cannot all pass check() while scrypt runs
    limiter.fail(username, address, at);
    const user = await checkLogin(admin, username, password);
    if (!user) {
      // what was typed is kept only when it names a user: a password typed into the name box never reaches the audit
      const id = usernameToId(username).slice(0, 64);
      const known = (await admin.getRecord('user', id)) !== undefined;
      await admin.appendAudit({ actor: known ? `login:${id}` : 'login:(unknown name)', action: 'login-failed', kind: 'session', recordId: known ? id : '(unknown name)' }, at);
      logger.info('staff login refused: wrong username or password');
      if (asForm) return reply.redirect(loginUrl(lang, next, true), 303);
      return reply.code(401).send({ error: 'wrong username or password' });
    }
    limiter.succeed(username, address);
    await admin.dropExpiredSessions(at);
    const session = await openSession(admin, user.id, at, SESSION_TTL_MS);
    await admin.appendAudit({ actor: `user:${user.id}`, action: 'login', kind: 'session', recordId: user.id }, at);
    logger.info({ userId: user.id }, 'staff login');
    void reply.header('set-cookie', cookie(request, session.cookie, SESSION_TTL_MS / 1000)).header('cache-control', 'no-store');
    if (asForm) return reply.redirect(next ?? '/admin', 303);
    return reply.code(200).send({ csrf: session.csrf, user: { id: user.id, name: user.name, role: user.role } });
  });

  server.post('/admin/logout', async (request, reply) => {
    const at = now();
    const actor = await authenticate(admin, request, at);
    const secret = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (actor?.kind === 'token') return reply.code(400).send({ error: 'a token has no session to close: revoke the token instead' });
    if (actor && secret !== undefined) {
      if (!csrfOk(actor, request)) return reply.code(403).send({ error: 'the page was out of date: reload it and sign out again' });
      await closeSession(admin, secret);
      await admin.appendAudit({ actor: actor.ref, action: 'logout', kind: 'session', recordId: actor.user.id }, at);
    }
    // with no live session there is nothing to close: the browser still loses its cookie
    const lang = actor?.user.language ?? 'mr';
    return reply.header('set-cookie', cookie(request, '', 0)).redirect(loginUrl(lang, undefined, false), 303);
  });
}

/** a query or form's single-valued string fields (a field sent twice is ignored) */
function fields(value: unknown): Record<string, string | undefined> {
  if (typeof value !== 'object' || value === null) return {};
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function langOf(value: string | undefined): LoginLanguage {
  return value === 'en' ? 'en' : 'mr';
}

function localAdminPath(value: string | undefined): string | undefined {
  return value !== undefined && value.length <= 512 && LOCAL_ADMIN_PATH.test(value) ? value : undefined;
}

function loginUrl(lang: LoginLanguage, next: string | undefined, wrong: boolean): string {
  const query = new URLSearchParams({ ...(wrong ? { error: '1' } : {}), ...(lang === 'en' ? { lang } : {}), ...(next ? { next } : {}) }).toString();
  return query ? `/admin/login?${query}` : '/admin/login';
}

function isForm(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}
