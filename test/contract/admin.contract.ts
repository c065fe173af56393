import { describe, expect, it } from 'vitest';
import { InvalidTransitionError, VersionConflictError } from '../../src/store/errors.ts';
import type { Store } from '../../src/store/store.ts';
import type { ContractContext } from './store.contract.ts';
import { draft, uid } from './store-fixtures.ts';

// Staff administration: versioned records with their audit in one write, sessions, the officers' ticket queue
// (by ward, department, overdue, unrouted), and a staff change with its history and audit entry together.

const at = new Date('2026-03-09T04:30:00.000Z');
const citizen = (store: Store, phone: string) => store.upsertContact({ channel: 'sms', channelUserId: phone, phone });

export function adminContract(ctx: ContractContext): void {
  describe('administration records', () => {
    it('writes a record and its audit entry together, and moves the configuration version', async () => {
      const { admin } = ctx.store();
      const v0 = await admin.configVersion();
      const [saved] = await admin.saveRecords([{ kind: 'rule', id: 'r1', data: { id: 'r1', name: 'कचरा' }, expectVersion: 0, action: 'create' }], 'user:asha', at);
      expect(saved).toMatchObject({ kind: 'rule', id: 'r1', version: 1 });
      expect(await admin.configVersion()).toBeGreaterThan(v0);
      await admin.saveRecords([{ kind: 'rule', id: 'r1', data: { id: 'r1', name: 'garbage' }, expectVersion: 1, action: 'update' }], 'user:ravi', at);
      expect(await admin.getRecord('rule', 'r1')).toMatchObject({ data: { name: 'garbage' }, version: 2 });
      const [update, create] = await admin.listAudit({ kind: 'rule', recordId: 'r1', limit: 10 });
      expect(create).toMatchObject({ actor: 'user:asha', action: 'create', after: { name: 'कचरा' } });
      expect(update).toMatchObject({ actor: 'user:ravi', action: 'update', before: { name: 'कचरा' }, after: { name: 'garbage' }, at: at.toISOString() });
    });

    it('refuses a stale edit, a second create and a delete of nothing, writing nothing of the change set', async () => {
      const { admin } = ctx.store();
      await admin.saveRecords([{ kind: 'sla', id: 's1', data: { id: 's1' }, expectVersion: 0, action: 'create' }], 'cli:root', at);
      const audits = (await admin.listAudit({ limit: 1000 })).length;
      const attempt = admin.saveRecords(
        [
          { kind: 'sla', id: 's2', data: { id: 's2' }, expectVersion: 0, action: 'create' },
          { kind: 'sla', id: 's1', data: { id: 's1', x: 1 }, expectVersion: 7, action: 'update' },
        ],
        'cli:root',
        at,
      );
      await expect(attempt).rejects.toBeInstanceOf(VersionConflictError);
      expect(await admin.getRecord('sla', 's2')).toBeUndefined();
      await expect(admin.saveRecords([{ kind: 'sla', id: 's1', data: { id: 's1' }, expectVersion: 0, action: 'create' }], 'x', at)).rejects.toBeInstanceOf(VersionConflictError);
      await expect(admin.saveRecords([{ kind: 'sla', id: 'nope', data: null, action: 'delete' }], 'x', at)).rejects.toBeInstanceOf(VersionConflictError);
      expect((await admin.listAudit({ limit: 1000 })).length).toBe(audits);
    });

    it('deletes with an audit entry that keeps what was deleted, and never copies a password hash into the audit', async () => {
      const { admin } = ctx.store();
      await admin.saveRecords([{ kind: 'user', id: 'u1', data: { id: 'u1', passwordHash: 'scrypt$secret' }, action: 'create' }], 'bootstrap', at);
      await admin.saveRecords([{ kind: 'user', id: 'u1', data: null, action: 'delete' }], 'user:asha', at);
      expect(await admin.getRecord('user', 'u1')).toBeUndefined();
      const entries = await admin.listAudit({ kind: 'user', recordId: 'u1', limit: 10 });
      expect(entries[0]).toMatchObject({ action: 'delete', before: { id: 'u1' } });
      expect(JSON.stringify(entries)).not.toContain('scrypt$secret');
    });

    it('keeps sessions until they expire', async () => {
      const { admin } = ctx.store();
      const id = uid('session');
      await admin.putSession({ id, userId: 'asha', csrf: 'c', createdAt: at.toISOString(), expiresAt: new Date(at.getTime() + 3_600_000).toISOString() });
      expect(await admin.getSession(id, at)).toMatchObject({ userId: 'asha', csrf: 'c' });
      expect(await admin.getSession(id, new Date(at.getTime() + 3_600_001))).toBeUndefined();
      expect(await admin.deleteSessionsOf('asha')).toBe(1);
      expect(await admin.getSession(id, at)).toBeUndefined();
    });
  });

  describe('the ticket queue', () => {
    it('lists and counts by ward, department, reach, overdue and unrouted, with paging', async () => {
      const store = ctx.store();
      const c = await citizen(store, '+919876511001');
      const due = (h: number) => new Date(at.getTime() + h * 3_600_000).toISOString();
      const ward = `ward-${uid('w')}`;
      const a = (await store.createTicket(draft(c, { ward, department: 'SWM', slaDueAt: due(-1) }))).ticket;
      const b = (await store.createTicket(draft(c, { ward, department: 'WATER', slaDueAt: due(48), routing: { mappingId: 'm', department: { by: 'mapping' }, sla: { hours: 72 }, unrouted: true } }))).ticket;
      const other = (await store.createTicket(draft(c, { ward: `${ward}-x`, department: 'SWM-X', slaDueAt: due(-5) }))).ticket;
      expect((await store.listTickets({ ward })).map((t) => t.ticketNo).sort()).toEqual([a.ticketNo, b.ticketNo].sort());
      expect((await store.listTickets({ ward, overdueAt: at })).map((t) => t.ticketNo)).toEqual([a.ticketNo]);
      expect((await store.listTickets({ ward, unrouted: true })).map((t) => t.ticketNo)).toEqual([b.ticketNo]);
      expect((await store.listTickets({ reach: { wards: [], departments: ['SWM-X'] } })).map((t) => t.ticketNo)).toEqual([other.ticketNo]);
      expect(await store.listTickets({ reach: { wards: [], departments: [] } })).toEqual([]);
      expect((await store.listTickets({ ward, order: 'asc', limit: 1, offset: 1 })).map((t) => t.ticketNo)).toEqual([b.ticketNo]);
      expect(await store.countTickets({ ward })).toEqual({ received: 2 });
      expect((await store.listTickets({ search: b.ticketNo.toLowerCase() })).map((t) => t.ticketNo)).toEqual([b.ticketNo]);
    });

    it('a staff change: status, forward and note in one history entry, with its audit entry', async () => {
      const store = ctx.store();
      const c = await citizen(store, '+919876511002');
      const { ticket } = await store.createTicket(draft(c, { routing: { mappingId: 'm', department: { by: 'mapping' }, sla: { hours: 72 }, unrouted: true } }));
      const forwarded = await store.changeTicket(ticket.ticketNo, { department: 'WATER', ward: 'aundh-baner', note: 'पाणीपुरवठा विभागाकडे', by: 'user:ravi', at });
      expect(forwarded).toMatchObject({ status: 'forwarded', department: 'WATER', ward: 'aundh-baner', routing: { department: { by: 'staff' }, ward: { by: 'staff' } } });
      expect(forwarded.routing?.unrouted).toBeUndefined();
      expect(forwarded.history.at(-1)).toMatchObject({ from: 'received', to: 'forwarded', by: 'user:ravi', note: 'पाणीपुरवठा विभागाकडे' });
      await store.changeTicket(ticket.ticketNo, { status: 'in_progress', note: 'कर्मचारी पाठवले', by: 'user:sunita', at });
      // "forwarded" alone would move it back without forwarding it anywhere
      await expect(store.changeTicket(ticket.ticketNo, { status: 'forwarded', note: 'x', by: 'user:sunita', at })).rejects.toBeInstanceOf(InvalidTransitionError);
      const resolved = await store.changeTicket(ticket.ticketNo, { status: 'resolved', note: 'Valve repaired', by: 'user:sunita', at });
      expect(resolved.status).toBe('resolved');
      await expect(store.changeTicket(ticket.ticketNo, { status: 'in_progress', by: 'user:sunita', at })).rejects.toBeInstanceOf(InvalidTransitionError);
      const audit = await store.admin.listAudit({ kind: 'ticket', recordId: ticket.ticketNo, limit: 10 });
      expect(audit.map((e) => e.action)).toEqual(['status', 'status', 'forward']);
      expect(audit[2]).toMatchObject({ before: { status: 'received', department: ticket.department }, after: { status: 'forwarded', department: 'WATER', ward: 'aundh-baner' } });
    });
  });
}
