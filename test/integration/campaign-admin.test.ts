import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountAdmin } from '../../src/admin/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { registerBodyParsers } from '../../src/http/form-body.ts';
import { createLogger } from '../../src/http/logger.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { addStaff, addToken, callApi, getPage, postForm, signIn } from '../support/admin-staff.ts';
import { ROOT } from '../support/bridge-process.ts';

const { config: SHIPPED } = loadConfig({ env: {}, dir: join(ROOT, 'config') });
const DLT = { principalEntityId: '1101234567890123456', templates: { ack: null, status: null, rating: null, campaign: '1107000000000000004' } };
const TEXT_MR = 'मिळकत कर भरण्याची सवलत 31 मेपर्यंत आहे. ऑनलाइन भरा: propertytax.punecorporation.org — पुणे महानगरपालिका';

describe('campaigns in the admin: the API and the pages', () => {
  let dir: string;
  let store: SqliteStore;
  let server: FastifyInstance;
  let base: string;
  let supervisor: string;
  let officer: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-campaign-admin-'));
    store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    server = Fastify();
    registerBodyParsers(server);
    const config = { ...SHIPPED, channels: { ...SHIPPED.channels, sms: { ...SHIPPED.channels.sms, dlt: DLT } } };
    mountAdmin(server, { store, categories: [], channels: () => [], health: () => [], changed: async () => undefined, retried: () => undefined, logger: createLogger('silent'), campaigns: config });
    base = await server.listen({ port: 0, host: '127.0.0.1' });
    const ward = (id: string, en: string, mr: string) => ({ kind: 'ward' as const, id, data: { id, name: { en, mr }, enabled: true }, action: 'seed' });
    await store.admin.saveRecords([ward('kothrud-bavdhan', 'Kothrud-Bavdhan', 'कोथरूड-बावधन'), ward('hadapsar-mundhwa', 'Hadapsar-Mundhwa', 'हडपसर-मुंढवा')], 'config', new Date());
    await addStaff(store, [
      { id: 'savita', name: 'सविता कुलकर्णी', role: 'supervisor' },
      { id: 'anil', name: 'Anil Pawar', role: 'officer', wards: ['kothrud-bavdhan'] },
    ]);
    supervisor = (await addToken(store, 'savita')).secret;
    officer = (await addToken(store, 'anil')).secret;
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the API creates a draft, previews it, schedules and cancels it, each audited; bad input and officers are refused', async () => {
    const bad = await callApi(base, 'POST', '/campaigns', supervisor, { name: 'Tax', texts: { en: 'Tax rebate until 31 May.' }, audience: { languages: ['hi'] } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: { field: string }[] }).problems.map((p) => p.field)).toEqual(['texts.hi']);
    const misspelt = await callApi(base, 'POST', '/campaigns', supervisor, { name: 'Tax', texts: { en: 'Tax rebate until 31 May.' }, audience: { wards: ['kothrud'] } });
    expect(misspelt.status).toBe(400);
    expect(((await misspelt.json()) as { problems: { field: string }[] }).problems.map((p) => p.field)).toEqual(['audience.wards.0']);
    expect((await callApi(base, 'GET', '/campaigns', officer)).status).toBe(403);

    const created = await callApi(base, 'POST', '/campaigns', supervisor, { name: 'मिळकत कर', texts: { mr: TEXT_MR }, audience: { wards: ['kothrud-bavdhan'] } });
    expect(created.status).toBe(201);
    const { id, state } = (await created.json()) as { id: string; state: string };
    expect(state).toBe('draft');
    const preview = (await (await callApi(base, 'GET', `/campaigns/${id}/preview`, supervisor)).json()) as { languages: { language: string; segments: number; encoding: string }[] };
    expect(preview.languages).toEqual([expect.objectContaining({ language: 'mr', segments: 2, encoding: 'UCS-2' })]);

    const at = '2026-12-05T10:00:00+05:30';
    const scheduled = await callApi(base, 'POST', `/campaigns/${id}/schedule`, supervisor, { at });
    expect(scheduled.status).toBe(200);
    expect(((await scheduled.json()) as { scheduledAt: string }).scheduledAt).toBe(new Date(at).toISOString());
    expect((await callApi(base, 'POST', `/campaigns/${id}/cancel`, supervisor, {})).status).toBe(200);
    const again = await callApi(base, 'POST', `/campaigns/${id}/cancel`, supervisor, {});
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toContain('cancelled');
    expect((await callApi(base, 'GET', '/campaigns/C999', supervisor)).status).toBe(404);

    const audit = await store.admin.listAudit({ kind: 'campaign', recordId: id, limit: 10 });
    expect(audit.map((a) => a.action)).toEqual(['cancel', 'schedule', 'create']);
    expect(audit.every((a) => a.actor.startsWith('token:'))).toBe(true);
  });

  it('the pages list campaigns, take a new one from the form, preview it and schedule it (in Marathi)', async () => {
    const session = await signIn(base, 'savita');
    const list = await getPage(base, '/admin/campaigns', session);
    expect(list.status).toBe(200);
    const listed = await list.text();
    expect(listed).toContain('href="/admin/campaigns"'); // the menu's link
    expect(listed).toContain('जनजागृती मोहिमा');

    const refused = await postForm(base, '/admin/campaigns', { _csrf: session.csrf, name: '' }, session);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('aria-invalid="true"');

    const posted = await postForm(base, '/admin/campaigns', { _csrf: session.csrf, name: 'पाणी बचत', 'texts.mr': 'पाणी जपून वापरा. — पुणे महानगरपालिका', 'texts.hi': '', 'texts.en': 'Save water. Pune Municipal Corporation', 'audience.wards': 'kothrud-bavdhan, hadapsar-mundhwa' }, session);
    expect(posted.status).toBe(303);
    const to = posted.headers.get('location')!;
    expect(to).toMatch(/^\/admin\/campaigns\/C\d+\?done=created$/);
    const page = await (await getPage(base, to, session)).text();
    expect(page).toContain('पाणी जपून वापरा.');
    expect(page).toContain('1 (UCS-2)');
    expect(page).toContain('1 (GSM-7)');
    expect(page).toContain('kothrud-bavdhan, hadapsar-mundhwa');

    const id = /C\d+/.exec(to)![0];
    const scheduled = await postForm(base, `/admin/campaigns/${id}/schedule`, { _csrf: session.csrf, at: '2026-12-05T10:00' }, session);
    expect(scheduled.status).toBe(303);
    expect((await store.campaigns.get(id))).toMatchObject({ state: 'scheduled', scheduledAt: '2026-12-05T04:30:00.000Z' });
    expect(await (await getPage(base, `/admin/campaigns/${id}`, session)).text()).toContain('नियोजित');
    // without the session's CSRF token nothing is changed
    expect((await postForm(base, `/admin/campaigns/${id}/cancel`, {}, session)).status).toBe(403);
    expect((await store.campaigns.get(id))?.state).toBe('scheduled');
  });
});
