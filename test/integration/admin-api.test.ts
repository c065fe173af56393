// The admin API over real HTTP on a whole bridge: who may do what, every change audited, bad input refused by
// field with nothing half-saved, and a change made in one process routing the next message in another.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/admin/auth/api-tokens.ts';
import { hashPassword } from '../../src/admin/auth/password.ts';
import type { StaffUser } from '../../src/model/index.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { freePort, ownedByTest, ROOT, startBridge, type BridgeProcess } from '../support/bridge-process.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { FAST_PIPELINE_YAML, SMS_HOOK_PUBLIC, startInProcessBridge, type InProcessBridge } from '../support/in-process-bridge.ts';
import { postSigned, smsBridgeEnv, smsParams } from '../support/sms-webhooks.ts';
import { until } from '../support/wait.ts';

const NEW_NUMBER = '+912066001234';

describe('the admin API', () => {
  let fake: FakeTwilioApi;
  let bridge: InProcessBridge;
  let base: string;
  const tokens: Record<string, string> = {};

  async function user(u: Partial<StaffUser> & Pick<StaffUser, 'id' | 'role'>, password?: string): Promise<string> {
    const record = { name: u.id, wards: [], departments: [], language: 'mr', enabled: true, ...u, ...(password ? { passwordHash: await hashPassword(password) } : {}) };
    const { token, secret } = issueToken(u.id, 'test', new Date());
    await bridge.app.store.admin.saveRecords(
      [
        { kind: 'user', id: u.id, data: record, action: 'create' },
        { kind: 'token', id: token.id, data: token, action: 'create' },
      ],
      'test',
      new Date(),
    );
    return secret;
  }
  const call = (method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/admin/api${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  beforeAll(async () => {
    fake = await startFakeTwilioApi();
    bridge = await startInProcessBridge(fake, `${FAST_PIPELINE_YAML}bot: { enabled: false }\n`);
    base = bridge.app.url;
    tokens.admin = await user({ id: 'asha', role: 'admin', name: 'आशा कुलकर्णी' });
    tokens.supervisor = await user({ id: 'ravi', role: 'supervisor', name: 'रवी देशमुख' });
    tokens.officer = await user({ id: 'sunita', role: 'officer', name: 'सुनीता पाटील', wards: ['kothrud-bavdhan'] }, 'kothrud-ward-2026');
  });
  afterAll(async () => {
    await bridge?.close();
    await fake?.close();
  });

  it('refuses a request without a token, with a wrong one, and with a revoked one', async () => {
    expect((await call('GET', '/mappings', undefined)).status).toBe(401);
    expect((await call('GET', '/mappings', 'pmc_not-a-token')).status).toBe(401);
    const { token, secret } = issueToken('ravi', 'laptop', new Date());
    await bridge.app.store.admin.saveRecords([{ kind: 'token', id: token.id, data: token, action: 'create' }], 'test', new Date());
    expect((await call('GET', '/mappings', secret)).status).toBe(200);
    expect((await call('POST', `/tokens/${token.id}/disable`, tokens.admin)).status).toBe(200);
    expect((await call('GET', '/mappings', secret)).status).toBe(401);
    const audit = await bridge.app.store.admin.listAudit({ kind: 'token', recordId: token.id, limit: 5 });
    expect(audit[0]).toMatchObject({ action: 'revoke', actor: expect.stringMatching(/^token:/) });
    // the audit never holds a token's hash
    expect(JSON.stringify(audit)).not.toContain(token.hash);
  });

  it('an officer may not read or change mappings, rules, SLA or users; a supervisor may not manage users', async () => {
    for (const path of ['/mappings', '/rules', '/sla', '/users', '/audit', '/dead-letters']) expect((await call('GET', path, tokens.officer)).status, path).toBe(403);
    expect((await call('POST', '/mappings', tokens.officer, { id: 'x', channel: 'sms', accountId: NEW_NUMBER, department: 'WATER', defaultLanguage: 'mr', replyPolicy: 'conversational' })).status).toBe(403);
    expect((await call('GET', '/users', tokens.supervisor)).status).toBe(403);
    expect((await call('GET', '/rules', tokens.supervisor)).status).toBe(200);
    expect((await call('GET', '/departments', tokens.officer)).status).toBe(200);
  });

  it('a session needs its CSRF token to change anything, and an expired session is refused', async () => {
    const login = await fetch(`${base}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sunita', password: 'kothrud-ward-2026' }) });
    expect(login.status).toBe(200);
    const { csrf } = (await login.json()) as { csrf: string };
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect((await call('GET', '/tickets', undefined, undefined, { cookie })).status).toBe(200);
    const sms = smsParams(9101, { Body: 'कोथरूड मध्ये कचरा उचलला नाही, दुर्गंधी येते' });
    await postSigned(bridge.hook, SMS_HOOK_PUBLIC, sms);
    const ticket = await until('the ticket', async () => (await bridge.app.store.listTickets()).find((t) => t.description.original.startsWith('कोथरूड मध्ये')));
    const patch = { status: 'in_progress', note: 'कर्मचारी पाठवले' };
    expect((await call('PATCH', `/tickets/${ticket.ticketNo}`, undefined, patch, { cookie })).status).toBe(403);
    expect((await bridge.app.store.getTicket(ticket.ticketNo))!.status).toBe('received');
    expect((await call('PATCH', `/tickets/${ticket.ticketNo}`, undefined, patch, { cookie, 'x-csrf-token': csrf })).status).toBe(200);
    expect((await bridge.app.store.getTicket(ticket.ticketNo))!.history.at(-1)).toMatchObject({ to: 'in_progress', by: 'user:sunita', note: 'कर्मचारी पाठवले' });
    // the session runs out: the same cookie is refused
    const [, value] = cookie.split('=');
    const { createHash } = await import('node:crypto');
    const id = createHash('sha256').update(value!).digest('hex');
    const session = (await bridge.app.store.admin.getSession(id, new Date()))!;
    await bridge.app.store.admin.putSession({ ...session, expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect((await call('GET', '/tickets', undefined, undefined, { cookie })).status).toBe(401);
  });

  it('an officer sees and changes only the tickets of their ward', async () => {
    await postSigned(bridge.hook, SMS_HOOK_PUBLIC, smsParams(9102, { Body: 'हडपसर में दो दिन से पानी नहीं आ रहा है' }));
    const other = await until('the Hadapsar ticket', async () => (await bridge.app.store.listTickets()).find((t) => t.ward === 'hadapsar-mundhwa'));
    const list = (await (await call('GET', '/tickets', tokens.officer)).json()) as { items: { ward?: string }[]; counts: { total: number } };
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((t) => t.ward === 'kothrud-bavdhan')).toBe(true);
    expect((await call('GET', `/tickets/${other.ticketNo}`, tokens.officer)).status).toBe(404);
    expect((await call('PATCH', `/tickets/${other.ticketNo}`, tokens.officer, { status: 'resolved', note: 'x' })).status).toBe(404);
    // a supervisor forwards it; resolving needs a note
    const forward = await call('PATCH', `/tickets/${other.ticketNo}`, tokens.supervisor, { department: 'WATER', ward: 'kothrud-bavdhan', note: 'Kothrud office handles this lane' });
    expect(forward.status).toBe(200);
    expect((await bridge.app.store.getTicket(other.ticketNo))!).toMatchObject({ status: 'forwarded', ward: 'kothrud-bavdhan', routing: { ward: { by: 'staff' }, department: { by: 'staff' } } });
    const noNote = await call('PATCH', `/tickets/${other.ticketNo}`, tokens.officer, { status: 'resolved' });
    expect(noNote.status).toBe(400);
    expect(((await noNote.json()) as { problems: { field: string }[] }).problems[0]!.field).toBe('note');
  });

  it('refuses bad input by field, and saves nothing of it', async () => {
    const before = (await bridge.app.store.admin.listRecords('mapping')).length;
    const refused = async (path: string, body: unknown, field: string, status = 400) => {
      const res = await call('POST', path, tokens.supervisor, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      const answer = (await res.json()) as { problems?: { field: string }[] };
      expect(answer.problems?.map((p) => p.field)).toContain(field);
    };
    const mapping = { id: 'sms-water', channel: 'sms', accountId: NEW_NUMBER, department: 'WATER', defaultLanguage: 'mr', replyPolicy: 'conversational' };
    await refused('/mappings', { ...mapping, department: 'NO-SUCH' }, 'department');
    await refused('/mappings', { ...mapping, accountId: '2066001234' }, 'accountId');
    await refused('/mappings', { ...mapping, accountId: '*' }, 'accountId'); // sms-default has it
    await refused('/mappings', { ...mapping, slaHours: 0 }, 'slaHours');
    await refused('/rules', { id: 'bad-re', name: 'bad', order: 1, when: { pattern: '(unclosed' }, then: { priority: 'urgent' } }, 'when.pattern');
    await refused('/rules', { id: 'no-cat', name: 'x', order: 1, when: { categories: ['no-such'] }, then: { department: 'WATER' } }, 'when.categories.0');
    await refused('/rules', { id: 'late', name: 'after the garbage rule', order: 2000, when: { categories: ['garbage'] }, then: { department: 'SWM' } }, 'order');
    await refused('/sla', { id: 'zero', category: 'garbage', hours: 0 }, 'hours');
    await refused('/sla', { id: 'both', category: 'garbage', hours: 4, workingDays: 1 }, 'hours');
    expect((await bridge.app.store.admin.listRecords('mapping')).length).toBe(before);
    expect(await bridge.app.store.admin.getRecord('rule', 'bad-re')).toBeUndefined();
  });

  it('audits every change with who, before and after, and refuses an edit made on an old copy', async () => {
    const created = await call('POST', '/rules', tokens.supervisor, { id: 'school-urgent', name: 'शाळेजवळ: तातडीचे', order: 50, when: { keywords: ['शाळेजवळ', 'near school', 'school ke paas'] }, then: { priority: 'urgent' } });
    expect(created.status).toBe(201);
    const edited = await call('PATCH', '/rules/school-urgent', tokens.supervisor, { order: 60 }, { 'if-match': '1' });
    expect(edited.status).toBe(200);
    expect((await call('PATCH', '/rules/school-urgent', tokens.supervisor, { order: 70 }, { 'if-match': '1' })).status).toBe(409);
    const [update, create] = await bridge.app.store.admin.listAudit({ kind: 'rule', recordId: 'school-urgent', limit: 10 });
    expect(create).toMatchObject({ action: 'create', actor: expect.stringMatching(/^token:/), after: { order: 50 } });
    expect(create!.before).toBeUndefined();
    expect(update).toMatchObject({ action: 'update', before: { order: 50 }, after: { order: 60 } });
    // and it routes the next message at once
    await postSigned(bridge.hook, SMS_HOOK_PUBLIC, smsParams(9103, { Body: 'Kothrud: garbage dumped near school gate' }));
    const t = await until('the school ticket', async () => (await bridge.app.store.listTickets()).find((x) => x.description.original.startsWith('Kothrud: garbage')));
    expect(t).toMatchObject({ priority: 'urgent', department: 'SWM', routing: { priority: { ruleId: 'school-urgent' } } });
    // the audit cannot be rewritten
    expect(() => (bridge.app.store as SqliteStore)['db'].prepare(`DELETE FROM audit`).run()).toThrow(/append-only/);
  });

  it('documents itself', async () => {
    const doc = (await (await fetch(`${base}/admin/api/openapi.json`)).json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    for (const p of ['/admin/api/mappings', '/admin/api/rules/{id}', '/admin/api/sla', '/admin/api/tickets/{ticketNo}', '/admin/api/dead-letters/{kind}/{id}/retry', '/admin/api/audit']) expect(doc.paths).toHaveProperty([p]);
    expect(doc.components.schemas).toHaveProperty('rule');
  });
});

describe('a change in one process routes the next message in another, without a restart', () => {
  let dir: string;
  let fake: FakeTwilioApi;
  let web: BridgeProcess | undefined;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-admin-2p-'));
    fake = await startFakeTwilioApi();
  });
  afterAll(async () => {
    web?.proc.kill('SIGTERM');
    const workerGone = worker && worker.exitCode === null ? new Promise((r) => worker!.once('exit', r)) : undefined;
    worker?.kill('SIGTERM');
    await Promise.all([web?.exited, workerGone]);
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a mapping added through the web process\'s API is used by the worker for the next SMS to that number', async () => {
    const secret = 'bootstrap-0123456789-abcdefghij';
    const env = { ...smsBridgeEnv(join(dir, 'bridge.db'), fake.url), ADMIN_BOOTSTRAP_TOKEN: secret };
    web = await startBridge({ ...env, PMC_ROLE: 'web' }, await freePort());
    // a worker does not listen: it hears of messages and of changes only through the store
    worker = ownedByTest(spawn(process.execPath, ['bin/pmc-bridge.js', 'start', '--role', 'worker'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env }, stdio: 'ignore' }));
    const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    try {
      const post = (p: Record<string, string>) => postSigned(`${web!.url}/webhooks/sms/twilio`, 'https://bridge.example.test/webhooks/sms/twilio', p);
      const first = smsParams(9201, { To: NEW_NUMBER, Body: 'बाणेरमध्ये तीन दिवस पाणी नाही' });
      expect((await post(first)).status).toBe(200);
      const before = await until('the first ticket', async () => (await store.listTickets()).find((t) => t.description.original.includes('तीन दिवस पाणी')), 20_000);
      expect(before.routing?.mappingId).toBe('sms-default');
      const res = await fetch(`${web.url}/admin/api/mappings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'sms-ward-water', channel: 'sms', accountId: NEW_NUMBER, department: 'WATER', ward: 'aundh-baner', defaultLanguage: 'mr', replyPolicy: 'conversational', slaHours: 48 }),
      });
      expect(res.status).toBe(201);
      const second = smsParams(9202, { To: NEW_NUMBER, Body: 'Aundh la streetlight band ahe' });
      expect((await post(second)).status).toBe(200);
      const after = await until('the second ticket', async () => (await store.listTickets()).find((t) => t.description.original.startsWith('Aundh la')), 20_000);
      expect(after).toMatchObject({ ward: 'aundh-baner', routing: { mappingId: 'sms-ward-water', ward: { by: 'mapping' } } });
    } finally {
      await store.close();
    }
  }, 60_000);
});
