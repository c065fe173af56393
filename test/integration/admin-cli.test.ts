import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/admin/auth/password.ts';
import { sha256Hex } from '../../src/admin/auth/same-secret.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { runCli } from '../support/bridge-process.ts';


const PASSWORD = 'पुणे-महानगरपालिका 2026';
const ACTOR = `cli:${userInfo().username}`;

// The store is new: the CLI seeds what config/ gives (departments, wards, the rules of routing.yaml) as the bridge does.
describe('pmc-bridge mappings, rules, sla, users (the admin service through the real binary)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-admin-cli-'));
  const file = join(dir, 'bridge.db');
  const env = { STORE_URL: `sqlite:${file}` };
  let store: SqliteStore;
  const cli = (...args: string[]) => runCli(args, env);
  const listed = async (group: string) => {
    const out = await cli(group, 'list', '--json');
    expect(out.code, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as Record<string, unknown>[];
  };

  beforeAll(() => {
    store = SqliteStore.open(file, { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a mapping and lists it; an unknown department is refused by field and nothing is saved', async () => {
    const add = await cli('mappings', 'add', '--id', 'sms-ward5', '--channel', 'sms', '--account', '+912025501005', '--department', 'SWM', '--ward', 'kothrud-bavdhan');
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toBe('saved mapping sms-ward5 (version 1)\n');
    expect(await listed('mappings')).toContainEqual(
      expect.objectContaining({ id: 'sms-ward5', channel: 'sms', accountId: '+912025501005', department: 'SWM', ward: 'kothrud-bavdhan', defaultLanguage: 'mr', replyPolicy: 'conversational', slaHours: 72, enabled: true }),
    );
    const table = await cli('mappings', 'list');
    expect(table.stdout).toMatch(/sms-ward5\s+sms\s+\+912025501005\s+SWM\s+kothrud-bavdhan\s+mr\s+conversational\s+yes/u);

    const bad = await cli('mappings', 'add', '--id', 'sms-ward6', '--channel', 'sms', '--account', '+912025501006', '--department', 'PARKS-AND-FUN');
    expect(bad.code).toBe(65);
    expect(bad.stderr).toMatch(/^error: department: no department "PARKS-AND-FUN"/mu);
    expect(await store.admin.getRecord('mapping', 'sms-ward6')).toBeUndefined();
  });

  it('edits a mapping, office hours through --json, and disables it', async () => {
    const edit = await cli('mappings', 'edit', 'sms-ward5', '--language', 'en', '--json', '{"officeHours":{"days":[1,2,3,4,5],"from":"10:00","to":"17:45"}}');
    expect(edit.code, edit.stderr).toBe(0);
    expect(edit.stdout).toBe('saved mapping sms-ward5 (version 2): defaultLanguage, officeHours\n');
    const off = await cli('mappings', 'disable', 'sms-ward5');
    expect(off.stdout).toBe('disabled mapping sms-ward5 (version 3)\n');
    expect((await store.admin.getRecord('mapping', 'sms-ward5'))?.data).toMatchObject({ enabled: false, defaultLanguage: 'en', officeHours: { from: '10:00' } });
    expect((await cli('mappings', 'edit', 'no-such-mapping', '--ward', 'bibwewadi')).code).toBe(66);
  });

  it('adds a rule with Marathi and English keywords; refuses a broken regex and a number with letters', async () => {
    const add = await cli('rules', 'add', '--id', 'carcass-urgent', '--name', 'A carcass on the road is urgent', '--order', '40', '--keyword', 'मेलेले जनावर', '--keyword', 'dead animal', '--channel', 'sms', '--department', 'HEALTH', '--priority', 'urgent');
    expect(add.code, add.stderr).toBe(0);
    const rule = (await listed('rules')).find((r) => r.id === 'carcass-urgent');
    expect(rule).toMatchObject({ order: 40, when: { keywords: ['मेलेले जनावर', 'dead animal'], channels: ['sms'] }, then: { department: 'HEALTH', priority: 'urgent' }, enabled: true });
    // a flag changes one condition; the others stay
    await cli('rules', 'edit', 'carcass-urgent', '--ward', 'kothrud-bavdhan');
    expect((await store.admin.getRecord('rule', 'carcass-urgent'))?.data).toMatchObject({ when: { keywords: ['मेलेले जनावर', 'dead animal'], channels: ['sms'], wards: ['kothrud-bavdhan'] } });
    const table = await cli('rules', 'list');
    expect(table.stdout).toMatch(/^40\s+carcass-urgent\s+A carcass on the road is urgent\s+keywords: मेलेले जनावर, dead animal/mu);
    // read by order: 40 before the seeded rules at 100 and over
    expect(table.stdout.indexOf('carcass-urgent')).toBeLessThan(table.stdout.indexOf('urgent-overflow'));

    const regex = await cli('rules', 'add', '--id', 'broken', '--name', 'broken', '--order', '45', '--pattern', '(कचरा', '--department', 'SWM');
    expect(regex.code).toBe(65);
    expect(regex.stderr).toMatch(/^error: when\.pattern: not a valid regular expression/mu);
    const order = await cli('rules', 'add', '--id', 'broken', '--name', 'broken', '--order', '10x', '--department', 'SWM');
    expect(order.code).toBe(64);
    expect(order.stderr).toContain('--order must be a number');
    expect(await store.admin.getRecord('rule', 'broken')).toBeUndefined();
  });

  it('refuses an SLA of zero hours, and swaps hours for working days on edit', async () => {
    const zero = await cli('sla', 'add', '--id', 'garbage-fast', '--category', 'garbage', '--hours', '0');
    expect(zero.code).toBe(65);
    expect(zero.stderr).toMatch(/^error: hours: /mu);
    expect((await cli('sla', 'add', '--id', 'garbage-fast', '--category', 'garbage', '--hours', '36')).code).toBe(0);
    expect((await cli('sla', 'edit', 'garbage-fast', '--working-days', '2')).stdout).toBe('saved sla garbage-fast (version 2): hours, workingDays\n');
    expect((await listed('sla')).find((s) => s.id === 'garbage-fast')).toEqual({ id: 'garbage-fast', category: 'garbage', workingDays: 2, enabled: true });
  });

  it('adds a user with a password from stdin: stored as scrypt, never printed', async () => {
    const add = await runCli(['users', 'add', 'asha.k', '--name', 'आशा कुलकर्णी', '--role', 'officer', '--ward', 'kothrud-bavdhan', '--password-stdin'], env, `${PASSWORD}\n`);
    expect(add.code, add.stderr).toBe(0);
    const stored = (await store.admin.getRecord('user', 'asha.k'))?.data as { passwordHash: string };
    expect(stored.passwordHash).toMatch(/^scrypt\$/u);
    expect(await verifyPassword(PASSWORD, stored.passwordHash)).toBe(true);
    const table = await cli('users', 'list');
    const json = await cli('users', 'list', '--json');
    for (const out of [table.stdout, json.stdout]) {
      expect(out).toContain('asha.k');
      expect(out).not.toContain('scrypt');
      expect(out).not.toContain(stored.passwordHash.split('$').at(-1));
    }
    expect(JSON.parse(json.stdout)).toContainEqual(expect.objectContaining({ id: 'asha.k', hasPassword: true, wards: ['kothrud-bavdhan'] }));
    const short = await runCli(['users', 'edit', 'asha.k', '--password-stdin'], env, 'short\n');
    expect(short.code).toBe(65);
    expect(short.stderr).toMatch(/^error: password: /mu);
  });

  it('prints a new token secret once; the store keeps only its hash', async () => {
    const made = await cli('users', 'token', 'asha.k', '--name', 'ward 5 kiosk');
    expect(made.code, made.stderr).toBe(0);
    const secret = made.stdout.trim();
    expect(secret).toMatch(/^pmc_[A-Za-z0-9_-]{20,}$/u);
    expect(made.stderr).not.toContain(secret);
    const tokens = await store.admin.listRecords('token');
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.data).toMatchObject({ userId: 'asha.k', name: 'ward 5 kiosk', hash: sha256Hex(secret) });
    expect(JSON.stringify(tokens)).not.toContain(secret);
    expect(JSON.stringify(await store.admin.listAudit({ limit: 500 }))).not.toContain(secret);
  });

  it('audits every change under the operator, with before and after', async () => {
    const audit = await store.admin.listAudit({ actor: ACTOR, limit: 500 });
    const disabled = audit.find((a) => a.kind === 'mapping' && a.recordId === 'sms-ward5' && a.action === 'disable');
    expect(disabled?.before).toMatchObject({ enabled: true });
    expect(disabled?.after).toMatchObject({ enabled: false });
    expect(audit.find((a) => a.kind === 'rule' && a.recordId === 'carcass-urgent' && a.action === 'create')?.after).toMatchObject({ order: 40 });
    expect(audit.find((a) => a.kind === 'sla' && a.action === 'update')?.before).toMatchObject({ hours: 36 });
    // what the CLI refused left no trace
    expect(audit.some((a) => a.recordId === 'sms-ward6' || a.recordId === 'broken')).toBe(false);
  });

  it('tickets status: moves a ticket through the audited change, as the operator, with or without a note', async () => {
    const contact = await store.upsertContact({ channel: 'sms', channelUserId: '+919800000011', phone: '+919800000011' });
    const { ticket } = await store.createTicket({
      source: { channel: 'sms', accountId: '+912025501000', externalId: 'SM-cli-status-1' },
      contact,
      language: 'mr',
      description: { original: 'कोथरूडमध्ये कचरा उचलला नाही', normalized: 'कोथरूडमध्ये कचरा उचलला नाही' },
      department: 'SWM',
      ward: 'kothrud-bavdhan',
      attachments: [],
      slaDueAt: new Date(Date.now() + 72 * 3600_000).toISOString(),
      by: 'test',
    });
    const no = ticket.ticketNo;
    const started = await cli('tickets', 'status', no, 'in_progress');
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toBe(`${no}  received → in_progress\n`);
    // a status alone does not forward: from in progress it would only move the ticket back
    const back = await cli('tickets', 'status', no, 'forwarded');
    expect(back.code).toBe(64);
    expect(back.stderr).toContain(`ticket ${no} cannot move from in_progress to forwarded`);
    const resolved = await cli('tickets', 'status', no.toLowerCase(), 'resolved', '--note', 'कचरा उचलला');
    expect(resolved.code, resolved.stderr).toBe(0);
    const stored = (await store.getTicket(no))!;
    expect(stored.history.slice(1)).toMatchObject([
      { from: 'received', to: 'in_progress', by: ACTOR },
      { from: 'in_progress', to: 'resolved', by: ACTOR, note: 'कचरा उचलला' },
    ]);
    expect(stored.history[1]!.note).toBeUndefined();
    const audit = await store.admin.listAudit({ kind: 'ticket', recordId: no, limit: 10 });
    expect(audit.map((a) => [a.actor, a.action, (a.after as { status: string }).status, a.note])).toEqual([
      [ACTOR, 'status', 'resolved', 'कचरा उचलला'],
      [ACTOR, 'status', 'in_progress', undefined],
    ]);
  });
});
