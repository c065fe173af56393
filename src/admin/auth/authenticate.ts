import type { StaffUser } from '../../model/staff.ts';
import type { AdminStore } from '../../store/admin-store.ts';
import { enabledUser, findToken } from './api-tokens.ts';
import { cookieValue, SESSION_COOKIE } from './cookie-header.ts';
import { sameSecret } from './same-secret.ts';
import { readSession } from './sessions.ts';

export interface Actor {
  kind: 'user' | 'token';
  user: StaffUser;
  tokenId?: string;
  /** for audit: 'user:<id>' or 'token:<id>' */
  ref: string;
  /** a session's CSRF token, which its unsafe requests must carry */
  csrf?: string;
}

type Headers = Record<string, string | string[] | undefined>;

const BEARER = /^Bearer +(\S+) *$/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is asking: a machine's Bearer token, else the browser's session cookie. A request that presents a Bearer
 * token is judged by it alone, so a wrong token is never rescued by a cookie the browser happened to send.
 */
export async function authenticate(admin: AdminStore, request: { headers: Headers }, now: Date): Promise<Actor | undefined> {
  const authorization = one(request.headers.authorization);
  if (authorization !== undefined) {
    const bearer = BEARER.exec(authorization);
    const found = bearer && (await findToken(admin, bearer[1]!, now));
    return found ? { kind: 'token', user: found.user, tokenId: found.token.id, ref: `token:${found.token.id}` } : undefined;
  }
  const cookie = cookieValue(request.headers.cookie, SESSION_COOKIE);
  const session = cookie === undefined ? undefined : await readSession(admin, cookie, now);
  const user = session && (await enabledUser(admin, session.userId));
  return session && user ? { kind: 'user', user, ref: `user:${user.id}`, csrf: session.csrf } : undefined;
}

/**
 * Whether a request may change something on its actor's behalf. A token is never sent by a browser on its own,
 * so it needs nothing more; a session's unsafe request (anything but GET, HEAD, OPTIONS) must carry the session's
 * CSRF token in `x-csrf-token` or a form field `_csrf`.
 */
export function csrfOk(actor: Actor, request: { method: string; headers: Headers; body?: unknown }): boolean {
  if (actor.kind === 'token') return true;
  if (SAFE_METHODS.has(request.method.toUpperCase())) return true;
  if (actor.csrf === undefined) return false;
  const sent = one(request.headers['x-csrf-token']) ?? formField(request.body, '_csrf');
  return sent !== undefined && sameSecret(sent, actor.csrf);
}

/** a header sent once; sent twice it is not trusted */
function one(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function formField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null || !Object.hasOwn(body, name)) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
