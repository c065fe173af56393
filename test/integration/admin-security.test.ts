// What the security review of the staff administration found, each tried as it was found: over HTTP against the
// admin (sign-in, API, pages) on a temp SQLite store, and through the service where only the CLI could reach it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminService } from '../../src/admin/admin-service.ts';
import type { Contact, Ticket } from '../../src/model/index.ts';
import { startAdminPagesServer, type AdminPagesServer } from '../support/admin-pages-server.ts';
import { addStaff, addToken, callApi, getPage, postForm, signIn, type Session } from '../support/admin-staff.ts';

type Problems = { error: string; problems?: { field: string; message: string }[] };
const fieldsOf = async (res: Response) => ((await res.json()) as Problems).problems?.map((p) => p.field) ?? [];

describe('the staff administration, after its security review', () => {
  let s: AdminPagesServer;
  const token: Record<'admin' | 'supervisor' | 'kothrud' | 'hadapsar', string> = { admin: '', supervisor: '', kothrud: '', hadapsar: '' };
  let supervisorPage: Session;
  let kothrudPage: Session;
  let contact: Contact;
  let serial = 0;
  const api = (method: string, path: string, who: keyof typeof token, body?: unknown, headers?: Record<string, string>) => callApi(s.base, method, path, token[who], body, headers);

  async function ticket(over: { ward?: string; department?: string; text?: string; thread?: string; at?: string } = {}): Promise<Ticket> {
    const externalId = `WC-${++serial}`;
    const at = over.at ?? new Date().toISOString();
    await s.store.archiveInbound([
      { channel: 'webchat', accountId: 'pmc-web', externalId, threadKey: over.thread ?? `conv-${serial}`, sender: { id: 'visitor-1' }, receivedAt: at, text: over.text ?? 'कचरा उचलला नाही', attachments: [], raw: {} },
    ]);
    const { ticket: made } = await s.store.createTicket({
      source: { channel: 'webchat', accountId: 'pmc-web', externalId },
      contact,
      language: 'mr',
      description: { original: over.text ?? 'कचरा उचलला नाही', normalized: over.text ?? 'कचरा उचलला नाही' },
      department: over.department ?? 'SWM',
      ward: over.ward ?? 'kothrud-bavdhan',
      attachments: [],
      slaDueAt: new Date(Date.now() + 72 * 3600_000).toISOString(),
      by: 'test',
    });
    return made;
  }

  const reply = (thread: string, text: string, createdAt: Date, ticketNo?: string) =>
    s.store.enqueueOutbound(
      [{ channel: 'webchat', accountId: 'pmc-web', threadKey: thread, to: 'visitor-1', text, language: 'mr', kind: ticketNo ? 'ack' : 'reply', ...(ticketNo ? { ticketNo } : {}), idempotencyKey: `${thread}-${text}` }],
      createdAt,
    );

  beforeAll(async () => {
    s = await startAdminPagesServer();
    await addStaff(s.store, [
      { id: 'asha', name: 'आशा कुलकर्णी', role: 'admin' },
      { id: 'bharati', name: 'भारती जाधव', role: 'admin' },
      { id: 'ravi', name: 'रवी देशमुख', role: 'supervisor' },
      { id: 'ganesh', name: 'गणेश जोशी', role: 'officer', wards: ['kothrud-bavdhan'] },
      { id: 'meera', name: 'मीरा शिंदे', role: 'officer', wards: ['hadapsar-mundhwa'] },
    ]);
    token.admin = (await addToken(s.store, 'asha')).secret;
    token.supervisor = (await addToken(s.store, 'ravi')).secret;
    token.kothrud = (await addToken(s.store, 'ganesh')).secret;
    token.hadapsar = (await addToken(s.store, 'meera')).secret;
    [supervisorPage, kothrudPage] = await Promise.all([signIn(s.base, 'ravi'), signIn(s.base, 'ganesh')]);
    contact = await s.store.upsertContact({ channel: 'webchat', channelUserId: 'visitor-1', name: 'राम' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('#2 shows on a ticket only its own replies: none naming another ticket, and unnamed ones only near its own messages', async () => {
    const thread = 'conv-shared';
    const t0 = new Date(Date.now() - 24 * 3600_000);
    const plus = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    const first = await ticket({ thread, text: 'कोथरूडमध्ये कचरा उचलला नाही', at: t0.toISOString() });
    const second = await ticket({ thread, ward: 'hadapsar-mundhwa', department: 'WATER', text: 'हडपसरमध्ये पाणी नाही', at: plus(180).toISOString() });
    await reply(thread, 'an old question, before this ticket', plus(-120));
    await reply(thread, 'Where is the garbage? Which lane?', plus(1));
    await reply(thread, `Complaint number: ${first.ticketNo}`, plus(2), first.ticketNo);
    await reply(thread, 'Where is there no water?', plus(181));
    await reply(thread, `Complaint number: ${second.ticketNo}. Department: Water Supply`, plus(182), second.ticketNo);
    await reply(thread, `Complaint ${second.ticketNo} has been resolved`, plus(300), second.ticketNo);

    const res = await api('GET', `/tickets/${first.ticketNo}`, 'kothrud');
    expect(res.status).toBe(200);
    const { conversation } = (await res.json()) as { conversation: { from: string; text: string }[] };
    expect(conversation.map((l) => l.text)).toEqual(['कोथरूडमध्ये कचरा उचलला नाही', 'Where is the garbage? Which lane?', `Complaint number: ${first.ticketNo}`]);
    expect(JSON.stringify(conversation)).not.toContain(second.ticketNo);

    const other = (await (await api('GET', `/tickets/${second.ticketNo}`, 'hadapsar')).json()) as { conversation: { text: string }[] };
    expect(other.conversation.map((l) => l.text)).toEqual([
      'हडपसरमध्ये पाणी नाही',
      'Where is there no water?',
      `Complaint number: ${second.ticketNo}. Department: Water Supply`,
      `Complaint ${second.ticketNo} has been resolved`,
    ]);
  });

  it('#3 lets a token’s name be changed and nothing else, so a revoked token stays revoked', async () => {
    const { secret, id } = await addToken(s.store, 'ganesh', 'kiosk');
    expect((await api('POST', `/tokens/${id}/disable`, 'admin')).status).toBe(200);
    for (const [field, value] of [['revokedAt', null], ['userId', 'asha'], ['hash', 'a'.repeat(64)], ['expiresAt', '2099-01-01T00:00:00.000Z'], ['id', id], ['createdAt', '2020-01-01T00:00:00.000Z']] as const) {
      const res = await api('PATCH', `/tokens/${id}`, 'admin', { [field]: value });
      expect(res.status, field).toBe(400);
      expect(await fieldsOf(res), field).toEqual([field]);
    }
    const renamed = await api('PATCH', `/tokens/${id}`, 'admin', { name: 'ward 5 kiosk (retired)' });
    expect(renamed.status).toBe(200);
    const stored = (await s.store.admin.getRecord('token', id))!.data as { userId: string; revokedAt?: string; name: string };
    expect(stored).toMatchObject({ userId: 'ganesh', name: 'ward 5 kiosk (retired)', revokedAt: expect.any(String) });
    // disabling again keeps the first revocation
    const revokedAt = stored.revokedAt;
    expect((await api('POST', `/tokens/${id}/disable`, 'admin')).status).toBe(200);
    expect(((await s.store.admin.getRecord('token', id))!.data as { revokedAt?: string }).revokedAt).toBe(revokedAt);
    expect((await callApi(s.base, 'GET', '/me', secret)).status).toBe(401);
    // a new token is made whole by the service: no id, hash or dates from the body
    const made = await api('POST', '/tokens', 'admin', { userId: 'ganesh', name: 'mine', id: 'chosen-id-1', hash: 'b'.repeat(64), revokedAt: undefined, createdAt: '2020-01-01T00:00:00.000Z' });
    expect(made.status).toBe(400);
    expect((await fieldsOf(made)).sort()).toEqual(['createdAt', 'hash', 'id']);
    expect(await s.store.admin.getRecord('token', 'chosen-id-1')).toBeUndefined();
  });

  it('#4 revokes every token of a user disabled or deleted, in the same change, audited, so a new user of that id gets none', async () => {
    await addStaff(s.store, [{ id: 'kiran', name: 'किरण', role: 'officer', wards: ['kothrud-bavdhan'] }]);
    const [a, b] = [await addToken(s.store, 'kiran', 'laptop'), await addToken(s.store, 'kiran', 'phone')];
    expect((await callApi(s.base, 'GET', '/me', a.secret)).status).toBe(200);
    expect((await api('POST', '/users/kiran/disable', 'admin')).status).toBe(200);
    const [disabled] = await s.store.admin.listAudit({ kind: 'user', recordId: 'kiran', limit: 1 });
    for (const t of [a, b]) {
      const [revoke] = await s.store.admin.listAudit({ kind: 'token', recordId: t.id, limit: 1 });
      expect(revoke).toMatchObject({ action: 'revoke', actor: disabled!.actor, at: disabled!.at });
      expect(((await s.store.admin.getRecord('token', t.id))!.data as { revokedAt?: string }).revokedAt).toBe(disabled!.at);
    }
    // enabled again: the tokens stay dead
    expect((await api('PATCH', '/users/kiran', 'admin', { enabled: true })).status).toBe(200);
    expect((await callApi(s.base, 'GET', '/me', a.secret)).status).toBe(401);

    const c = await addToken(s.store, 'kiran', 'tablet');
    expect((await api('DELETE', '/users/kiran', 'admin')).status).toBe(204);
    expect(((await s.store.admin.getRecord('token', c.id))!.data as { revokedAt?: string }).revokedAt).toEqual(expect.any(String));
    expect((await s.store.admin.listAudit({ kind: 'token', recordId: c.id, limit: 1 }))[0]).toMatchObject({ action: 'revoke' });
    expect((await api('POST', '/users', 'admin', { id: 'kiran', name: 'A different person', role: 'admin' })).status).toBe(201);
    for (const t of [a, b, c]) expect((await callApi(s.base, 'GET', '/me', t.secret)).status).toBe(401);
  });

  it('#6 refuses a mapping’s SLA hours beyond a year, naming the field', async () => {
    const mapping = { id: 'sms-sla', channel: 'sms', accountId: '+912066001111', department: 'WATER', defaultLanguage: 'mr', replyPolicy: 'conversational' };
    for (const slaHours of [1e300, 24 * 365 + 1]) {
      const res = await api('POST', '/mappings', 'supervisor', { ...mapping, slaHours });
      expect(res.status).toBe(400);
      expect(await fieldsOf(res)).toEqual(['slaHours']);
    }
    expect((await api('POST', '/mappings', 'supervisor', { ...mapping, slaHours: 24 * 365 })).status).toBe(201);
  });

  it('#7 refuses __proto__, constructor and prototype in a body, naming them, and never merges into a prototype', async () => {
    const rule = { id: 'proto-rule', name: 'कचरा', order: 5000, when: { keywords: ['कचरा'] }, then: { priority: 'urgent' } };
    expect((await api('POST', '/rules', 'supervisor', rule)).status).toBe(201);
    const poisoned = await api('PATCH', '/rules/proto-rule', 'supervisor', '{"name":null,"then":null,"__proto__":{"name":"from-proto","then":{"department":"WATER"}}}');
    expect(poisoned.status).toBe(400);
    expect(await fieldsOf(poisoned)).toContain('__proto__');
    const nested = await api('PATCH', '/rules/proto-rule', 'supervisor', '{"when":{"keywords":["x"],"constructor":{"prototype":{"pattern":"x"}}}}');
    expect(nested.status).toBe(400);
    expect(await fieldsOf(nested)).toEqual(['when.constructor']);
    const created = await api('POST', '/rules', 'supervisor', `{"id":"proto-2","name":"x","order":5001,"when":{},"then":{"priority":"urgent"},"prototype":{}}`);
    expect(created.status).toBe(400);
    expect(await fieldsOf(created)).toContain('prototype');
    expect((await s.store.admin.getRecord('rule', 'proto-rule'))!).toMatchObject({ version: 1, data: rule });
    expect(({} as Record<string, unknown>).name).toBeUndefined();
  });

  it('#8 refuses a mapping’s unknown fields and ids unlike a rule’s, naming them', async () => {
    const mapping = { id: 'sms-strict', channel: 'sms', accountId: '+912066002222', department: 'WATER', defaultLanguage: 'mr', replyPolicy: 'conversational' };
    const typo = await api('POST', '/mappings', 'supervisor', { ...mapping, defaultLang: 'en' });
    expect(typo.status).toBe(400);
    expect(await fieldsOf(typo)).toEqual(['defaultLang']);
    for (const id of ['<script>alert(1)</script>"\'x', 'x'.repeat(65), 'tab\there']) {
      const res = await api('POST', '/mappings', 'supervisor', { ...mapping, id });
      expect(res.status, id).toBe(400);
      expect(await fieldsOf(res)).toEqual(['id']);
    }
    const long = await api('POST', '/mappings', 'supervisor', { ...mapping, channel: 'facebook', accountId: '1'.repeat(5000) });
    expect(await fieldsOf(long)).toEqual(['accountId']);
    expect((await api('POST', '/mappings', 'supervisor', mapping)).status).toBe(201);
    const patched = await api('PATCH', '/mappings/sms-strict', 'supervisor', { defaultLang: 'en', officehours: { days: [1], from: '09:00', to: '17:00' } });
    expect(patched.status).toBe(400);
    expect((await fieldsOf(patched)).sort()).toEqual(['defaultLang', 'officehours']);
    expect((await s.store.admin.getRecord('mapping', 'sms-strict'))!.version).toBe(1);
  });

  it('#10 shows a supervisor no audit entries of users and tokens, in the API and on the audit page; an admin sees them', async () => {
    const kinds = async (who: 'admin' | 'supervisor', q = '') => ((await (await api('GET', `/audit?${q || 'limit=500'}`, who)).json()) as { items: { kind: string }[] }).items.map((a) => a.kind);
    expect(await kinds('admin')).toEqual(expect.arrayContaining(['user', 'token']));
    const seen = await kinds('supervisor');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((k) => k === 'user' || k === 'token')).toEqual([]);
    expect(await kinds('supervisor', 'kind=user')).toEqual([]);
    expect(await kinds('supervisor', 'kind=token')).toEqual([]);
    // a page is filled past the hidden entries: the newest are a user's and a token's
    await addToken(s.store, 'ravi', 'another');
    await addStaff(s.store, [{ id: 'nilesh', name: 'नीलेश', role: 'supervisor' }]);
    expect(await kinds('admin', 'limit=2')).toEqual(['user', 'token']);
    expect(await kinds('supervisor', 'limit=2')).toEqual(['mapping', 'rule']);

    for (const path of ['/admin/audit', '/admin/audit?kind=user', '/admin/audit?kind=token']) {
      const page = await (await getPage(s.base, path, supervisorPage)).text();
      expect(page, path).not.toMatch(/<option value="(user|token)"/);
      expect(page, path).not.toMatch(/(create|update|disable|delete|revoke) (user|token) <b>/);
    }
    const admin = await signIn(s.base, 'bharati');
    expect(await (await getPage(s.base, '/admin/audit?kind=user', admin)).text()).toMatch(/create user <b>asha<\/b>/);
  });

  it('#11 refuses an admin disabling, deleting or demoting themself, and the last enabled admin being switched off', async () => {
    await addStaff(s.store, [{ id: 'tanvi', name: 'तन्वी', role: 'admin' }]);
    const tanvi = (await addToken(s.store, 'tanvi')).secret;
    const self = async (method: string, path: string, body: unknown, field: string) => {
      const res = await callApi(s.base, method, path, tanvi, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(await fieldsOf(res)).toEqual([field]);
    };
    await self('POST', '/users/tanvi/disable', undefined, 'enabled');
    await self('DELETE', '/users/tanvi', undefined, 'id');
    await self('PATCH', '/users/tanvi', { role: 'officer', wards: ['kothrud-bavdhan'] }, 'role');
    await self('PATCH', '/users/tanvi', { enabled: false }, 'enabled');
    expect((await s.store.admin.getRecord('user', 'tanvi'))!.data).toMatchObject({ role: 'admin', enabled: true });
    expect((await callApi(s.base, 'GET', '/me', tanvi)).status).toBe(200);

    // the CLI's operator is no user: what stops them is the last admin
    const service = new AdminService({ store: s.store, categories: [] });
    const cli = { role: 'admin' as const, ref: 'cli:operator' };
    const admins = (await s.store.admin.listRecords('user')).map((r) => r.data as { id: string; role: string; enabled: boolean }).filter((u) => u.role === 'admin' && u.enabled && u.id !== 'tanvi');
    expect(admins.map((u) => u.id)).toEqual(expect.arrayContaining(['asha', 'bharati']));
    for (const other of admins) await service.disable('user', other.id, cli);
    await expect(service.disable('user', 'tanvi', cli)).rejects.toMatchObject({ status: 400, problems: [{ field: 'enabled' }] });
    await expect(service.remove('user', 'tanvi', cli)).rejects.toMatchObject({ status: 400, problems: [{ field: 'id' }] });
    await expect(service.update('user', 'tanvi', { role: 'supervisor' }, cli)).rejects.toMatchObject({ status: 400, problems: [{ field: 'role' }] });
    await expect(service.update('user', 'tanvi', { enabled: false }, cli)).rejects.toMatchObject({ status: 400, problems: [{ field: 'enabled' }] });
    // with another admin there is, it may go
    await service.update('user', 'asha', { enabled: true }, cli);
    expect((await service.update('user', 'tanvi', { role: 'supervisor' }, cli)).item).toMatchObject({ role: 'supervisor' });
    for (const other of admins.filter((u) => u.id !== 'asha')) await service.update('user', other.id, { enabled: true }, cli);
    // disabling revoked their tokens: a new one for the tests after
    token.admin = (await addToken(s.store, 'asha')).secret;
  });

  it('#12 never takes a password hash from a body; only a password sets it', async () => {
    await addStaff(s.store, [{ id: 'omkar', name: 'ओंकार', role: 'officer', wards: ['kothrud-bavdhan'] }]);
    const session = await signIn(s.base, 'omkar');
    const hash = ((await s.store.admin.getRecord('user', 'omkar'))!.data as { passwordHash: string }).passwordHash;
    for (const passwordHash of [null, 'not-a-hash']) {
      const res = await api('PATCH', '/users/omkar', 'admin', { passwordHash });
      expect(res.status).toBe(400);
      expect(await fieldsOf(res)).toEqual(['passwordHash']);
    }
    const created = await api('POST', '/users', 'admin', { id: 'hashed', name: 'x', role: 'supervisor', passwordHash: hash });
    expect(created.status).toBe(400);
    expect(await fieldsOf(created)).toEqual(['passwordHash']);
    expect(((await s.store.admin.getRecord('user', 'omkar'))!.data as { passwordHash: string }).passwordHash).toBe(hash);
    expect((await getPage(s.base, '/admin/tickets', session)).status).toBe(200);
    // a new password ends the sessions
    expect((await api('PATCH', '/users/omkar', 'admin', { password: 'नवीन-पासवर्ड-२०२६' })).status).toBe(200);
    expect((await getPage(s.base, '/admin/tickets', session)).status).toBe(303);
  });

  it('#15 shows no flash message for a prototype key in the address', async () => {
    const page = await (await getPage(s.base, '/admin/tickets?ok=constructor&error=__proto__', kothrudPage)).text();
    expect(page).not.toContain('class="flash');
    expect(page).not.toContain('function Object');
    expect(page).not.toContain('[object Object]');
    expect(await (await getPage(s.base, '/admin/tickets?ok=saved', kothrudPage)).text()).toContain('class="flash ok"');
  });

  it('#16 answers every /admin/api request with cache-control: no-store', async () => {
    const answers = [
      await api('GET', '/me', 'kothrud'),
      await callApi(s.base, 'GET', '/me', undefined),
      await callApi(s.base, 'GET', '/openapi.json', undefined),
      await api('GET', '/mappings', 'kothrud'),
      await api('POST', '/mappings', 'supervisor', { id: 'x' }),
      await api('GET', '/no-such-list', 'admin'),
      await api('GET', '/a/b/c/d', 'admin'),
      await api('GET', '/tickets', 'kothrud'),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 401, 200, 403, 400, 404, 404, 200]);
    for (const r of answers) expect(r.headers.get('cache-control'), r.url).toBe('no-store');
  });

  it('#17 refuses to forward a ticket to a disabled department or ward office, naming the field', async () => {
    const t = await ticket();
    await s.store.admin.saveRecords(
      [
        { kind: 'department', id: 'GARDEN', data: { id: 'GARDEN', name: { en: 'Garden', mr: 'उद्यान विभाग' }, enabled: false }, action: 'create' },
        { kind: 'ward', id: 'old-ward', data: { id: 'old-ward', name: { en: 'Old ward', mr: 'जुने कार्यालय' }, enabled: false }, action: 'create' },
      ],
      'test',
      new Date(),
    );
    const dept = await api('PATCH', `/tickets/${t.ticketNo}`, 'kothrud', { department: 'GARDEN', note: 'उद्यानाकडे' });
    expect(dept.status).toBe(400);
    expect(await fieldsOf(dept)).toEqual(['department']);
    const ward = await postForm(s.base, `/admin/tickets/${t.ticketNo}/forward`, { _csrf: kothrudPage.csrf, department: 'SWM', ward: 'old-ward', note: 'जुन्या कार्यालयाकडे' }, kothrudPage);
    expect(ward.status).toBe(400);
    expect(await ward.text()).toMatch(/ward: ward &#34;old-ward&#34; is disabled/);
    expect((await s.store.getTicket(t.ticketNo))!).toMatchObject({ status: 'received', department: 'SWM', ward: 'kothrud-bavdhan' });
    // the ticket's own department, disabled since, may stay while the ward office changes
    await s.store.admin.saveRecords([{ kind: 'department', id: 'SWM', data: { id: 'SWM', name: { en: 'Solid Waste Management', mr: 'घनकचरा व्यवस्थापन विभाग' }, enabled: false }, action: 'disable' }], 'test', new Date());
    try {
      const moved = await api('PATCH', `/tickets/${t.ticketNo}`, 'supervisor', { department: 'SWM', ward: 'hadapsar-mundhwa', note: 'हडपसर कार्यालयाकडे' });
      expect(moved.status).toBe(200);
    } finally {
      await s.store.admin.saveRecords([{ kind: 'department', id: 'SWM', data: { id: 'SWM', name: { en: 'Solid Waste Management', mr: 'घनकचरा व्यवस्थापन विभाग' }, enabled: true }, action: 'update' }], 'test', new Date());
    }
  });

  it('#21 needs a note for every status change and every forward by staff, in the API and on the page', async () => {
    const t = await ticket();
    for (const body of [{ status: 'in_progress' }, { status: 'in_progress', note: '  ' }, { department: 'WATER' }, { ward: 'hadapsar-mundhwa' }]) {
      const res = await api('PATCH', `/tickets/${t.ticketNo}`, 'kothrud', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await fieldsOf(res)).toEqual(['note']);
    }
    const page = await postForm(s.base, `/admin/tickets/${t.ticketNo}/status`, { _csrf: kothrudPage.csrf, status: 'in_progress', note: '' }, kothrudPage);
    expect(page.status).toBe(400);
    expect(await page.text()).toMatch(/<p class="problem" id="f-note-problem">note: /);
    const forward = await postForm(s.base, `/admin/tickets/${t.ticketNo}/forward`, { _csrf: kothrudPage.csrf, department: 'WATER', ward: 'kothrud-bavdhan', note: '' }, kothrudPage);
    expect(forward.status).toBe(400);
    expect((await s.store.getTicket(t.ticketNo))!.history).toHaveLength(1);
    const ok = await postForm(s.base, `/admin/tickets/${t.ticketNo}/status`, { _csrf: kothrudPage.csrf, status: 'in_progress', note: 'कर्मचारी पाठवले' }, kothrudPage);
    expect(ok.status).toBe(303);
    expect((await s.store.getTicket(t.ticketNo))!.history.at(-1)).toMatchObject({ to: 'in_progress', note: 'कर्मचारी पाठवले', by: 'user:ganesh' });
  });

  it('refuses "forwarded" as a status alone from in progress and from forwarded, and the status form does not offer it', async () => {
    const t = await ticket();
    const form = async () => {
      const page = await (await getPage(s.base, `/admin/tickets/${t.ticketNo}`, kothrudPage)).text();
      const select = /<form method="post" action="[^"]*\/status">[\s\S]*?<select[^>]*name="status"[^>]*>([\s\S]*?)<\/select>/.exec(page)?.[1] ?? '';
      return [...select.matchAll(/<option value="([^"]*)"( selected)?>/g)].map((m) => `${m[1]}${m[2] ? '*' : ''}`);
    };
    expect(await form()).toEqual(['*', 'in_progress', 'resolved', 'rejected']);
    expect(await (await getPage(s.base, `/admin/tickets/${t.ticketNo}?lang=en`, kothrudPage)).text()).toContain('<option value="" selected>Choose…</option>');
    expect(await (await getPage(s.base, `/admin/tickets/${t.ticketNo}?lang=mr`, kothrudPage)).text()).toContain('<option value="" selected>निवडा…</option>');
    // no status chosen: refused by field
    const none = await postForm(s.base, `/admin/tickets/${t.ticketNo}/status`, { _csrf: kothrudPage.csrf, status: '', note: 'x' }, kothrudPage);
    expect(none.status).toBe(400);

    expect((await api('PATCH', `/tickets/${t.ticketNo}`, 'kothrud', { status: 'in_progress', note: 'कर्मचारी पाठवले' })).status).toBe(200);
    const back = await api('PATCH', `/tickets/${t.ticketNo}`, 'kothrud', { status: 'forwarded', note: 'पुढे पाठवले' });
    expect(back.status).toBe(409);
    expect(((await back.json()) as Problems).error).toContain('cannot move from in_progress to forwarded');
    expect((await s.store.getTicket(t.ticketNo))!.status).toBe('in_progress');
    // a real forward still goes, and from forwarded only a forward to somewhere does
    expect((await api('PATCH', `/tickets/${t.ticketNo}`, 'kothrud', { department: 'WATER', note: 'पाणीपुरवठ्याकडे' })).status).toBe(200);
    expect((await api('PATCH', `/tickets/${t.ticketNo}`, 'supervisor', { status: 'forwarded', note: 'पुन्हा' })).status).toBe(409);
    expect((await api('PATCH', `/tickets/${t.ticketNo}`, 'supervisor', { ward: 'hadapsar-mundhwa', note: 'हडपसरकडे' })).status).toBe(200);
    expect((await s.store.getTicket(t.ticketNo))!).toMatchObject({ status: 'forwarded', department: 'WATER', ward: 'hadapsar-mundhwa' });
    // received → forwarded as a status stays possible (nothing to go back to)
    const fresh = await ticket();
    expect((await api('PATCH', `/tickets/${fresh.ticketNo}`, 'kothrud', { status: 'forwarded', note: 'विभागाकडे' })).status).toBe(200);
  });
});
