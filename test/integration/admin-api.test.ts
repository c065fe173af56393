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
    const doc = (await (await fetch(`${base}/admin/api/openapi.json`)).json()) as { paths: Record<string, { get?: { parameters?: { name: string }[] } }>; components: { schemas: Record<string, unknown> } };
    for (const p of ['/admin/api/mappings', '/admin/api/rules/{id}', '/admin/api/sla', '/admin/api/tickets/{ticketNo}', '/admin/api/dead-letters/{kind}/{id}', '/admin/api/dead-letters/{kind}/{id}/retry', '/admin/api/audit']) expect(doc.paths).toHaveProperty([p]);
    expect(doc.paths['/admin/api/dead-letters']?.get?.parameters?.map((x) => x.name)).toEqual(['offset', 'limit', 'kind', 'channel']);
    expect(doc.components.schemas).toHaveProperty('rule');
  });

  const json = async <T>(res: Response | Promise<Response>): Promise<T> => {
    const r = await res;
    expect(r.status, r.url).toBe(200);
    return (await r.json()) as T;
  };
  type RecordPage = { items: { item: { id: string; channel?: string; enabled?: boolean } }[]; total: number; offset: number; limit: number };
  type TicketPage = { items: { ticketNo: string; status: string; ward?: string }[]; total: number; offset: number; limit: number; counts: Record<string, number> };

  it('pages the mappings and filters them by channel and by enabled, over HTTP', async () => {
    for (const [id, accountId] of [['sms-aundh', '+912066001301'], ['sms-warje', '+912066001302']])
      expect((await call('POST', '/mappings', tokens.supervisor, { id, channel: 'sms', accountId, department: 'WATER', defaultLanguage: 'hi', replyPolicy: 'one-shot' })).status).toBe(201);
    const sms = (await bridge.app.store.admin.listRecords('mapping')).filter((r) => (r.data as { channel: string }).channel === 'sms').map((r) => r.id);
    expect(sms.length).toBeGreaterThanOrEqual(3);
    const second = await json<RecordPage>(call('GET', '/mappings?channel=sms&limit=1&offset=1', tokens.supervisor));
    expect(second).toMatchObject({ total: sms.length, offset: 1, limit: 1 });
    expect(second.items.map((i) => i.item.id)).toEqual([sms[1]]);
    // one a page, every page: the whole list once, and no other channel's
    const paged: string[] = [];
    for (let offset = 0; offset < sms.length + 1; offset++) paged.push(...(await json<RecordPage>(call('GET', `/mappings?channel=sms&limit=1&offset=${offset}`, tokens.supervisor))).items.map((i) => i.item.id));
    expect(paged).toEqual(sms);
    expect((await json<RecordPage>(call('GET', '/mappings?channel=facebook', tokens.supervisor))).items.every((i) => i.item.channel === 'facebook')).toBe(true);
    expect((await call('POST', '/mappings/sms-warje/disable', tokens.supervisor)).status).toBe(200);
    const off = await json<RecordPage>(call('GET', '/mappings?channel=sms&enabled=false', tokens.supervisor));
    expect(off.items.map((i) => i.item.id)).toEqual(['sms-warje']);
  });

  it('pages the ticket queue by status, with counts that match it, over HTTP', async () => {
    const bodies = ['कोथरूडमध्ये पथदिवे तीन दिवस बंद आहेत', 'कोथरूड में सड़क पर बड़ा गड्ढा है', 'Garbage not collected in Kothrud for four days'];
    await Promise.all(bodies.map((Body, i) => postSigned(bridge.hook, SMS_HOOK_PUBLIC, smsParams(9301 + i, { Body }))));
    await until('the three tickets', async () => (await bridge.app.store.listTickets()).filter((t) => bodies.some((b) => t.description.original.startsWith(b))).length === 3);
    const received = (await bridge.app.store.listTickets({ status: 'received' })).map((t) => t.ticketNo);
    expect(received.length).toBeGreaterThanOrEqual(3);
    const first = await json<TicketPage>(call('GET', '/tickets?status=received&limit=1', tokens.supervisor));
    expect(first).toMatchObject({ total: received.length, offset: 0, limit: 1, counts: { received: received.length } });
    const paged: string[] = [];
    for (let offset = 0; offset < received.length; offset += 2) paged.push(...(await json<TicketPage>(call('GET', `/tickets?status=received&limit=2&offset=${offset}`, tokens.supervisor))).items.map((t) => t.ticketNo));
    expect(paged).toEqual(received);
    expect(first.items.map((t) => t.ticketNo)).toEqual(received.slice(0, 1));
    // an officer's page is their ward's only, and its counts too
    const mine = (await bridge.app.store.listTickets({ status: 'received', ward: 'kothrud-bavdhan' })).map((t) => t.ticketNo);
    const officer = await json<TicketPage>(call('GET', '/tickets?status=received&limit=2', tokens.officer));
    expect(officer).toMatchObject({ total: mine.length, counts: { received: mine.length } });
    expect(officer.items.map((t) => t.ticketNo)).toEqual(mine.slice(0, 2));
    const unknown = await call('GET', '/tickets?status=lost', tokens.supervisor);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { problems: { field: string }[] }).problems[0]!.field).toBe('status');
  });

  it('lists dead letters a page at a time, by kind and channel, shows one, and retries one', async () => {
    type DeadPage = { items: { kind: string; id: number; channel?: string; error: string }[]; total: number; offset: number; limit: number };
    const store = bridge.app.store;
    // a reply Twilio refuses for good (a short code cannot be written to: 21211)
    const toShortCode = smsParams(9401, { From: '57575', Body: 'कोथरूडमध्ये पाणी गळती आहे' });
    await postSigned(bridge.hook, SMS_HOOK_PUBLIC, toShortCode);
    const smsDead = await until('the refused reply', async () => {
      const reply = await bridge.replyTo(toShortCode.MessageSid!);
      return reply?.state === 'dead' ? reply : undefined;
    });
    // a mail's acknowledgement, on a bridge without email: dead, the channel being off
    const mail = { channel: 'email' as const, accountId: 'takrar@pmc.example.org', externalId: '<dl-9402@mail.example.org>', threadKey: '<dl-9402@mail.example.org>', sender: { id: 'nagrik@example.org', email: 'nagrik@example.org' }, receivedAt: new Date().toISOString(), subject: 'बाणेर रस्त्यावर खड्डे', text: 'बाणेर रस्त्यावर मोठे खड्डे आहेत', attachments: [], raw: {} };
    await store.archiveInbound([mail]);
    const mailDead = await until('the mail’s dead reply', async () => (await store.listOutbox()).find((e) => e.message.inReplyTo === mail.externalId && e.state === 'dead'));
    // an inbound the pipeline gave up on: archived and marked dead in one turn of the event loop (SQLite writes at
    // the call; only its fsync is awaited), so no sweep takes it first
    const hindi = { channel: 'sms' as const, accountId: '+912066000000', externalId: 'SM-dead-9403', threadKey: '+919800009403', sender: { id: '+919800009403' }, receivedAt: new Date().toISOString(), text: 'हडपसर में पानी नहीं आ रहा', attachments: [], raw: { Body: 'हडपसर में पानी नहीं आ रहा' } };
    const archiving = store.archiveInbound([hindi]);
    const archived = (await store.getInboundBySource(hindi))!;
    await store.markInboundDead(archived.id, 'normalizer: could not read the message');
    await archiving;
    expect((await store.getInbound(archived.id))?.state).toBe('dead');

    const all = await json<DeadPage>(call('GET', '/dead-letters', tokens.supervisor));
    expect(all.total).toBe((await store.listDeadLetters()).length);
    expect(all.items).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'outbound', id: smsDead.id, channel: 'sms', error: expect.stringContaining('21211') }),
      expect.objectContaining({ kind: 'outbound', id: mailDead.id, channel: 'email' }),
      expect.objectContaining({ kind: 'inbound', id: archived.id, channel: 'sms', error: 'normalizer: could not read the message' }),
    ]));
    const page = await json<DeadPage>(call('GET', '/dead-letters?limit=1&offset=1', tokens.supervisor));
    expect(page).toMatchObject({ total: all.total, offset: 1, limit: 1, items: [all.items[1]] });
    const email = await json<DeadPage>(call('GET', '/dead-letters?channel=email', tokens.supervisor));
    expect(email.items.length).toBeGreaterThan(0);
    expect(email.items.every((d) => d.channel === 'email')).toBe(true);
    expect(email.items.map((d) => d.id)).toContain(mailDead.id);
    const inboundSms = await json<DeadPage>(call('GET', '/dead-letters?kind=inbound&channel=sms', tokens.supervisor));
    expect(inboundSms.items.map((d) => `${d.kind}/${d.id}`)).toEqual([`inbound/${archived.id}`]);
    for (const bad of ['kind=letter', 'channel=pigeon']) expect((await call('GET', `/dead-letters?${bad}`, tokens.supervisor)).status, bad).toBe(400);

    const one = await json<{ item: { id: number }; message: { text: string; raw?: unknown } }>(call('GET', `/dead-letters/inbound/${archived.id}`, tokens.supervisor));
    expect(one).toMatchObject({ item: { id: archived.id, channel: 'sms' }, message: { text: 'हडपसर में पानी नहीं आ रहा' } });
    expect(one.message.raw).toBeUndefined();
    expect((await json<{ message: { to: string } }>(call('GET', `/dead-letters/outbound/${smsDead.id}`, tokens.supervisor))).message.to).toBe('57575');
    expect((await call('GET', `/dead-letters/inbound/${archived.id}`, tokens.officer)).status).toBe(403);
    expect((await call('GET', '/dead-letters/outbound/999999', tokens.supervisor)).status).toBe(404);

    // tried again: sent to Twilio once more (and refused once more), audited
    const tries = () => fake.requests.filter((r) => r.method === 'POST' && r.form.To === '57575').length;
    const before = tries();
    expect((await call('POST', `/dead-letters/outbound/${smsDead.id}/retry`, tokens.supervisor)).status).toBe(202);
    await until('the retry to reach Twilio', () => tries() === before + 1);
    expect((await store.admin.listAudit({ kind: 'dead-letter', limit: 1 }))[0]).toMatchObject({ action: 'retry', recordId: `outbound/${smsDead.id}`, actor: expect.stringMatching(/^token:/) });
    expect((await call('POST', `/dead-letters/inbound/${archived.id}/retry`, tokens.officer)).status).toBe(403);
  });

  it('shows each channel and each account\'s health with what to do, to a supervisor only', async () => {
    const action = 'Make a new page access token in Meta Business Suite and set FACEBOOK_PAGE_TOKENS';
    bridge.app.health.unauthorised('facebook', '104729384756', 'Graph API 190: Error validating access token: Session has expired', action);
    const health = await json<{ channels: { channel: string; on: boolean }[]; accounts: { channel: string; accountId: string; state: string; action?: string }[] }>(call('GET', '/channels', tokens.supervisor));
    expect(health.channels).toContainEqual(expect.objectContaining({ channel: 'sms', on: true }));
    expect(health.accounts).toContainEqual(expect.objectContaining({ channel: 'facebook', accountId: '104729384756', state: 'unauthorised', action, authFailures: 1 }));
    expect((await call('GET', '/channels', tokens.officer)).status).toBe(403);
  });

  it('refuses to delete a department or ward office still in use, naming what uses it, and deletes it once nothing does', async () => {
    expect((await call('POST', '/departments', tokens.admin, { id: 'GARDEN-EAST', name: { en: 'Gardens (east)', mr: 'उद्यान विभाग (पूर्व)' } })).status).toBe(201);
    expect((await call('POST', '/rules', tokens.supervisor, { id: 'garden-east', name: 'उद्यान → पूर्व', order: 30, when: { keywords: ['उद्यान', 'bagicha', 'park bench'] }, then: { department: 'GARDEN-EAST' } })).status).toBe(201);
    expect((await call('POST', '/mappings', tokens.supervisor, { id: 'sms-garden', channel: 'sms', accountId: '+912066001401', department: 'GARDEN-EAST', defaultLanguage: 'mr', replyPolicy: 'one-shot' })).status).toBe(201);
    const refused = await call('DELETE', '/departments/GARDEN-EAST', tokens.admin);
    expect(refused.status).toBe(400);
    const [problem] = ((await refused.json()) as { problems: { field: string; message: string }[] }).problems;
    expect(problem).toMatchObject({ field: 'id', message: expect.stringMatching(/mapping sms-garden.*rule garden-east/) });
    expect(await bridge.app.store.admin.getRecord('department', 'GARDEN-EAST')).toBeDefined();
    // a ward office an officer works for
    const ward = await call('DELETE', '/wards/kothrud-bavdhan', tokens.admin);
    expect(ward.status).toBe(400);
    expect(((await ward.json()) as { problems: { message: string }[] }).problems[0]!.message).toContain('user sunita');

    expect((await call('DELETE', '/mappings/sms-garden', tokens.supervisor)).status).toBe(204);
    expect((await call('DELETE', '/rules/garden-east', tokens.supervisor)).status).toBe(204);
    expect((await call('DELETE', '/departments/GARDEN-EAST', tokens.admin)).status).toBe(204);
    expect(await bridge.app.store.admin.getRecord('department', 'GARDEN-EAST')).toBeUndefined();
    expect((await bridge.app.store.admin.listAudit({ kind: 'department', recordId: 'GARDEN-EAST', limit: 1 }))[0]).toMatchObject({ action: 'delete', before: { id: 'GARDEN-EAST' } });
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
