import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/bridge-process.ts';
import { startWebChatBridge, type WebChatBridge } from '../support/webchat-bridge.ts';

const CHROMIUM = '/usr/bin/chromium';
const mr = parseYaml(readFileSync(join(ROOT, 'config', 'messages', 'mr.yaml'), 'utf8')) as Record<string, string>;

// The real page in headless Chromium (Debian's, driven by playwright-core): Web Chat from the installed package
// talks to the bridge's Direct Line subset, and a citizen files a complaint in Marathi, answering the bot's questions.
describe('web chat in a browser', () => {
  let bridge: WebChatBridge;
  let profile: string;
  let browser: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    // CI installs it (.ci/run); a machine without it must not pass this test by skipping it
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's Chromium with  apt-get install -y chromium`);
    bridge = await startWebChatBridge();
    profile = mkdtempSync(join(tmpdir(), 'pmc-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    // anything the page could not load or was refused by its Content-Security-Policy
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('requestfailed', (r) => problems.push(`${r.url()}: ${r.failure()?.errorText ?? 'failed'}`));
  });
  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await bridge?.close();
  });

  const say = async (text: string): Promise<void> => {
    const box = page.getByPlaceholder('आपला संदेश येथे लिहा');
    await box.fill(text);
    await box.press('Enter');
  };
  // a message as shown in the chat history (the feed), not the copies Web Chat keeps for screen readers
  const shown = (text: string | RegExp) => page.getByRole('feed').getByRole('paragraph').filter({ hasText: text });
  const botSaid = (text: string) => shown(text).waitFor({ timeout: 15_000 });

  it('files a pothole complaint in Marathi, asking for the place', async () => {
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${bridge.url}/chat`);
    expect(await page.title()).toBe('पुणे महानगरपालिका — तक्रार');

    await say('रस्त्यावर खूप खड्डे पडले आहेत');
    // the page has no upload button or location share yet: the place is asked for in words, and no photo
    await botSaid(mr.askWhereText!);
    await say('कोथरूड, करिश्मा सोसायटी जवळ');

    const filed = shown(/तक्रार क्रमांक: PMC\d+/u);
    await filed.waitFor({ timeout: 15_000 });
    const ticketNo = /PMC\d+/u.exec(await filed.innerText())![0];
    const ticket = await bridge.app.store.getTicket(ticketNo);
    expect(ticket).toMatchObject({ language: 'mr', ward: 'kothrud-bavdhan', category: expect.any(String) });
    expect(ticket!.description.original).toBe('रस्त्यावर खूप खड्डे पडले आहेत\nकोथरूड, करिश्मा सोसायटी जवळ');
    expect(ticket!.sources.every((s) => s.channel === 'webchat')).toBe(true);
    expect(ticket!.sources).toHaveLength(2);

    // no message shown as failed, nothing refused by the page's CSP or missing, nothing asked of another host
    expect(await page.getByText('पाठवता आले नाही').count()).toBe(0);
    expect(problems).toEqual([]);
    // (Web Chat makes blob: URLs of its own, inside the page)
    expect(requested.filter((u) => /^(https?|wss?):/.test(u) && new URL(u).origin !== bridge.url)).toEqual([]);
  });
});
