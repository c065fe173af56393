import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Ticket } from '../../src/model/index.ts';
import { addStaff, STAFF_PASSWORD } from '../support/admin-staff.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { FAST_PIPELINE_YAML, SMS_HOOK_PUBLIC, startInProcessBridge, type InProcessBridge } from '../support/in-process-bridge.ts';
import { postSigned, smsParams, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_FROM } from '../support/sms-webhooks.ts';
import { until } from '../support/wait.ts';
import { describeNeeding } from '../support/system-tools.ts';

const CHROMIUM = '/usr/bin/chromium';
const NEW_NUMBER = '+912066001234';

interface Screen {
  context: BrowserContext;
  page: Page;
  /** console errors (a CSP refusal is one), page errors, failed requests */
  problems: string[];
}

// The web admin in headless Chromium (Debian's, driven by playwright-core) against the whole bridge in this
// process: tickets are filed by signed Twilio webhooks, staff sign in with a password and use the forms.
describeNeeding('chromium', 'the web admin in a browser', () => {
  let fake: FakeTwilioApi;
  let bridge: InProcessBridge;
  let browser: Browser;
  const screens: Screen[] = [];
  let sms = 7000;

  beforeAll(async () => {
    // CI installs it (.ci/run); a machine without it must not pass this test by skipping it
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's Chromium with  apt-get install -y chromium`);
    fake = await startFakeTwilioApi({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN });
    // no bot: each SMS that says what and where is filed at once
    bridge = await startInProcessBridge(fake, `${FAST_PIPELINE_YAML}bot: { enabled: false }\n`);
    await addStaff(bridge.app.store, [
      { id: 'ganesh', name: 'गणेश जोशी', role: 'officer', wards: ['kothrud-bavdhan'] },
      { id: 'sunita', name: 'सुनीता पाटील', role: 'supervisor' },
    ]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterEach(async () => {
    for (const s of screens.splice(0)) await s.context.close().catch(() => undefined);
  });
  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await fake?.close();
  });

  /** an officer's phone (390×844) or a supervisor's desk */
  async function screen(kind: 'phone' | 'desk'): Promise<Screen> {
    const context = await browser.newContext(
      kind === 'phone' ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'mr-IN' } : { viewport: { width: 1280, height: 800 }, locale: 'mr-IN' },
    );
    const page = await context.newPage();
    const s: Screen = { context, page, problems: [] };
    page.on('console', (m) => {
      if (m.type() === 'error') s.problems.push(m.text());
    });
    page.on('pageerror', (e) => s.problems.push(e.message));
    page.on('requestfailed', (r) => s.problems.push(`${r.url()}: ${r.failure()?.errorText ?? 'failed'}`));
    screens.push(s);
    return s;
  }

  async function signIn(page: Page, username: string, password = STAFF_PASSWORD): Promise<void> {
    await page.goto(`${bridge.app.url}/admin`);
    await page.waitForURL(/\/admin\/login\?next=/);
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.getByRole('button', { name: 'प्रवेश करा' }).click();
  }

  /** a citizen's SMS to one of our numbers, and the ticket it is filed as */
  async function citizenTexts(body: string, to = TEST_FROM): Promise<Ticket> {
    const params = smsParams(++sms, { Body: body, To: to });
    const res = await postSigned(bridge.hook, SMS_HOOK_PUBLIC, params);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    return until(`the ticket of ${params.MessageSid}`, () => bridge.app.store.findTicketBySource({ channel: 'sms', accountId: to, externalId: params.MessageSid! }));
  }

  it('an officer on a phone sees only their ward office’s complaints, and resolves one with a note', async () => {
    const kothrud = await citizenTexts('माझ्या भागात तीन दिवसांपासून कचरा उचलला गेला नाही, कोथरूड');
    const hadapsar = await citizenTexts('हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है');
    expect([kothrud.ward, hadapsar.ward]).toEqual(['kothrud-bavdhan', 'hadapsar-mundhwa']);

    const s = await screen('phone');
    await signIn(s.page, 'ganesh');
    await s.page.waitForURL(/\/admin\/tickets$/);
    await s.page.getByRole('heading', { name: 'तक्रारी' }).waitFor();
    const queue = await s.page.locator('main').innerText();
    expect(queue).toContain(kothrud.ticketNo);
    expect(queue).not.toContain(hadapsar.ticketNo);
    // nothing wider than the phone: no sideways scrolling to read the queue
    expect(await s.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await s.page.getByRole('link', { name: kothrud.ticketNo }).click();
    await s.page.waitForURL(new RegExp(`/admin/tickets/${kothrud.ticketNo}$`));
    await s.page.getByText('कचरा उचलला गेला नाही, कोथरूड').first().waitFor();
    await s.page.getByLabel('नवी स्थिती').selectOption('resolved');
    const note = 'कचरा उचलला, परिसर स्वच्छ केला.';
    const form = s.page.locator('form[action$="/status"]');
    // what the citizen is told, and what only staff read
    await form.getByLabel('नागरिकासाठी टीप').fill(note);
    await form.getByLabel('टीप', { exact: true }).fill('घंटागाडी चालक रजेवर होता');
    await s.page.getByRole('button', { name: 'स्थिती बदला' }).click();
    await s.page.waitForURL(/\?ok=status$/);
    await s.page.getByText('स्थिती बदलली.').waitFor();
    expect(await s.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    const stored = (await bridge.app.store.getTicket(kothrud.ticketNo))!;
    expect(stored.status).toBe('resolved');
    expect(stored.history.at(-1)).toMatchObject({ from: 'received', to: 'resolved', publicNote: note, note: 'घंटागाडी चालक रजेवर होता', by: 'user:ganesh' });
    // the other ward office's ticket is as it was
    expect((await bridge.app.store.getTicket(hadapsar.ticketNo))!.status).toBe('received');
    expect(s.problems).toEqual([]);
  });

  it('a supervisor maps a new SMS number through the form, and the next SMS to it is filed by that mapping', async () => {
    const s = await screen('desk');
    await signIn(s.page, 'sunita');
    await s.page.waitForURL(/\/admin\/tickets$/);
    await s.page.getByRole('link', { name: 'चॅनेल मॅपिंग' }).click();
    const add = s.page.locator('form[action="/admin/mappings"]');
    await add.getByLabel('ओळख (id)').fill('sms-hadapsar-water');
    await add.getByLabel('चॅनेल', { exact: true }).selectOption('sms');
    await add.getByLabel('खाते').fill(NEW_NUMBER);
    await add.getByLabel('विभाग').selectOption('WATER');
    await add.getByLabel('क्षेत्रीय कार्यालय').selectOption('hadapsar-mundhwa');
    await add.getByLabel('उत्तराची पद्धत').selectOption('one-shot');
    await add.getByLabel('कालमर्यादा (तास)').fill('48');
    await add.getByRole('button', { name: 'जतन करा' }).click();
    await s.page.waitForURL(/\/admin\/mappings\?ok=saved$/);
    await s.page.getByText('जतन झाले.').waitFor();
    expect(await s.page.locator('main table').innerText()).toContain(NEW_NUMBER);

    expect((await bridge.app.store.admin.getRecord('mapping', 'sms-hadapsar-water'))?.data).toMatchObject({
      channel: 'sms', accountId: NEW_NUMBER, department: 'WATER', ward: 'hadapsar-mundhwa', replyPolicy: 'one-shot', slaHours: 48, enabled: true,
    });
    // words that name no category, so the department can only be the mapping's
    const ticket = await citizenTexts('नमस्कार, कृपया आमच्या सोसायटीकडे लवकर लक्ष द्या', NEW_NUMBER);
    expect(ticket).toMatchObject({ department: 'WATER', ward: 'hadapsar-mundhwa' });
    expect(ticket.routing).toMatchObject({ mappingId: 'sms-hadapsar-water', department: { by: 'mapping' }, ward: { by: 'mapping' } });
    expect(s.problems).toEqual([]);
  });

  it('refuses a wrong password, says so, and sets no cookie', async () => {
    const s = await screen('phone');
    await signIn(s.page, 'ganesh', 'चुकीचा-पासवर्ड-१२३');
    await s.page.waitForURL(/\/admin\/login\?error=1/);
    await s.page.getByText('वापरकर्ता नाव किंवा पासवर्ड चुकीचा आहे.').waitFor();
    expect((await s.context.cookies()).filter((c) => c.name === 'pmc_admin')).toEqual([]);
    const back = await s.page.goto(`${bridge.app.url}/admin/tickets`);
    expect(back?.url()).toMatch(/\/admin\/login\?next=/);
  });

  it('an officer can open neither the mappings page (403 page) nor the mappings API (403 JSON)', async () => {
    const s = await screen('phone');
    await signIn(s.page, 'ganesh');
    await s.page.waitForURL(/\/admin\/tickets$/);
    expect(await s.page.locator('nav a[href="/admin/mappings"]').count()).toBe(0);
    const page = await s.page.goto(`${bridge.app.url}/admin/mappings`);
    expect(page?.status()).toBe(403);
    await s.page.getByText('या पानासाठी आपल्याला परवानगी नाही.').waitFor();

    // the same browser and session asking the JSON API (the browser's own cookie jar: playwright's request
    // context would not send a Secure cookie over the test's plain http)
    const api = (await s.page.goto(`${bridge.app.url}/admin/api/mappings`))!;
    expect(api.status()).toBe(403);
    expect(api.headers()['content-type']).toMatch(/^application\/json/);
    expect(await api.json()).toEqual({ error: expect.stringContaining('officer may not see mapping') });
    // signed in all along: the queue still opens
    expect((await s.page.goto(`${bridge.app.url}/admin/tickets`))?.status()).toBe(200);
  });
});
