import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticate } from '../../src/admin/auth/authenticate.ts';
import { LoginLimiter } from '../../src/admin/auth/login-limiter.ts';
import { registerLoginRoutes } from '../../src/admin/auth/login-routes.ts';
import { hashPassword } from '../../src/admin/auth/password.ts';
import { registerBodyParsers } from '../../src/http/form-body.ts';
import { createLogger } from '../../src/http/logger.ts';
import { StaffUser } from '../../src/model/staff.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const PASSWORD = 'शनिवार-वाडा-दरवाजा-७';

let dir: string;
let store: SqliteStore;
let server: FastifyInstance;
let base: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmc-admin-login-'));
  store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  const sunita = StaffUser.parse({ id: 'sunita', name: 'सुनीता पाटील', role: 'supervisor', passwordHash: await hashPassword(PASSWORD) });
  const ganesh = StaffUser.parse({ id: 'ganesh', name: 'गणेश जोशी', role: 'officer', language: 'en', passwordHash: await hashPassword(PASSWORD), enabled: false });
  await store.admin.saveRecords(
    [sunita, ganesh].map((u) => ({ kind: 'user' as const, id: u.id, data: u, action: 'create' })),
    'cli:test',
    new Date(),
  );
  server = Fastify();
  registerBodyParsers(server);
  registerLoginRoutes(server, {
    admin: store.admin,
    limiter: new LoginLimiter(),
    // as a deployment behind a TLS proxy it trusts would decide
    secureCookies: (request) => request.headers['x-forwarded-proto'] === 'https',
    logger: createLogger('silent'),
  });
  base = await server.listen({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${base}/admin/login`, { method: 'POST', body: new URLSearchParams(fields), headers, redirect: 'manual' });
const json = (body: unknown) =>
  fetch(`${base}/admin/login`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, redirect: 'manual' });
const sessionCookieOf = (res: Response) => /^pmc_admin=([^;]*)/.exec(res.headers.getSetCookie()[0] ?? '')?.[1];
const actorFor = (cookie: string) => authenticate(store.admin, { headers: { cookie: `pmc_admin=${cookie}` } }, new Date());

describe('the sign-in page', () => {
  it('is in Marathi by default, in English on request, and says when the last try was wrong', async () => {
    const mr = await fetch(`${base}/admin/login`);
    expect(mr.status).toBe(200);
    expect(mr.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await mr.text();
    for (const said of ['<html lang="mr">', 'कर्मचारी प्रवेश', 'वापरकर्ता नाव', 'पासवर्ड', 'प्रवेश करा', 'name="viewport"', 'href="/admin/login?lang=en"']) expect(page).toContain(said);
    expect(page).not.toContain('चुकीचा');
    expect(page).not.toMatch(/<script|<link|src=/);

    const en = await (await fetch(`${base}/admin/login?lang=en&error=1`)).text();
    for (const said of ['Staff sign-in', 'Username', 'Password', 'Sign in', 'Wrong username or password.', 'value="en"']) expect(en).toContain(said);
    expect(await (await fetch(`${base}/admin/login?error=1`)).text()).toContain('वापरकर्ता नाव किंवा पासवर्ड चुकीचा आहे.');
  });

  it('escapes what it echoes and drops a next that leaves /admin', async () => {
    const page = await (await fetch(`${base}/admin/login?next=${encodeURIComponent('/admin/x"><b>y')}`)).text();
    expect(page).toContain('value="/admin/x&#34;&#62;&#60;b&#62;y"');
    expect(page).not.toContain('<b>');
    const away = await (await fetch(`${base}/admin/login?next=${encodeURIComponent('//evil.example/admin')}`)).text();
    expect(away).not.toContain('evil');
  });
});

describe('signing in', () => {
  it('the right password opens a session in an HttpOnly, SameSite=Strict cookie', async () => {
    const res = await form({ username: 'sunita', password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
    const setCookie = res.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^pmc_admin=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/admin; Max-Age=28800$/);
    expect(await actorFor(sessionCookieOf(res)!)).toMatchObject({ kind: 'user', ref: 'user:sunita', user: { name: 'सुनीता पाटील' } });
    expect((await store.admin.listAudit({ kind: 'session', limit: 5 }))[0]).toMatchObject({ actor: 'user:sunita', action: 'login', recordId: 'sunita' });
  });

  it('marks the cookie Secure when the request came over HTTPS, and goes to a local next', async () => {
    const res = await form({ username: 'Sunita', password: PASSWORD, next: '/admin/tickets?ward=kasba' }, { 'x-forwarded-proto': 'https' });
    expect(res.headers.get('location')).toBe('/admin/tickets?ward=kasba');
    expect(res.headers.getSetCookie()[0]).toMatch(/; Secure$/);
    const away = await form({ username: 'sunita', password: PASSWORD, next: 'https://evil.example/admin' });
    expect(away.headers.get('location')).toBe('/admin');
  });

  it('answers JSON with the CSRF token and who signed in', async () => {
    const res = await json({ username: 'sunita', password: PASSWORD });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { csrf: string; user: unknown };
    expect(body.user).toEqual({ id: 'sunita', name: 'सुनीता पाटील', role: 'supervisor' });
    expect((await actorFor(sessionCookieOf(res)!))?.csrf).toBe(body.csrf);
    expect(await (await json({ username: 'sunita', password: 'wrong-password' })).json()).toEqual({ error: 'wrong username or password' });
    expect((await json({ username: 'sunita' })).status).toBe(400);
  });

  it('a wrong password, an unknown name and a disabled user get the same answer, and each is audited', async () => {
    const wrong = await form({ username: 'sunita', password: 'चुकीचा-पासवर्ड-१', lang: 'en' });
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get('location')).toBe('/admin/login?error=1&lang=en');
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const unknown = await form({ username: 'nobody', password: PASSWORD });
    expect(unknown.headers.get('location')).toBe('/admin/login?error=1');
    const disabled = await json({ username: 'ganesh', password: PASSWORD });
    expect(disabled.status).toBe(401);

    const audit = await store.admin.listAudit({ kind: 'session', limit: 10 });
    expect(audit.map((a) => [a.actor, a.action, a.recordId])).toEqual([
      ['login:ganesh', 'login-failed', 'ganesh'],
      // what was typed is kept only when it names a user (it may be a password typed in the wrong box)
      ['login:(unknown name)', 'login-failed', '(unknown name)'],
      ['login:sunita', 'login-failed', 'sunita'],
    ]);
    expect(JSON.stringify(audit)).not.toContain('पासवर्ड');
  });

  it('the sixth wrong attempt is refused with 429, and so is the right password until the wait is over', async () => {
    for (let i = 0; i < 5; i++) expect((await form({ username: 'sunita', password: `wrong-${i}-password` })).status).toBe(303);
    const sixth = await form({ username: 'sunita', password: 'wrong-5-password' });
    expect(sixth.status).toBe(429);
    const wait = Number(sixth.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(800);
    expect(wait).toBeLessThanOrEqual(900);
    expect(await sixth.text()).toContain('खूप चुकीचे प्रयत्न झाले. 15 मिनिटांनी पुन्हा प्रयत्न करा.');
    const right = await json({ username: 'sunita', password: PASSWORD });
    expect(right.status).toBe(429);
    expect(right.headers.getSetCookie()).toEqual([]);
    expect((await store.admin.listAudit({ kind: 'session', limit: 10 })).filter((a) => a.action === 'login-failed')).toHaveLength(5);
  });
});

describe('guessing in parallel', () => {
  it('gets no more than 5 tries in, though every guess arrives before the first is checked', async () => {
    const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => json({ username: 'sunita', password: `parallel-guess-${i}` }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });
});

describe('signing out', () => {
  it('without the CSRF token is refused and the session stays; with it the session is gone', async () => {
    const login = await json({ username: 'sunita', password: PASSWORD });
    const { csrf } = (await login.json()) as { csrf: string };
    const cookie = sessionCookieOf(login)!;
    const logout = (body: Record<string, string>) =>
      fetch(`${base}/admin/logout`, { method: 'POST', body: new URLSearchParams(body), headers: { cookie: `pmc_admin=${cookie}` }, redirect: 'manual' });

    expect((await logout({})).status).toBe(403);
    expect((await logout({ _csrf: 'A'.repeat(43) })).status).toBe(403);
    expect(await actorFor(cookie)).toBeDefined();

    const out = await logout({ _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/admin/login');
    expect(out.headers.getSetCookie()[0]).toMatch(/^pmc_admin=; HttpOnly; SameSite=Strict; Path=\/admin; Max-Age=0$/);
    expect(await actorFor(cookie)).toBeUndefined();
    expect((await store.admin.listAudit({ kind: 'session', limit: 1 }))[0]).toMatchObject({ actor: 'user:sunita', action: 'logout' });
  });

  it('takes the CSRF token from a header too', async () => {
    const login = await json({ username: 'sunita', password: PASSWORD });
    const { csrf } = (await login.json()) as { csrf: string };
    const cookie = sessionCookieOf(login)!;
    const out = await fetch(`${base}/admin/logout`, { method: 'POST', headers: { cookie: `pmc_admin=${cookie}`, 'x-csrf-token': csrf }, redirect: 'manual' });
    expect(out.status).toBe(303);
    expect(await actorFor(cookie)).toBeUndefined();
  });
});
