import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { PermanentSendError } from '../../src/connectors/connector.ts';
import { CONNECTORS } from '../../src/connectors/registry.ts';
import { ConversationLog } from '../../src/connectors/webchat/conversation-log.ts';
import { createWebChatConnector, webChatOptionsFromConfig } from '../../src/connectors/webchat/index.ts';
import { SessionTokens } from '../../src/connectors/webchat/session-token.ts';
import { ROOT } from '../support/bridge-process.ts';
import { until } from '../support/wait.ts';
import { DirectLineClient, startWebChatBridge, TEST_WEBCHAT_SECRET, WEBCHAT_YAML, type WebChatBridge } from '../support/webchat-bridge.ts';

const mr = parseYaml(readFileSync(join(ROOT, 'config', 'messages', 'mr.yaml'), 'utf8')) as Record<string, string>;
const DEVANAGARI = /[\u0900-\u097F]/u;

// Web chat over real HTTP on loopback: the page, the session token, the Direct Line subset Web Chat polls, and
// /api/messages through botbuilder's CloudAdapter into the bridge's pipeline and bot.
describe('web chat over HTTP', () => {
  let bridge: WebChatBridge;
  // tighter limits than the defaults, so that reaching them takes a handful of requests
  const limits = 'channels: { webchat: { sessionsPerMinute: 7, messagesPerMinute: 4 } }\n';

  beforeAll(async () => {
    bridge = await startWebChatBridge(WEBCHAT_YAML + limits);
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('serves the Marathi page and Web Chat from the installed package, nothing from elsewhere', async () => {
    const page = await fetch(`${bridge.url}/chat`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<html lang="mr">');
    expect(html).toContain('<title>पुणे महानगरपालिका — तक्रार</title>');
    expect(html).toContain('<script src="chat/webchat.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self' 'sha256-/);

    const js = await fetch(`${bridge.url}/chat/webchat.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^application\/javascript/);
    const bundle = await js.text();
    expect(bundle.length).toBeGreaterThan(1_000_000);
    expect(bundle).toContain('renderWebChat');
  });

  it('files a complaint said in one Marathi message and answers in Marathi with its ticket number', async () => {
    const chat = new DirectLineClient(bridge.url);
    await chat.start();
    expect(chat.conversationId).toMatch(/^wc-/);

    const posted = await chat.post('कोथरूड येथे कचरा तीन दिवस उचलला नाही', 'client-1');
    expect(posted.status).toBe(200);
    const { id } = (await posted.json()) as { id: string };
    expect(id.startsWith(`${chat.conversationId}|`)).toBe(true);

    const [reply] = await chat.botMessages(1);
    const ticketNo = /तक्रार क्रमांक: (PMC\d+)/u.exec(reply!.text ?? '')?.[1];
    expect(ticketNo, `the reply names a ticket: ${reply!.text}`).toBeDefined();
    expect(reply!.text).toMatch(DEVANAGARI);
    expect(reply!.text!.startsWith(mr.filed!.split('{ticketNo}')[0]!)).toBe(true);
    expect(reply!.locale).toBe('mr-IN');
    expect(reply!.replyToId).toBe(id);

    // the citizen's own message came back first, with the id Web Chat matches it by
    const echo = chat.seen.find((a) => a.id === id);
    expect(echo).toMatchObject({ type: 'message', text: 'कोथरूड येथे कचरा तीन दिवस उचलला नाही', from: { id: chat.userId, role: 'user' }, channelData: { clientActivityID: 'client-1' } });
    expect(chat.seen.indexOf(echo!)).toBeLessThan(chat.seen.indexOf(reply!));

    const tickets = await bridge.app.store.listTickets();
    const ticket = tickets.find((t) => t.ticketNo === ticketNo);
    expect(ticket).toMatchObject({ language: 'mr', ward: 'kothrud-bavdhan' });
    expect(ticket!.sources).toEqual([{ channel: 'webchat', accountId: 'site', externalId: id }]);
  });

  it('asks for a rating on the open chat when the ticket is resolved, with 1–5 as buttons, and records "५"', async () => {
    const chat = new DirectLineClient(bridge.url);
    await chat.start();
    await chat.post('वारजे येथे पथदिवा आठवडाभर बंद आहे', 'client-r1');
    const [filed] = await chat.botMessages(1);
    const ticketNo = /PMC\d+/u.exec(filed!.text ?? '')![0];
    await bridge.app.store.updateTicketStatus(ticketNo, 'in_progress', 'officer');
    await bridge.app.store.updateTicketStatus(ticketNo, 'resolved', 'officer');
    await bridge.app.pipeline.sweep(); // what the bridge does every few seconds

    const [, question] = await chat.botMessages(2);
    expect(question!.text).toBe(mr.askRating!.replace('{ticketNo}', ticketNo));
    expect(question!.suggestedActions?.actions.map((a) => a.value)).toEqual(['1', '2', '3', '4', '5']);
    await chat.post('५', 'client-r2');
    const [, , thanks] = await chat.botMessages(3);
    expect(thanks!.text).toBe(mr.thanksRating);
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

describe('web chat conversations held in memory', () => {
  it('is on by default, and off (saying why) in a process that is not role all', () => {
    expect('connector' in CONNECTORS.webchat(loadConfig({ env: {} }).config)).toBe(true);
    expect(CONNECTORS.webchat(loadConfig({ env: { PMC_ROLE: 'web' } }).config)).toEqual({ off: expect.stringMatching(/needs role all \(this process is web\)/) });
    expect(CONNECTORS.webchat(loadConfig({ env: { PMC_ROLE: 'worker' } }).config)).toEqual({ off: expect.stringMatching(/needs role all/) });
  });

  it('fails a reply for a conversation this process does not hold, permanently and saying why', async () => {
    const opts = webChatOptionsFromConfig(loadConfig({ env: {} }).config);
    if ('off' in opts) throw new Error(opts.off);
    const connector = createWebChatConnector(opts);
    const reply = { channel: 'webchat', accountId: 'site', threadKey: 'wc-gone', to: 'dl_x', text: 'नमस्कार', language: 'mr', kind: 'reply', idempotencyKey: 'k' } as const;
    const err = await connector.send(reply, { outboxId: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentSendError);
    expect((err as Error).message).toMatch(/no longer open/);
  });

  it('reads by watermark, holds replies behind a message being archived, and drops the oldest past the cap', () => {
    let now = 1_000_000;
    const log = new ConversationLog({ maxConversations: 1, maxActivitiesPerConversation: 3, now: () => now });
    const session = { conversationId: 'wc-a', userId: 'dl_a', expiresAt: now / 1000 + 60 };
    const opened = log.open(session);
    if (opened === 'full') throw new Error('full');
    const c = opened.conversation;
    const act = (id: string) => ({ id, type: 'message', timestamp: new Date(now).toISOString() });

    c.append(act('1'));
    c.reserve(act('2'));
    c.append(act('3')); // a reply that arrived while 2 was being archived
    expect(c.since(0)).toEqual({ activities: [act('1')], watermark: '1' });
    c.confirm('2');
    expect(c.since(1)).toEqual({ activities: [act('2'), act('3')], watermark: '3' });
    c.reserve(act('4'));
    c.cancel('4'); // refused: never shown
    c.append(act('5'));
    // capped at 3: the first is dropped, watermarks still count from the start
    expect(c.since(0)).toEqual({ activities: [act('2'), act('3'), act('5')], watermark: '4' });
    expect(c.since(3)).toEqual({ activities: [act('5')], watermark: '4' });

    expect(log.open({ ...session, conversationId: 'wc-b' })).toBe('full');
    now += 61_000; // the token of wc-a has expired: its conversation goes, and makes room
    expect(log.get('wc-a')).toBeUndefined();
    expect(log.open({ ...session, conversationId: 'wc-b', expiresAt: now / 1000 + 60 })).not.toBe('full');
  });
});
