import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCalendar } from '../../src/config/calendar.ts';
import { ChannelMapping, type RoutingRule, type Ticket } from '../../src/model/index.ts';
import { compileRouting, routeComplaint } from '../../src/router/route.ts';
import type { TicketDraft } from '../../src/store/store.ts';
import { startAdminPagesServer, type AdminPagesServer } from '../support/admin-pages-server.ts';
import { ROOT } from '../support/bridge-process.ts';
import { addStaff, getPage, postForm, signIn, type Session } from '../support/admin-staff.ts';

// what a citizen may type: it must reach the officer as text, never as markup
const EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)> कचरा उचलला नाही';

const mapping = (over: Record<string, string> = {}) => ({
  id: 'sms-hadapsar',
  channel: 'sms',
  accountId: '+912066009999',
  department: 'WATER',
  ward: 'hadapsar-mundhwa',
  defaultLanguage: 'mr',
  replyPolicy: 'one-shot',
  slaHours: '48',
  enabled: 'on',
  ...over,
});

describe('the web admin pages (plain HTTP)', () => {
  let s: AdminPagesServer;
  let officer: Session;
  let supervisor: Session;

  beforeAll(async () => {
    s = await startAdminPagesServer();
    await addStaff(s.store, [
      { id: 'ganesh', name: 'गणेश जोशी', role: 'officer', wards: ['kothrud-bavdhan'] },
      { id: 'sunita', name: 'सुनीता पाटील', role: 'supervisor' },
    ]);
    [officer, supervisor] = await Promise.all([signIn(s.base, 'ganesh'), signIn(s.base, 'sunita')]);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('send a visitor who is not signed in to the sign-in page, and back after', async () => {
    const root = await getPage(s.base, '/admin');
    expect(root.status).toBe(303);
    expect(root.headers.get('location')).toBe('/admin/tickets');
    for (const path of ['/admin/tickets', '/admin/tickets/PMC10001', '/admin/mappings', '/admin/audit?kind=rule']) {
      const res = await getPage(s.base, path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe(`/admin/login?${new URLSearchParams({ next: path }).toString()}`);
    }
    const post = await postForm(s.base, '/admin/mappings', mapping());
    expect(post.status).toBe(303);
    expect(post.headers.get('location')).toBe('/admin/login?next=%2Fadmin');
    expect(await s.store.admin.getRecord('mapping', 'sms-hadapsar')).toBeUndefined();
  });

  it('refuse an officer the mappings with a 403 page, and show them only what they may open', async () => {
    const res = await getPage(s.base, '/admin/mappings', officer);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await res.text();
    expect(page).toContain('या पानासाठी आपल्याला परवानगी नाही.');
    expect(page).not.toContain('href="/admin/mappings"');
    expect(page).toContain('href="/admin/tickets"');

    const en = await getPage(s.base, '/admin/mappings?lang=en', officer);
    expect(en.status).toBe(403);
    expect(await en.text()).toContain('You do not have access to this page.');
    expect(en.headers.getSetCookie()).toEqual(['pmc_lang=en; HttpOnly; SameSite=Strict; Path=/admin; Max-Age=31536000']);
    // the remembered language, without asking again
    const queue = await fetch(`${s.base}/admin/tickets`, { headers: { cookie: `${officer.cookie}; pmc_lang=en` } });
    expect(await queue.text()).toContain('<html lang="en">');

    const supervisorPage = await (await getPage(s.base, '/admin/tickets', supervisor)).text();
    for (const link of ['/admin/mappings', '/admin/rules', '/admin/sla', '/admin/texts', '/admin/channels', '/admin/dead-letters', '/admin/audit']) expect(supervisorPage).toContain(`href="${link}"`);
    expect(supervisorPage).not.toContain('href="/admin/users"');
    expect((await getPage(s.base, '/admin/users', supervisor)).status).toBe(403);
  });

  it('refuse a form posted without the session’s CSRF token, and save nothing', async () => {
    const without = await postForm(s.base, '/admin/mappings', mapping(), supervisor);
    expect(without.status).toBe(403);
    expect(await without.text()).toContain('पान जुने झाले होते');
    const wrong = await postForm(s.base, '/admin/mappings', { ...mapping(), _csrf: 'A'.repeat(43) }, supervisor);
    expect(wrong.status).toBe(403);
    expect(await s.store.admin.getRecord('mapping', 'sms-hadapsar')).toBeUndefined();

    const right = await postForm(s.base, '/admin/mappings', { ...mapping(), _csrf: supervisor.csrf }, supervisor);
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/admin/mappings?ok=saved');
    expect((await s.store.admin.getRecord('mapping', 'sms-hadapsar'))?.data).toEqual({
      id: 'sms-hadapsar', channel: 'sms', accountId: '+912066009999', department: 'WATER', ward: 'hadapsar-mundhwa', defaultLanguage: 'mr', replyPolicy: 'one-shot', slaHours: 48, enabled: true,
    });
    expect((await s.store.admin.listAudit({ kind: 'mapping', limit: 1 }))[0]).toMatchObject({ actor: 'user:sunita', action: 'create', recordId: 'sms-hadapsar' });
    expect(await (await getPage(s.base, '/admin/mappings?ok=saved', supervisor)).text()).toContain('जतन झाले.');
  });

  it('show a mapping’s unknown department beside its field, keeping what was typed', async () => {
    const res = await postForm(s.base, '/admin/mappings', { ...mapping({ id: 'sms-nope', accountId: '+912066008888', department: 'NOPE' }), _csrf: supervisor.csrf }, supervisor);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toMatch(/<p class="problem" id="f-department-problem">department: no department &#34;NOPE&#34;/);
    expect(page).toMatch(/<select id="f-department" name="department" aria-describedby="f-department-problem" aria-invalid="true">/);
    expect(page).toContain('<option value="NOPE" selected>NOPE</option>');
    expect(page).toContain('value="+912066008888"');
    expect(page).toContain('value="sms-nope"');
    expect(await s.store.admin.getRecord('mapping', 'sms-nope')).toBeUndefined();
  });

  it('show a citizen’s HTML as text on the ticket page, under a CSP that runs no script', async () => {
    const contact = await s.store.upsertContact({ channel: 'sms', channelUserId: '+919800000001', phone: '+919800000001', name: '<b onmouseover=alert(2)>राम</b>' });
    const { ticket } = await s.store.createTicket({
      source: { channel: 'sms', accountId: '+912066000000', externalId: 'SM-evil-1' },
      contact,
      language: 'mr',
      description: { original: EVIL, normalized: EVIL },
      category: 'garbage',
      department: 'SWM',
      ward: 'kothrud-bavdhan',
      location: { lat: 18.5074, lon: 73.8077, label: '"><script>alert(3)</script>' },
      attachments: [{ kind: 'image', url: 'javascript:alert(4)' }, { kind: 'image', url: 'https://example.test/a.jpg?x="y"' }],
      slaDueAt: '2026-03-03T12:30:00.000Z',
      by: 'test',
    });
    for (const who of [officer, supervisor]) {
      const res = await getPage(s.base, `/admin/tickets/${ticket.ticketNo}`, who);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      const page = await res.text();
      expect(page).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#60;img src=x onerror=alert(1)&#62; कचरा उचलला नाही');
      expect(page).toContain('&#60;b onmouseover=alert(2)&#62;राम&#60;/b&#62;');
      expect(page).not.toMatch(/<script|<img|<b on|javascript:/i);
      expect(page).toContain('href="https://example.test/a.jpg?x=&#34;y&#34;"');
      expect(page).toContain('href="https://www.openstreetmap.org/?mlat=18.5074&amp;mlon=73.8077#map=18/18.5074/73.8077"'.replace('&amp;', '&#38;'));
      expect(page).toContain('३ मार्च २०२६, सायं. ६:०० भा.प्र.वे.');
    }
    // the queue lists it, and an officer of another ward office would not find it
    expect(await (await getPage(s.base, '/admin/tickets', officer)).text()).toContain(`href="/admin/tickets/${ticket.ticketNo}"`);
  });

  it('save a reply text only with the placeholders it needs, showing the problem beside the text', async () => {
    const page = await (await getPage(s.base, '/admin/texts', supervisor)).text();
    expect(page).toContain('आपली तक्रार नोंदवली आहे. तक्रार क्रमांक: {ticketNo}.');
    expect(page).toContain('href="/admin/texts?edit=mr.filed#add"');

    const missing = await postForm(s.base, '/admin/texts', { lang: 'mr', key: 'filed', text: 'आपली तक्रार नोंदवली आहे.', _csrf: supervisor.csrf }, supervisor);
    expect(missing.status).toBe(400);
    const refused = await missing.text();
    expect(refused).toMatch(/<p class="problem" id="f-text-problem">text: filed: must contain \{ticketNo\}<\/p>/);
    expect(refused).toContain('>आपली तक्रार नोंदवली आहे.</textarea>');
    expect(await s.store.admin.getRecord('text', 'mr.filed')).toBeUndefined();

    const text = 'आपली तक्रार {ticketNo} नोंदवली आहे; {dueDate} पर्यंत काम होईल.';
    for (const version of [1, 2]) {
      const saved = await postForm(s.base, '/admin/texts', { lang: 'mr', key: 'filed', text, _csrf: supervisor.csrf }, supervisor);
      expect(saved.headers.get('location')).toBe('/admin/texts?ok=saved');
      expect(await s.store.admin.getRecord('text', 'mr.filed')).toMatchObject({ version, data: { id: 'mr.filed', lang: 'mr', key: 'filed', text } });
    }
    const deleted = await postForm(s.base, '/admin/texts/mr.filed/delete', { _csrf: supervisor.csrf }, supervisor);
    expect(deleted.headers.get('location')).toBe('/admin/texts?ok=deleted');
    expect(await s.store.admin.getRecord('text', 'mr.filed')).toBeUndefined();
  });

  it('turn a rule’s form into the rule, and edit it on the version it was read at', async () => {
    const res = await postForm(s.base, '/admin/rules', {
      _csrf: supervisor.csrf,
      id: 'kothrud-potholes',
      name: 'कोथरूडमधील खड्डे तातडीचे',
      order: '50',
      'when.categories': 'roads',
      'when.wards': 'kothrud-bavdhan',
      'when.pinCodes': '411038, 411029',
      'when.keywords': 'खड्डा\r\n\r\npothole \r\n',
      'then.priority': 'urgent',
      enabled: 'on',
    }, supervisor);
    expect(res.headers.get('location')).toBe('/admin/rules?ok=saved');
    expect((await s.store.admin.getRecord('rule', 'kothrud-potholes'))?.data).toEqual({
      id: 'kothrud-potholes', name: 'कोथरूडमधील खड्डे तातडीचे', order: 50, enabled: true,
      when: { categories: ['roads'], wards: ['kothrud-bavdhan'], pinCodes: ['411038', '411029'], keywords: ['खड्डा', 'pothole'] },
      then: { priority: 'urgent' },
    });
    const edit = await (await getPage(s.base, '/admin/rules/kothrud-potholes', supervisor)).text();
    expect(edit).toContain('<input type="hidden" name="_version" value="1">');
    expect(edit).toContain('<textarea id="f-when-keywords" name="when.keywords" aria-describedby="f-when-keywords-hint" rows="5">खड्डा\npothole</textarea>');

    const changed = { _csrf: supervisor.csrf, _version: '1', name: 'खड्डे', order: '60', 'when.keywords': 'खड्डा', 'then.department': 'NOPE', 'then.priority': 'urgent' };
    const wrong = await postForm(s.base, '/admin/rules/kothrud-potholes', changed, supervisor);
    expect(wrong.status).toBe(400);
    const refused = await wrong.text();
    expect(refused).toMatch(/id="f-then-department-problem">then.department: no department &#34;NOPE&#34;/);
    expect(refused).toContain('<input type="hidden" name="_version" value="1">');
    const ok = await postForm(s.base, '/admin/rules/kothrud-potholes', { ...changed, 'then.department': 'SWM' }, supervisor);
    expect(ok.headers.get('location')).toBe('/admin/rules?ok=saved');
    expect(await s.store.admin.getRecord('rule', 'kothrud-potholes')).toMatchObject({
      version: 2,
      data: { name: 'खड्डे', order: 60, enabled: false, when: { keywords: ['खड्डा'] }, then: { department: 'SWM', priority: 'urgent' } },
    });
    const stale = await postForm(s.base, '/admin/rules/kothrud-potholes', { ...changed, 'then.department': 'SWM', name: 'जुनी प्रत' }, supervisor);
    expect(stale.status).toBe(409);
    const conflict = await stale.text();
    expect(conflict).toContain('दरम्यान कोणीतरी बदल केला');
    // the record as it is now, at its new version, to edit again
    expect(conflict).toContain('<input type="hidden" name="_version" value="2">');
    expect(conflict).toContain('value="खड्डे"');
    expect((await s.store.admin.getRecord('rule', 'kothrud-potholes'))?.data).toMatchObject({ name: 'खड्डे' });
  });

  it('retry a dead letter from its button, audited, and only for a supervisor', async () => {
    const [archived] = await s.store.archiveInbound([
      { channel: 'sms', accountId: '+912066000000', externalId: 'SM-dead-1', threadKey: '+919800000002', sender: { id: '+919800000002' }, receivedAt: new Date().toISOString(), text: 'पाणी नाही', attachments: [], raw: {} },
    ]);
    await s.store.markInboundDead(archived!.id, 'the normalizer gave up');
    const list = await (await getPage(s.base, '/admin/dead-letters', supervisor)).text();
    expect(list).toContain(`action="/admin/dead-letters/inbound/${archived!.id}/retry"`);
    expect(list).toContain('the normalizer gave up');

    const byOfficer = await postForm(s.base, `/admin/dead-letters/inbound/${archived!.id}/retry`, { _csrf: officer.csrf }, officer);
    expect(byOfficer.status).toBe(403);
    const retried = await postForm(s.base, `/admin/dead-letters/inbound/${archived!.id}/retry`, { _csrf: supervisor.csrf }, supervisor);
    expect(retried.headers.get('location')).toBe('/admin/dead-letters?ok=retried');
    expect((await s.store.listDeadLetters()).filter((d) => d.kind === 'inbound' && d.id === archived!.id)).toEqual([]);
    expect((await s.store.admin.listAudit({ kind: 'dead-letter', limit: 1 }))[0]).toMatchObject({ actor: 'user:sunita', action: 'retry', recordId: `inbound/${archived!.id}` });
    expect(s.retries).toBe(1);
    const again = await postForm(s.base, `/admin/dead-letters/inbound/${archived!.id}/retry`, { _csrf: supervisor.csrf }, supervisor);
    expect(again.headers.get('location')).toBe('/admin/dead-letters?error=gone');
  });

  /** a complaint filed in `ward`, as the pipeline files it; `routing` as the router explained it */
  let seq = 0;
  async function file(text: string, ward: string, over: Partial<TicketDraft> = {}): Promise<Ticket> {
    seq++;
    const phone = `+9198000${String(seq).padStart(5, '0')}`;
    const contact = await s.store.upsertContact({ channel: 'sms', channelUserId: phone, phone });
    const { ticket } = await s.store.createTicket({
      source: { channel: 'sms', accountId: '+912066009999', externalId: `SM-page-${seq}` },
      contact, language: 'mr', description: { original: text, normalized: text }, department: 'WATER', ward, attachments: [],
      slaDueAt: new Date(Date.now() + 72 * 3_600_000).toISOString(), by: 'sms:sms-hadapsar', ...over,
    });
    return ticket;
  }

  it('show on the ticket page which mapping and which rules routed it, and how its due date was counted, in Marathi and English', async () => {
    const rules: RoutingRule[] = [
      { id: 'hadapsar-water', name: 'हडपसरचे पाणी: पाणीपुरवठा', order: 10, when: { wards: ['hadapsar-mundhwa'], categories: ['water-supply'] }, then: { department: 'WATER' }, enabled: true },
      { id: 'leak-urgent', name: 'गळती: तातडीचे', order: 20, when: { keywords: ['गळती', 'leak'] }, then: { priority: 'urgent' }, enabled: true },
    ];
    const hadapsar = ChannelMapping.parse({ id: 'sms-hadapsar', channel: 'sms', accountId: '+912066009999', department: 'WATER', ward: 'hadapsar-mundhwa', defaultLanguage: 'mr', replyPolicy: 'one-shot', slaHours: 48 });
    // Wednesday 18 March 2026: Gudhi Padwa, Ramzan-Id and the Sunday are skipped
    const route = routeComplaint(compileRouting({ rules, slas: [{ id: 'water-3d', category: 'water-supply', workingDays: 3, enabled: true }], calendar: loadCalendar(join(ROOT, 'config', 'holidays.yaml')) }), hadapsar, {
      channel: 'sms', accountId: hadapsar.accountId, receivedAt: new Date('2026-03-18T10:00:00+05:30'), text: 'हडपसरमध्ये जलवाहिनीला गळती आहे', category: 'water-supply',
    });
    const ticket = await file('हडपसरमध्ये जलवाहिनीला गळती आहे', route.ward!, { category: 'water-supply', department: route.department, priority: route.priority, slaDueAt: route.slaDueAt, routing: route.routing });
    const items = async (query: string) => {
      const page = await (await getPage(s.base, `/admin/tickets/${ticket.ticketNo}${query}`, supervisor)).text();
      const section = /<h2>[^<]*<\/h2><ul>(.*?)<\/ul><\/section>/su.exec(page.slice(page.indexOf('<section><h2>', page.indexOf('</dl>'))))?.[1] ?? '';
      return [...section.matchAll(/<li>(.*?)<\/li>/gsu)].map((m) => m[1]);
    };
    expect(await items('')).toEqual([
      '“sms-hadapsar” या चॅनेल मॅपिंगमधून आली.',
      'विभाग “हडपसरचे पाणी: पाणीपुरवठा” या नियमाने ठरला.',
      'क्षेत्रीय कार्यालय: मॅपिंगचे.',
      'प्राधान्य “गळती: तातडीचे” या नियमाने ठरले.',
      '3 कामकाजाच्या दिवसांची मुदत (कालमर्यादा “water-3d”), कार्यालयीन वेळ संपताना.',
      'न मोजलेले दिवस: 2026-03-19 Gudhi Padwa, 2026-03-21 Ramzan-Id (Id-ul-Fitr), 2026-03-22 Sunday.',
    ]);
    expect(await items('?lang=en')).toEqual([
      'Came in through the channel mapping “sms-hadapsar”.',
      'Department set by the rule “हडपसरचे पाणी: पाणीपुरवठा”.',
      'Ward office: the mapping’s.',
      'Priority set by the rule “गळती: तातडीचे”.',
      'Due after 3 working days (SLA “water-3d”), at the end of the office day.',
      'Days not counted: 2026-03-19 Gudhi Padwa, 2026-03-21 Ramzan-Id (Id-ul-Fitr), 2026-03-22 Sunday.',
    ]);
    // and an unrouted one says it waits with the mapping's default
    const unrouted = await file('Need to talk to someone about my area', 'hadapsar-mundhwa', { routing: { mappingId: 'sms-hadapsar', department: { by: 'mapping' }, sla: { hours: 48 }, unrouted: true } });
    const en = await (await getPage(s.base, `/admin/tickets/${unrouted.ticketNo}?lang=en`, supervisor)).text();
    expect(en).toContain('<li>Department: the mapping’s default.</li>');
    expect(en).toContain('<li>Due 48 hours after it came in (the mapping’s hours).</li>');
    expect(en).toContain('<li>Unrouted: no rule gave a department, so it waits with the mapping’s default.</li>');
  });

  it('count at the top of the queue exactly the tickets of the officer’s ward, by status and overdue', async () => {
    await file('कोथरूडमध्ये पाणी कमी दाबाने येते', 'kothrud-bavdhan');
    await file('Kothrud la 2 divas pani nahi', 'kothrud-bavdhan', { slaDueAt: new Date(Date.now() - 3_600_000).toISOString() });
    const working = await file('कोथरूड में पाइप लीक है', 'kothrud-bavdhan');
    await s.store.updateTicketStatus(working.ticketNo, 'in_progress', 'user:ganesh', 'कर्मचारी पाठवले');
    const done = await file('Water meter broken near Kothrud depot', 'kothrud-bavdhan');
    await s.store.updateTicketStatus(done.ticketNo, 'resolved', 'user:ganesh', 'मीटर बदलला');
    const sent = await file('हडपसरमध्ये नळाला पाणी नाही', 'hadapsar-mundhwa');
    await s.store.changeTicket(sent.ticketNo, { status: 'forwarded', ward: 'kothrud-bavdhan', note: 'हा भाग कोथरूड कार्यालयाचा', by: 'user:sunita', at: new Date() });
    await file('हडपसर में पानी नहीं आ रहा', 'hadapsar-mundhwa');

    const now = Date.now();
    const expected = (tickets: Ticket[]) => {
      const n = (status: string) => tickets.filter((t) => t.status === status).length;
      const late = tickets.filter((t) => !['resolved', 'closed', 'rejected'].includes(t.status) && Date.parse(t.slaDueAt) < now).length;
      return { received: n('received'), forwarded: n('forwarded'), in_progress: n('in_progress'), overdue: late, resolved: n('resolved'), all: tickets.length };
    };
    const tiles = async (session: Session, lang: 'mr' | 'en') => {
      const page = await (await getPage(s.base, `/admin/tickets?lang=${lang}`, session)).text();
      const list = /<ul class="counts">(.*?)<\/ul>/su.exec(page)?.[1] ?? '';
      return Object.fromEntries([...list.matchAll(/<b>(\d+)<\/b>([^<]+)<\/a>/gu)].map((m) => [m[2], Number(m[1])]));
    };
    const kothrud = expected(await s.store.listTickets({ ward: 'kothrud-bavdhan' }));
    expect(kothrud).toMatchObject({ received: expect.any(Number), forwarded: 1, in_progress: 1, resolved: 1 });
    expect(kothrud.overdue).toBeGreaterThanOrEqual(1);
    expect(await tiles(officer, 'mr')).toEqual({ प्राप्त: kothrud.received, 'पुढे पाठवलेल्या': kothrud.forwarded, 'कार्यवाही सुरू': kothrud.in_progress, 'मुदत संपलेल्या': kothrud.overdue, निकाली: kothrud.resolved, सर्व: kothrud.all });
    // a supervisor counts every ward's
    const every = expected(await s.store.listTickets());
    expect(every.all).toBeGreaterThan(kothrud.all);
    expect(await tiles(supervisor, 'en')).toEqual({ Received: every.received, Forwarded: every.forwarded, 'In progress': every.in_progress, Overdue: every.overdue, Resolved: every.resolved, All: every.all });
  });

  it('show a supervisor the SLA table in Marathi and English, and refuse it to an officer', async () => {
    await s.store.admin.saveRecords([
      { kind: 'sla', id: 'garbage-2d', data: { id: 'garbage-2d', category: 'garbage', workingDays: 2, enabled: true }, action: 'create' },
      { kind: 'sla', id: 'urgent-24h', data: { id: 'urgent-24h', category: '*', priority: 'urgent', hours: 24, enabled: true }, action: 'create' },
      { kind: 'sla', id: 'roads-off', data: { id: 'roads-off', category: 'roads', hours: 96, enabled: false }, action: 'create' },
    ], 'test', new Date());
    const rows = async (lang: string) => {
      const page = await (await getPage(s.base, `/admin/sla?lang=${lang}`, supervisor)).text();
      return [...page.matchAll(/<tr><td data-label="[^"]*">([^<]*)<\/td><td data-label="[^"]*">([^<]*)<\/td>\s*<td data-label="[^"]*">([^<]*)<\/td>\s*<td data-label="[^"]*">([^<]*)<\/td>\s*<td data-label="[^"]*">([^<]*)<\/td>/gu)].map((m) => m.slice(1, 6));
    };
    // the city-wide one last: it is what applies when nothing else does
    expect(await rows('mr')).toEqual([
      ['garbage-2d', 'garbage', 'कोणतेही', '2 कामकाजाचे दिवस', 'सुरू'],
      ['roads-off', 'roads', 'कोणतेही', '96 तास', 'बंद'],
      ['urgent-24h', '* (सर्व प्रकार)', 'तातडीची', '24 तास', 'सुरू'],
    ]);
    expect(await rows('en')).toEqual([
      ['garbage-2d', 'garbage', 'Any', '2 Working days', 'on'],
      ['roads-off', 'roads', 'Any', '96 Hours', 'off'],
      ['urgent-24h', '* (every category)', 'Urgent', '24 Hours', 'on'],
    ]);
    expect((await getPage(s.base, '/admin/sla', officer)).status).toBe(403);
  });

  it('show each channel and each account’s health, with what to do for a refused one', async () => {
    const action = 'Meta Business Suite मध्ये नवीन पेज टोकन तयार करा आणि FACEBOOK_PAGE_TOKEN बदला';
    s.health.ok('sms', '+912066000000');
    s.health.failed('twitter', '1432109876543210987', 'HTTP 503 from api.x.com');
    s.health.unauthorised('facebook', '104729384756', 'Graph API 190: Error validating access token: Session has expired', action);
    const accounts = async (lang: string) => {
      const page = await (await getPage(s.base, `/admin/channels?lang=${lang}`, supervisor)).text();
      expect(page).toMatch(/<td data-label="[^"]+"><b>sms<\/b><\/td><td data-label="[^"]+"><span class="badge">[^<]+<\/span><\/td><td data-label="[^"]+">Twilio \+912066000000<\/td>/u);
      return Object.fromEntries([...page.matchAll(/<td data-label="[^"]+">([0-9+]+)<\/td>\s*<td data-label="[^"]+"><span class="badge[^"]*">([^<]+)<\/span><\/td>[\s\S]*?<td data-label="([^"]+)">(?:<b>([^<]+)<\/b>|([^<]+))<\/td><\/tr>/gu)].map((m) => [m[1], { state: m[2], label: m[3], action: m[4] ?? m[5] }]));
    };
    expect(await accounts('mr')).toEqual({
      '+912066000000': { state: 'चालू', label: 'काय करावे', action: '—' },
      '1432109876543210987': { state: 'अडचण', label: 'काय करावे', action: '—' },
      '104729384756': { state: 'नाकारले: कोणीतरी लक्ष द्यावे', label: 'काय करावे', action },
    });
    expect((await accounts('en'))['104729384756']).toEqual({ state: 'refused: a person must act', label: 'What to do', action });
    expect((await getPage(s.base, '/admin/channels', officer)).status).toBe(403);
  });
});
