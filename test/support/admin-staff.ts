import { AdminService } from '../../src/admin/admin-service.ts';
import type { Role } from '../../src/model/index.ts';
import type { Store } from '../../src/store/store.ts';

/** the password every test user has: long enough for the rule, in Marathi as staff may type it */
export const STAFF_PASSWORD = 'शनिवार-वाडा-दरवाजा-७';

export interface TestStaff {
  id: string;
  name: string;
  role: Role;
  wards?: string[];
  departments?: string[];
  language?: 'mr' | 'en';
}

/** Staff made as an admin would make them (AdminService: validated, password hashed, audited). */
export async function addStaff(store: Store, users: readonly TestStaff[], password = STAFF_PASSWORD): Promise<void> {
  const service = new AdminService({ store, categories: [] });
  for (const u of users) await service.create('user', { ...u, password }, { role: 'admin', ref: 'test' });
}

export interface Session {
  /** the Cookie header a browser would send */
  cookie: string;
  csrf: string;
}

/** signs in as a program does (JSON): the session cookie and its CSRF token */
export async function signIn(base: string, username: string, password = STAFF_PASSWORD): Promise<Session> {
  const res = await fetch(`${base}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status}`);
  const { csrf } = (await res.json()) as { csrf: string };
  const value = /^pmc_admin=([^;]*)/.exec(res.headers.getSetCookie()[0] ?? '')?.[1];
  if (!value) throw new Error(`sign-in as ${username} set no session cookie`);
  return { cookie: `pmc_admin=${value}`, csrf };
}

/** a page as a signed-in browser asks for it (no redirects followed) */
export function getPage(base: string, path: string, session?: Session): Promise<Response> {
  return fetch(`${base}${path}`, { headers: session ? { cookie: session.cookie } : {}, redirect: 'manual' });
}

/** a form as a browser posts it */
export function postForm(base: string, path: string, fields: Record<string, string | string[]>, session?: Session): Promise<Response> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return fetch(`${base}${path}`, { method: 'POST', body, headers: session ? { cookie: session.cookie } : {}, redirect: 'manual' });
}

/** an API token for a user, made as an admin makes one: its secret, and the token's record id */
export async function addToken(store: Store, userId: string, name = 'test'): Promise<{ secret: string; id: string }> {
  const made = await new AdminService({ store, categories: [] }).create('token', { userId, name }, { role: 'admin', ref: 'test' });
  return { secret: made.secret!, id: (made.item as { id: string }).id };
}

/** the admin API as a machine calls it, with a Bearer token and a JSON body */
export function callApi(base: string, method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/admin/api${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
}
