import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { ChannelHealth } from '../../src/pipeline/channel-health.ts';
import { createLogger } from '../../src/http/logger.ts';
import { createServer, get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { PermanentSendError } from '../../src/connectors/connector.ts';
import { CONNECTORS } from '../../src/connectors/registry.ts';
import { activityId, ConversationLog } from '../../src/connectors/webchat/conversation-log.ts';
import { createWebChatConnector, webChatOptionsFromConfig } from '../../src/connectors/webchat/index.ts';
import { SessionTokens } from '../../src/connectors/webchat/session-token.ts';
import { FileAttachmentStore } from '../../src/attachments/file-attachment-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ROOT } from '../support/bridge-process.ts';
import { until } from '../support/wait.ts';
import { bubblesAfterRetry } from '../support/webchat-reducer.ts';
import { DirectLineClient, shown, startWebChatBridge, TEST_WEBCHAT_SECRET, WEBCHAT_YAML, type WebChatBridge } from '../support/webchat-bridge.ts';

const mr = parseYaml(readFileSync(join(ROOT, 'config', 'messages', 'mr.yaml'), 'utf8')) as Record<string, string>;

// Web chat over real HTTP on loopback: the page, the session token, the Direct Line subset Web Chat polls, and
// /api/messages through botbuilder's CloudAdapter into the bridge's pipeline and bot.
describe('web chat over HTTP', () => {
  let bridge: WebChatBridge;
  // tighter limits than the defaults, so that reaching them takes a handful of requests
  const limits = 'channels: { webchat: { sessionsPerMinute: 8, messagesPerMinute: 4 } }\n';

  beforeAll(async () => {
    bridge = await startWebChatBridge(WEBCHAT_YAML + limits);
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('serves the Marathi page, Web Chat, its script and the font from the bridge, compressed and kept a year', async () => {
    const page = await fetch(`${bridge.url}/chat`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<html lang="mr"');
    expect(html).toContain('<title>पुणे महानगरपालिका — तक्रार</title>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toContain('{{');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    const scripts = [...html.matchAll(/<script src="(chat\/assets\/[\w.-]+\.js)"/g)].map((m) => m[1]!);
    // the page's own script first: it asks for the session while Web Chat downloads
    expect(scripts).toEqual([expect.stringMatching(/^chat\/assets\/page\.[0-9a-f]{12}\.js$/), expect.stringMatching(/^chat\/assets\/webchat\.[0-9a-f]{12}\.js$/)]);
    const fonts = [...html.matchAll(/url\('(chat\/assets\/noto-[\w-]+\.[0-9a-f]{12}\.woff2)'\)/g)].map((m) => m[1]!);
    expect(fonts).toHaveLength(1);

    const raw = await fetch(`${bridge.url}/${scripts[1]}`, { headers: { 'accept-encoding': 'identity' } });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(raw.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const bundle = await raw.text();
    expect(bundle.length).toBeGreaterThan(1_000_000);
    expect(bundle).toContain('renderWebChat');
    // compressed for the wire (node's fetch undoes it: the size is read from a plain request)
    const gz = await rawGet(`${bridge.url}/${scripts[1]}`, 'gzip');
    expect(gz.encoding).toBe('gzip');
    expect(gz.bytes).toBeLessThan(bundle.length / 3);

    const font = await fetch(`${bridge.url}/${fonts[0]}`);
    expect(font.headers.get('content-type')).toBe('font/woff2');
    expect(Buffer.from(await font.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('wOF2');
    expect((await fetch(`${bridge.url}/chat/assets/webchat.000000000000.js`)).status).toBe(404);
  });

  it('greets a new chat in Marathi with the three languages, asks for a photo, and files with the ticket number', async () => {
    const chat = new DirectLineClient(bridge.url);
    await chat.start();
    expect(chat.conversationId).toMatch(/^wc-/);
    expect(chat.resumed).toBe(false);
    const [greeting] = chat.opening;
    expect(greeting).toMatchObject({ text: mr.greeting, locale: 'mr-IN' });
    expect(greeting!.suggestedActions?.actions.map((a) => a.value)).toEqual(['मराठी', 'हिंदी', 'English']);

    const posted = await chat.post('कोथरूड येथे कचरा तीन दिवस उचलला नाही', 'client-1');
    expect(posted.status).toBe(200);
    const { id } = (await posted.json()) as { id: string };
    expect(id.startsWith(`${chat.conversationId}|`)).toBe(true);

    // web chat carries photos: the bot asks for one, with "नाही" to tap
    const [ask] = await chat.botMessages(1);
    expect(shown(ask!.text)).toBe(mr.askPhoto);
    expect(ask!.replyToId).toBe(id);
    expect(ask!.suggestedActions?.actions.map((a) => a.value)).toEqual([mr.no]);
    const no = (await (await chat.post('नाही', 'client-2')).json()) as { id: string };

    const [, reply] = await chat.botMessages(2);
    const ticketNo = /तक्रार क्रमांक: (PMC\d+)/u.exec(shown(reply!.text))?.[1];
    expect(ticketNo, `the reply names a ticket: ${reply!.text}`).toBeDefined();
    expect(shown(reply!.text).startsWith(mr.filed!.split('{ticketNo}')[0]!)).toBe(true);
    expect(reply!.textFormat).toBe('markdown');
    expect(reply!.locale).toBe('mr-IN');
    expect(reply!.replyToId).toBe(no.id);

    // the citizen's own message came back first, with the id Web Chat matches it by, shown as plain text
    const echo = chat.seen.find((a) => a.id === id);
    expect(echo).toMatchObject({ type: 'message', text: 'कोथरूड येथे कचरा तीन दिवस उचलला नाही', textFormat: 'plain', from: { id: chat.userId, role: 'user' }, channelData: { clientActivityID: 'client-1' } });
    expect(chat.seen.indexOf(echo!)).toBeLessThan(chat.seen.indexOf(ask!));

    const ticket = (await bridge.app.store.listTickets()).find((t) => t.ticketNo === ticketNo);
    expect(ticket).toMatchObject({ language: 'mr', ward: 'kothrud-bavdhan', description: { original: expect.stringContaining('कचरा') } });
    expect(ticket!.sources[0]).toEqual({ channel: 'webchat', accountId: 'site', externalId: id });
  });

  it("takes a message posted again with our page's messageId (Web Chat's Retry: a new clientActivityID) as the same one", async () => {
    const chat = new DirectLineClient(bridge.url);
    await chat.start();
    const text = 'हमारी गली में तीन दिन से पानी नहीं आ रहा है';
    const first = await chat.post(text, 'client-a', 'retrymsg0000000001');
    const again = await chat.post(text, 'client-b', 'retrymsg0000000001');
    expect([first.status, again.status]).toEqual([200, 200]);
    const { id } = (await first.json()) as { id: string };
    const archived = await bridge.app.store.getInboundBySource({ channel: 'webchat', accountId: 'site', externalId: `${chat.conversationId}/retrymsg0000000001` });
    expect(archived?.duplicates).toBe(1);
    // one answer, to the activity as first posted; the first post's echo once more (a crash may have lost it), then
    // the retry's, both with the first post's id (Web Chat keeps one activity per id, so one bubble)
    const [ask] = await chat.botMessages(1);
    expect(ask!.replyToId).toBe(id);
    const users = chat.seen.filter((a) => a.from.role === 'user');
    expect(users.map((a) => a.channelData?.clientActivityID)).toEqual(['client-a', 'client-a', 'client-b']);
    expect(new Set(users.map((a) => a.id))).toEqual(new Set([id]));
    expect(new Set(users.map((a) => a.timestamp)).size).toBe(1);
    expect(((await again.json()) as { id: string }).id).toBe(id);
    // what Web Chat's own reducer makes of them: one bubble, sent, whether the first post was given up or still out
    for (const givenUp of [true, false]) expect(bubblesAfterRetry(text, 'retrymsg0000000001', 'client-a', 'client-b', givenUp, users), `given up: ${givenUp}`).toEqual([[id, 'client-b', 'sent']]);
    // another message of the same conversation, a new id: a message of its own
    expect((await chat.post(text, 'client-c', 'retrymsg0000000002')).status).toBe(200);
    await chat.botMessages(2);
  });

  it('asks for a rating on the open chat when the ticket is resolved, with 1–5 as buttons, and records "५"', async () => {
    const chat = new DirectLineClient(bridge.url);
    await chat.start();
    const ticketNo = await fileComplaint(chat, 'वारजे येथे पथदिवा आठवडाभर बंद आहे');
    await bridge.app.store.updateTicketStatus(ticketNo, 'in_progress', 'officer');
    await bridge.app.store.updateTicketStatus(ticketNo, 'resolved', 'officer');
    await bridge.app.pipeline.sweep(); // what the bridge does every few seconds

    // the news of the resolution first (two changes at once: the latest only), then the question
    const [, , update, question] = await chat.botMessages(4);
    expect(shown(update!.text)).toBe(mr.statusResolved!.replace('{ticketNo}', ticketNo));
    expect(shown(question!.text)).toBe(mr.askRating!.replace('{ticketNo}', ticketNo));
    expect(question!.suggestedActions?.actions.map((a) => a.value)).toEqual(['1', '2', '3', '4', '5']);
    await chat.post('५', 'client-r3');
    const [, , , , thanks] = await chat.botMessages(5);
    expect(shown(thanks!.text)).toBe(mr.askComment);
    expect((await bridge.app.store.getTicket(ticketNo))?.feedback?.rating).toBe(5);
  });

  it('asks for a session token, and refuses one for another conversation, an expired or a forged one', async () => {
    const chat = new DirectLineClient(bridge.url);
    await chat.start();
    const other = new DirectLineClient(bridge.url);
    await other.start();
    const activities = `${bridge.url}/v3/directline/conversations/${chat.conversationId}/activities`;
    const message = JSON.stringify({ type: 'message', text: 'नमस्कार', from: { id: chat.userId } });
    const json = { 'content-type': 'application/json' };

    expect((await fetch(`${bridge.url}/v3/directline/conversations`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(activities)).status).toBe(401);
    expect((await fetch(activities, { method: 'POST', headers: json, body: message })).status).toBe(401);

    // a valid token, but for another conversation
    expect((await fetch(activities, { headers: other.headers() })).status).toBe(403);
    expect((await fetch(activities, { method: 'POST', headers: other.headers(), body: message })).status).toBe(403);

    // signed with our secret but expired; and one signed with another secret
    const past = new SessionTokens(TEST_WEBCHAT_SECRET, 60, () => Date.now() - 3_600_000);
    const expired = past.renew({ conversationId: chat.conversationId, userId: chat.userId, expiresAt: 0 }).token;
    const forged = new SessionTokens('not-the-bridge-secret-0123456789abcdef', 1800).renew({ conversationId: chat.conversationId, userId: chat.userId, expiresAt: 0 }).token;
    for (const token of [expired, forged, `${chat.token}x`, 'not-a-token']) {
      const res = await fetch(activities, { method: 'POST', headers: chat.headers(token), body: message });
      expect(res.status, token).toBe(401);
      expect(((await res.json()) as { error: string }).error).toMatch(/reload the chat page/);
    }

    // the bot endpoint itself runs the same checks before CloudAdapter
    const activity = {
      type: 'message',
      id: `${chat.conversationId}|9000001`,
      timestamp: new Date().toISOString(),
      channelId: 'webchat',
      text: 'नमस्कार',
      conversation: { id: chat.conversationId },
      from: { id: chat.userId, role: 'user' },
      recipient: { id: 'pmc', role: 'bot' },
    };
    const toBot = (headers: Record<string, string>, body: unknown) =>
      fetch(`${bridge.url}/api/messages`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });
    expect((await toBot({}, activity)).status).toBe(401);
    expect((await toBot({ authorization: `Bearer ${expired}` }, activity)).status).toBe(401);
    expect((await toBot(other.headers(), activity)).status).toBe(403);
    expect((await toBot(chat.headers(), { ...activity, from: { id: other.userId, role: 'user' } })).status).toBe(403);
    expect((await toBot(chat.headers(), { ...activity, id: `${other.conversationId}|0000001` })).status).toBe(400);
    // a caller's serviceUrl is never followed: the message is archived, the bot answers into the conversation, and
    // the server the activity named hears nothing
    const calls: string[] = [];
    const elsewhere = createServer((req, res) => (calls.push(req.url ?? ''), res.end()));
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
    try {
      const serviceUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/`;
      const direct = await toBot(chat.headers(), { ...activity, serviceUrl });
      expect(direct.status).toBe(200);
      await until('the direct message archived', () =>
        bridge.app.store.getInboundBySource({ channel: 'webchat', accountId: 'site', externalId: activity.id }),
      );
      await until('the reply to it delivered', async () =>
        (await bridge.app.store.listOutbox()).some((e) => e.message.inReplyTo === activity.id && e.state === 'sent'),
      );
      expect(calls).toEqual([]);
    } finally {
      await new Promise((r) => elsewhere.close(r));
    }
  });

  it('limits messages per conversation and new sessions per address, with Retry-After', async () => {
    const chat = new DirectLineClient(bridge.url);
    await chat.start();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i++) {
      const res = await chat.post(`पथदिवा बंद आहे ${i}`, `limit-${i}`);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
      await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // a refused message is never echoed: Web Chat shows it as not sent
    await chat.poll();
    const echoed = chat.seen.filter((a) => a.from.role === 'user').map((a) => a.channelData?.clientActivityID);
    expect(echoed).toEqual(['limit-0', 'limit-1', 'limit-2', 'limit-3']);

    // the tests above opened 5 sessions from this address (1 + 1 + 2 + 1); the limit is 7 a minute
    const sessions: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${bridge.url}/chat/session`, { method: 'POST' });
      sessions.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      await res.arrayBuffer();
    }
    expect(sessions).toEqual([201, 201, 429]);
  });

  it('refreshes a token for the same conversation, as DirectLineJS does every 15 minutes', async () => {
    // the session limit was reached above: a second bridge with its own limits
    const second = await startWebChatBridge();
    try {
      const chat = new DirectLineClient(second.url);
      await chat.start();
      const res = await fetch(`${second.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: chat.headers() });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { conversationId: string; token: string; expires_in: number };
      expect(body.conversationId).toBe(chat.conversationId);
      expect(body.expires_in).toBe(30 * 60);
      chat.token = body.token;
      expect(await chat.poll()).toEqual([]);
      // starting again with a token of an open conversation gives that conversation (200, not 201)
      const again = await fetch(`${second.url}/v3/directline/conversations`, { method: 'POST', headers: chat.headers() });
      expect(again.status).toBe(200);
      expect(((await again.json()) as { conversationId: string }).conversationId).toBe(chat.conversationId);
    } finally {
      await second.close();
    }
  });
});

describe('web chat conversations kept in the store', () => {
  const cleanups: (() => void)[] = [];
  afterAll(() => {
    for (const c of cleanups.splice(0)) c();
  });
  function openStore(): SqliteStore {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-wclog-'));
    const store = SqliteStore.open(join(dir, 'bridge.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    cleanups.push(() => {
      void store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return store;
  }
  const deps = (store: SqliteStore) => ({ store, attachments: new FileAttachmentStore(mkdtempSync(join(tmpdir(), 'pmc-wcfiles-'))), greeting: { text: 'नमस्कार', choices: [] }, health: new ChannelHealth(), logger: createLogger('silent') });

  it('is on by default in every role: its conversations are in the store, so any web process serves any chat', async () => {
    for (const role of [undefined, 'web']) {
      const store = openStore();
      const env = role ? { PMC_ROLE: role } : {};
      const built = await CONNECTORS.webchat(loadConfig({ env }).config, { ...deps(store), webChatGreeting: { text: 'नमस्कार', choices: [] }, emailSubjects: { mr: 'तक्रार', hi: 'शिकायत', en: 'Complaint' }, categories: [] });
      expect('connector' in built, role).toBe(true);
    }
  });

  it('keeps one token secret for the store when none is configured, so a restart keeps every citizen', async () => {
    const store = openStore();
    const config = loadConfig({ env: {} }).config;
    const first = await webChatOptionsFromConfig(config, store);
    const second = await webChatOptionsFromConfig(config, store);
    if ('off' in first || 'off' in second) throw new Error('web chat off');
    expect(first.tokenSecret.length).toBeGreaterThanOrEqual(40);
    expect(second.tokenSecret).toBe(first.tokenSecret);
    const other = await webChatOptionsFromConfig(config, openStore());
    expect('off' in other ? '' : other.tokenSecret).not.toBe(first.tokenSecret);
  });

  it('fails a reply for a conversation it no longer keeps, permanently and saying why', async () => {
    const store = openStore();
    const opts = await webChatOptionsFromConfig(loadConfig({ env: {} }).config, store);
    if ('off' in opts) throw new Error(opts.off);
    const connector = createWebChatConnector(opts, deps(store));
    const reply = { channel: 'webchat', accountId: 'site', threadKey: 'wc-gone', to: 'dl_x', text: 'नमस्कार', language: 'mr', kind: 'reply', idempotencyKey: 'k' } as const;
    const err = await connector.send(reply, { outboxId: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentSendError);
    expect((err as Error).message).toMatch(/no longer kept.*keepDays/);
    expect(await connector.canReach?.('wc-gone')).toBe(false);
  });

  it('reads by watermark, holds replies behind a message being archived, one reply per outbox entry', async () => {
    let now = Date.now();
    const store = openStore();
    const log = new ConversationLog({ store, keepMs: 60_000, maxConversations: 1, readLimit: 3, now: () => new Date(now) });
    const session = { conversationId: 'wc-a', userId: 'dl_a', expiresAt: 0 };
    const opened = await log.open(session);
    if (opened === 'full') throw new Error('full');
    expect(opened.created).toBe(true);
    const act = (id: string) => ({ id, type: 'message', timestamp: new Date(now).toISOString() });

    await log.say('wc-a', act);
    const second = await log.reserve('wc-a');
    const replyId = await log.reply('wc-a', 11, act); // a reply that arrived while the citizen's message was archived
    expect((await log.since('wc-a', 0)).activities.map((a) => a.id)).toEqual([activityId('wc-a', 1)]);
    await log.confirm('wc-a', second.seq, act(second.id));
    expect((await log.since('wc-a', 1)).activities.map((a) => a.id)).toEqual([second.id, replyId]);
    // the outbox tried again: the same activity, not a second one
    expect(await log.reply('wc-a', 11, act)).toBe(replyId);
    const refused = await log.reserve('wc-a');
    await log.cancel('wc-a', refused.seq); // refused: never shown, and holds nothing back
    await log.reply('wc-a', 12, act);
    const all = await log.since('wc-a', 0);
    expect(all.activities).toHaveLength(3); // readLimit: the rest at the next read
    const rest = await log.since('wc-a', Number(all.watermark));
    expect(rest.activities).toHaveLength(1);
    expect((await log.since('wc-a', Number(rest.watermark))).activities).toEqual([]);

    // at most one conversation kept: another must wait until this one has gone
    expect(await log.open({ ...session, conversationId: 'wc-b' })).toBe('full');
    now += 61_000;
    expect(await log.get('wc-a')).toBeUndefined();
    now += 11 * 60_000; // expired ones are dropped when a chat opens, at most every ten minutes
    expect(await log.open({ ...session, conversationId: 'wc-b' })).not.toBe('full');
  });
});

/** a GET whose body is counted as it came over the wire (fetch would decompress it) */
function rawGet(url: string, acceptEncoding: string): Promise<{ encoding: string | undefined; bytes: number }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** a complaint said in one message, "नाही" to the photo question: its ticket number */
async function fileComplaint(chat: DirectLineClient, text: string): Promise<string> {
  const before = chat.seen.filter((a) => a.from.role === 'bot').length;
  await chat.post(text, `c-${before}`);
  await until('the photo question', async () => (await chat.poll(), chat.seen.filter((a) => a.from.role === 'bot').length > before || undefined));
  await chat.post('नाही', `c-${before}-no`);
  return until('the ticket number', async () => {
    await chat.poll();
    const last = chat.seen.filter((a) => a.from.role === 'bot').at(-1);
    return /PMC\d+/u.exec(shown(last?.text))?.[0];
  });
}
