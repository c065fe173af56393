import { StaffUser, type ApiToken } from '../../model/staff.ts';
import type { AdminStore } from '../../store/admin-store.ts';
import { VersionConflictError } from '../../store/errors.ts';
import { tokenKeyOf } from './api-tokens.ts';

export const SHORTEST_BOOTSTRAP_SECRET = 24;
// what a Bearer header can carry (RFC 6750 b64token): a secret with a space or a quote could never be presented
const BEARER_CHARS = /^[A-Za-z0-9._~+/=-]+$/;

/**
 * The first administrator, for a store with no users: user `admin` (no password) and a token named 'bootstrap'
 * whose secret is ADMIN_BOOTSTRAP_TOKEN. Once any user exists this does nothing; the operator should then unset
 * the variable, and the token stays valid until it is revoked like any other.
 */
export async function ensureBootstrapAdmin(admin: AdminStore, secret: string | undefined, now: Date): Promise<'created' | 'users-exist' | 'no-token'> {
  const given = secret?.trim() ?? '';
  if (given === '') return 'no-token';
  if ((await admin.listRecords('user')).length > 0) return 'users-exist';
  if (given.length < SHORTEST_BOOTSTRAP_SECRET || !BEARER_CHARS.test(given)) {
    throw new Error(
      `ADMIN_BOOTSTRAP_TOKEN must be at least ${SHORTEST_BOOTSTRAP_SECRET} random characters (letters, digits, - . _ ~ + / =): ` +
        'make one with `openssl rand -base64 32`, set it and start again',
    );
  }
  const user = StaffUser.parse({ id: 'admin', name: 'Administrator', role: 'admin' });
  const token: ApiToken = { ...tokenKeyOf(given), userId: user.id, name: 'bootstrap', createdAt: now.toISOString() };
  try {
    // one transaction: a store never holds the user without the token that can reach it
    await admin.saveRecords(
      [
        { kind: 'user', id: user.id, data: user, expectVersion: 0, action: 'create' },
        { kind: 'token', id: token.id, data: token, expectVersion: 0, action: 'create' },
      ],
      'bootstrap',
      now,
    );
  } catch (err) {
    // another process started on the same store at the same moment and made them first
    if (err instanceof VersionConflictError) return 'users-exist';
    throw err;
  }
  return 'created';
}
