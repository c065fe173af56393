import { randomBytes } from 'node:crypto';
import { ApiToken, StaffUser } from '../../model/staff.ts';
import type { AdminStore } from '../../store/admin-store.ts';
import { sameSecret, sha256Hex } from './same-secret.ts';

export const TOKEN_PREFIX = 'pmc_';
// a header line is bounded by Node anyway; this keeps a junk header from costing more than a hash of a few bytes
const LONGEST_PRESENTED = 512;

/** A token's record id and hash, both from its secret: a presented secret finds its record by hashing it. */
export function tokenKeyOf(secret: string): { id: string; hash: string } {
  const hash = sha256Hex(secret);
  return { id: hash.slice(0, 16), hash };
}

/** A new token: the secret is shown once to whoever asked for it and never stored; save `token` as record 'token'. */
export function issueToken(userId: string, name: string, now: Date, expiresAt?: Date): { secret: string; token: ApiToken } {
  const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const { id, hash } = tokenKeyOf(secret);
  const token = ApiToken.parse({
    id,
    userId,
    name,
    hash,
    createdAt: now.toISOString(),
    ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
  });
  return { secret, token };
}

/** The live token a presented secret belongs to, and its enabled user; undefined for anything else. */
export async function findToken(admin: AdminStore, presented: string, now: Date): Promise<{ token: ApiToken; user: StaffUser } | undefined> {
  if (presented.length === 0 || presented.length > LONGEST_PRESENTED) return undefined;
  const { id, hash } = tokenKeyOf(presented);
  const record = await admin.getRecord('token', id);
  const token = record && ApiToken.safeParse(record.data);
  if (!token?.success || !sameSecret(token.data.hash, hash)) return undefined;
  if (token.data.revokedAt !== undefined) return undefined;
  if (token.data.expiresAt !== undefined && !(Date.parse(token.data.expiresAt) > now.getTime())) return undefined;
  const user = await enabledUser(admin, token.data.userId);
  return user && { token: token.data, user };
}

/** a user record that parses and is enabled */
export async function enabledUser(admin: AdminStore, userId: string): Promise<StaffUser | undefined> {
  const record = await admin.getRecord('user', userId);
  const user = record && StaffUser.safeParse(record.data);
  return user?.success && user.data.enabled ? user.data : undefined;
}
