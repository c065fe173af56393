import type { Role } from '../model/index.ts';
import type { RecordKind } from '../store/admin-store.ts';
import { AdminError } from './admin-error.ts';

/** What each role may do; an officer's tickets are further limited to their wards and departments (tickets.ts). */
const READ: Record<RecordKind | 'tickets' | 'dead-letters' | 'channels' | 'audit' | 'reports' | 'campaigns', readonly Role[]> = {
  mapping: ['admin', 'supervisor'],
  rule: ['admin', 'supervisor'],
  sla: ['admin', 'supervisor'],
  text: ['admin', 'supervisor'],
  // officers forward to a department or ward office: they must see the lists
  department: ['admin', 'supervisor', 'officer'],
  ward: ['admin', 'supervisor', 'officer'],
  user: ['admin'],
  token: ['admin'],
  tickets: ['admin', 'supervisor', 'officer'],
  'dead-letters': ['admin', 'supervisor'],
  channels: ['admin', 'supervisor'],
  audit: ['admin', 'supervisor'],
  reports: ['admin', 'supervisor'],
  // awareness campaigns: the call centre runs them (src/notify/campaign-service.ts)
  campaigns: ['admin', 'supervisor'],
};

const WRITE: Record<RecordKind | 'tickets' | 'dead-letters', readonly Role[]> = {
  mapping: ['admin', 'supervisor'],
  rule: ['admin', 'supervisor'],
  sla: ['admin', 'supervisor'],
  text: ['admin', 'supervisor'],
  department: ['admin'],
  ward: ['admin'],
  user: ['admin'],
  token: ['admin'],
  tickets: ['admin', 'supervisor', 'officer'],
  'dead-letters': ['admin', 'supervisor'],
};

export type Area = keyof typeof READ;

export function mayRead(role: Role, area: Area): boolean {
  return READ[area].includes(role);
}

export function mayWrite(role: Role, area: keyof typeof WRITE): boolean {
  return WRITE[area].includes(role);
}

export function mustRead(role: Role, area: Area): void {
  if (!mayRead(role, area)) throw new AdminError(403, `a ${role} may not see ${area}`);
}

export function mustWrite(role: Role, area: keyof typeof WRITE): void {
  if (!mayWrite(role, area)) throw new AdminError(403, `a ${role} may not change ${area}`);
}

const RECORD_KINDS: readonly RecordKind[] = ['mapping', 'rule', 'sla', 'department', 'ward', 'text', 'user', 'token'];

/**
 * The audit's entries about a kind of record are shown only to whoever may read those records: a supervisor sees
 * no user or token entries (names, roles, wards, token ids), an admin sees all.
 */
export function auditKindsHiddenFrom(role: Role): RecordKind[] {
  return RECORD_KINDS.filter((k) => !mayRead(role, k));
}
