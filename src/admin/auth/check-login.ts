import { randomBytes } from 'node:crypto';
import { StaffUser } from '../../model/staff.ts';
import type { AdminStore } from '../../store/admin-store.ts';
import { hashPassword, verifyPassword } from './password.ts';

// made once per process with the current parameters, from a password nobody knows
let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummy;
}

/** computes the dummy hash ahead, so the first login for an unknown name takes no longer than any other */
export function warmLoginCheck(): Promise<void> {
  return dummyHash().then(() => undefined);
}

/** the user id a typed name means: ids are lower case, phones capitalise the first letter */
export function usernameToId(typed: string): string {
  return typed.trim().toLowerCase();
}

/**
 * The enabled user a username and password belong to. Every refusal costs one scrypt, so the time taken does not
 * tell whether the name exists, has a password, or is disabled.
 */
export async function checkLogin(admin: AdminStore, username: string, password: string): Promise<StaffUser | undefined> {
  const record = await admin.getRecord('user', usernameToId(username));
  const parsed = record && StaffUser.safeParse(record.data);
  const user = parsed?.success ? parsed.data : undefined;
  const stored = user?.passwordHash;
  const matches = await verifyPassword(password, stored ?? (await dummyHash()));
  return matches && stored !== undefined && user?.enabled ? user : undefined;
}
