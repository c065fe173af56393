import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import type { AdminStore } from '../../src/store/admin-store.ts';
import {
  adminAuditModel,
  adminRecordModel,
  auditCopy,
  auditDoc,
  expiredSessionsFilter,
  listAuditFilter,
  liveSessionFilter,
  MongoAdminStore,
  putSessionUpdate,
  RECORD_KINDS,
  saveRecordFilter,
  saveRecordUpdate,
  staffSessionModel,
  toAuditEntry,
  toStoredRecord,
} from '../../src/store/mongo/admin.ts';

// A connection with no URI never connects: models, casting and validation are all local.
const conn = mongoose.createConnection();
afterAll(() => conn.close());

const at = new Date('2026-03-09T04:30:00.000Z');
const rule = { id: 'r1', name: 'कचरा उचलला नाही', keywords: ['कूड़ा', 'garbage'], nested: {} };

/** the validation error's messages by path, or undefined when the document is valid */
async function problems(doc: { validate(): Promise<unknown> }): Promise<Record<string, string> | undefined> {
  try {
    await doc.validate();
    return undefined;
  } catch (err) {
    const errors = (err as mongoose.Error.ValidationError).errors;
    return Object.fromEntries(Object.entries(errors).map(([path, e]) => [path, e.kind]));
  }
}

describe('mongo admin store: documents and their validation', () => {
  it('refuses a record without a kind, with an unknown kind, or without a version', async () => {
    const Record = adminRecordModel(conn);
    expect(await problems(new Record({ kind: 'rule', recordId: 'r1', data: rule, version: 1, updatedAt: at }))).toBeUndefined();
    expect(await problems(new Record({ recordId: 'r1', data: rule, version: 1, updatedAt: at }))).toEqual({ kind: 'required' });
    expect(await problems(new Record({ kind: 'nagar', recordId: 'r1', data: rule, version: 1, updatedAt: at }))).toEqual({ kind: 'enum' });
    expect(await problems(new Record({ kind: 'rule', recordId: 'r1', data: rule, updatedAt: at }))).toEqual({ version: 'required' });
    expect(RECORD_KINDS.sort()).toEqual(['department', 'mapping', 'rule', 'sla', 'text', 'token', 'user', 'ward']);
  });

  it('casts ISO times to dates, refuses what is not a time, and keeps an empty object in data', async () => {
    const Record = adminRecordModel(conn);
    const doc = new Record({ kind: 'text', recordId: 'mr.ack', data: rule, version: '2', updatedAt: '2026-03-09T10:00:00+05:30' });
    expect(doc.updatedAt).toEqual(at);
    expect(doc.version).toBe(2);
    expect(doc.toObject().data).toEqual(rule);
    const Session = staffSessionModel(conn);
    const bad = new Session({ _id: 'h', userId: 'asha', csrf: 'c', createdAt: 'कधीतरी', expiresAt: at });
    expect(await problems(bad)).toEqual({ createdAt: 'date' });
  });

  it('an audit entry has a numeric id and its before and after as plain JSON', async () => {
    const Audit = adminAuditModel(conn);
    const doc = auditDoc(41, { actor: 'user:asha', action: 'update', kind: 'rule', recordId: 'r1', before: { name: 'कचरा', when: at }, after: { name: 'garbage', gone: undefined } }, at);
    expect(doc).toEqual({ _id: 41, at, actor: 'user:asha', action: 'update', kind: 'rule', recordId: 'r1', before: { name: 'कचरा', when: at.toISOString() }, after: { name: 'garbage' } });
    expect(await problems(new Audit(doc))).toBeUndefined();
    expect(await problems(new Audit({ ...doc, actor: undefined, _id: 'बेचाळीस' }))).toEqual({ actor: 'required', _id: 'Number' });
    expect(toAuditEntry(doc)).toEqual({ id: 41, at: at.toISOString(), actor: 'user:asha', action: 'update', kind: 'rule', recordId: 'r1', before: { name: 'कचरा', when: at.toISOString() }, after: { name: 'garbage' } });
    expect(toAuditEntry(auditDoc(42, { actor: 'bootstrap', action: 'login-refused', kind: 'session', recordId: 'ravi', note: 'चुकीचा पासवर्ड' }, at))).toEqual({
      id: 42,
      at: at.toISOString(),
      actor: 'bootstrap',
      action: 'login-refused',
      kind: 'session',
      recordId: 'ravi',
      note: 'चुकीचा पासवर्ड',
    });
  });

  it('declares the unique record key, the audit look-ups and the sessions TTL', () => {
    expect(adminRecordModel(conn).schema.indexes()).toEqual([[{ kind: 1, recordId: 1 }, expect.objectContaining({ unique: true })]]);
    expect(adminAuditModel(conn).schema.indexes().map(([k]) => k)).toEqual([{ kind: 1, recordId: 1, _id: -1 }, { actor: 1, _id: -1 }]);
    const sessionIndexes = staffSessionModel(conn).schema.indexes();
    expect(sessionIndexes).toContainEqual([{ expiresAt: 1 }, expect.objectContaining({ expireAfterSeconds: 0 })]);
    expect(sessionIndexes.map(([k]) => k)).toContainEqual({ userId: 1 });
  });

  it('gets the same models again on the same connection (no OverwriteModelError)', () => {
    expect(adminRecordModel(conn)).toBe(adminRecordModel(conn));
    const admin: AdminStore = new MongoAdminStore(conn);
    expect(() => new MongoAdminStore(conn)).not.toThrow();
    expect(typeof admin.saveRecords).toBe('function');
    expect(Object.keys(conn.models)).toEqual(expect.arrayContaining(['AdminRecord', 'AdminAudit', 'StaffSession']));
    expect([adminRecordModel(conn), adminAuditModel(conn), staffSessionModel(conn)].map((m) => m.collection.collectionName)).toEqual(['admin_records', 'admin_audit', 'staff_sessions']);
  });
});

describe('mongo admin store: what each write sends', () => {
  it('writes a create where no record is, and an edit only over the version it read', () => {
    const create = { kind: 'rule' as const, id: 'r1', data: rule, expectVersion: 0, action: 'create' };
    expect(saveRecordFilter(create, 0)).toEqual({ kind: 'rule', recordId: 'r1' });
    expect(saveRecordUpdate(create, 0, at)).toEqual({ $set: { data: rule, version: 1, updatedAt: at } });
    const edit = { ...create, data: { ...rule, name: 'Garbage not collected', extra: undefined }, expectVersion: 3, action: 'update' };
    expect(saveRecordFilter(edit, 3)).toEqual({ kind: 'rule', recordId: 'r1', version: 3 });
    expect(saveRecordUpdate(edit, 3, at)).toEqual({ $set: { data: { ...rule, name: 'Garbage not collected' }, version: 4, updatedAt: at } });
  });

  it('never copies a password or token hash into the audit, only whether it changed', () => {
    const user = { id: 'u1', name: 'आशा', passwordHash: 'scrypt$secret' };
    expect(auditCopy(user, user)).toEqual({ id: 'u1', name: 'आशा', passwordHash: '(set)' });
    expect(auditCopy(user, { ...user, passwordHash: 'scrypt$old' })).toEqual({ id: 'u1', name: 'आशा', passwordHash: '(changed)' });
    // a delete: nothing after it
    expect(auditCopy(user, undefined)).toEqual({ id: 'u1', name: 'आशा', passwordHash: '(changed)' });
    expect(auditCopy({ id: 't1', hash: 'ab'.repeat(32) }, undefined)).toEqual({ id: 't1', hash: '(changed)' });
    expect(auditCopy(undefined, user)).toBeUndefined();
    expect(user.passwordHash).toBe('scrypt$secret');
  });

  it('lists the audit by what is asked, pages back by id', () => {
    expect(listAuditFilter({ limit: 10 })).toEqual({});
    expect(listAuditFilter({ kind: 'ticket', recordId: 'PMC10001', actor: 'user:ravi', beforeId: 120, limit: 10 })).toEqual({ kind: 'ticket', recordId: 'PMC10001', actor: 'user:ravi', _id: { $lt: 120 } });
    // the filter casts against the schema as sent: the page's id stays a number
    const cast = adminAuditModel(conn).find(listAuditFilter({ beforeId: 120, limit: 1 })).cast();
    expect(cast).toEqual({ _id: { $lt: 120 } });
  });

  it('moves only the expiry of a session put again, and reads only sessions not expired', () => {
    const s = { id: 'f'.repeat(64), userId: 'sunita', csrf: 'csrf-1', createdAt: at.toISOString(), expiresAt: '2026-03-09T05:30:00.000Z' };
    expect(putSessionUpdate(s)).toEqual({ $set: { expiresAt: new Date('2026-03-09T05:30:00.000Z') }, $setOnInsert: { userId: 'sunita', csrf: 'csrf-1', createdAt: at } });
    expect(liveSessionFilter(s.id, at)).toEqual({ _id: s.id, expiresAt: { $gt: at } });
    expect(expiredSessionsFilter(at)).toEqual({ expiresAt: { $lte: at } });
  });

  it('gives a record back as the port has it: its id, and its time as ISO', () => {
    expect(toStoredRecord({ kind: 'ward', recordId: 'kothrud', data: { id: 'kothrud', name: { mr: 'कोथरूड', hi: 'कोथरूड', en: 'Kothrud' } }, version: 2, updatedAt: at })).toEqual({
      kind: 'ward',
      id: 'kothrud',
      data: { id: 'kothrud', name: { mr: 'कोथरूड', hi: 'कोथरूड', en: 'Kothrud' } },
      version: 2,
      updatedAt: '2026-03-09T04:30:00.000Z',
    });
  });
});
