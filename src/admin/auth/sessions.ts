import { randomBytes } from 'node:crypto';
import type { AdminStore, StaffSession } from '../../store/admin-store.ts';
import { sha256Hex } from './same-secret.ts';

export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
// 32 bytes in base64url: anything else is not one of our cookies and is not worth a database read
const COOKIE_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A browser session: the cookie goes to the browser only; the store keeps its sha256 (a stolen copy opens nothing). */
export async function openSession(admin: AdminStore, userId: string, now: Date, ttlMs = SESSION_TTL_MS): Promise<{ cookie: string; csrf: string; expiresAt: Date }> {
  const cookie = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlMs);
  await admin.putSession({ id: sha256Hex(cookie), userId, csrf, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() });
  return { cookie, csrf, expiresAt };
}

/** the session a cookie opens, if it has not expired (no sliding: a session ends 8 hours after the login) */
export async function readSession(admin: AdminStore, cookie: string, now: Date): Promise<StaffSession | undefined> {
  return COOKIE_SHAPE.test(cookie) ? admin.getSession(sha256Hex(cookie), now) : undefined;
}

export async function closeSession(admin: AdminStore, cookie: string): Promise<void> {
  if (COOKIE_SHAPE.test(cookie)) await admin.deleteSession(sha256Hex(cookie));
}
