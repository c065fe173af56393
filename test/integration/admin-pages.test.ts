import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminPagesServer, type AdminPagesServer } from '../support/admin-pages-server.ts';
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
});
