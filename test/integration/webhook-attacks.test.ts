import { Writable } from 'node:stream';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { SMS_HOOK_PUBLIC, SMS_STATUS_PUBLIC, startInProcessBridge, type InProcessBridge } from '../support/in-process-bridge.ts';
import { postSigned, smsParams, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../support/sms-webhooks.ts';
import { until } from '../support/wait.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** What the probe of the running bridge found (issue 8), each as the attacker or the flaky network did it. */
describe('webhooks under attack (running bridge, real HTTP)', () => {
  let fake: FakeTwilioApi;
  let bridge: InProcessBridge;
  let store: Store;
  let logs = '';

  beforeAll(async () => {
    fake = await startFakeTwilioApi({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs += chunk.toString();
        done();
      },
    });
    bridge = await startInProcessBridge(fake, undefined, { logger: createLogger('info', sink) });
    store = bridge.app.store;
  });
  afterAll(async () => {
    await bridge?.close();
    await fake?.close();
  });

  const archived = async () => Object.values((await store.stats()).inbound).reduce((a, b) => a + b, 0);
  const sign = (params: Record<string, string>) => twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, SMS_HOOK_PUBLIC, params);

  it('refuses 64 KB of one repeated key with 413 before any work, while a signed webhook and /healthz are answered', async () => {
    const before = await archived();
    const bomb = 'a&'.repeat(32_000);
    const bombs = Array.from({ length: 4 }, () => fetch(bridge.hook, { method: 'POST', headers: FORM, body: bomb }));
    const real = smsParams(800);
    const [signed, health, ...refused] = await Promise.all([
      postSigned(bridge.hook, SMS_HOOK_PUBLIC, real),
      fetch(`${bridge.app.url}/healthz`, { signal: AbortSignal.timeout(5000) }),
      ...bombs,
    ]);
    expect(refused.map((r) => r.status)).toEqual([413, 413, 413, 413]);
    expect(await refused[0]!.json()).toEqual({ error: 'the form has more than 256 fields' });
    expect(signed.status).toBe(200);
    expect(health.status).toBe(200);
    expect(await archived()).toBe(before + 1);
  });

  it('refuses JSON nested 10,000 deep with 413 on every JSON route, never a 500', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    for (const path of ['/webhooks/sms/twilio', '/api/messages', '/chat/session']) {
      const res = await fetch(`${bridge.app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
      expect(res.status, path).toBe(413);
      expect((await res.json()).error).toMatch(/nests deeper than 64/);
    }
  });

  it('refuses every re-split of a captured, signed webhook: no second ticket, no second reply', async () => {
    const original = smsParams(801);
    const signature = sign(original);
    const first = await fetch(bridge.hook, { method: 'POST', headers: { ...FORM, 'x-twilio-signature': signature }, body: new URLSearchParams(original).toString() });
    expect(first.status).toBe(200);
    await until('the original to have its reply', () => bridge.replyTo(original.MessageSid!));
    const before = await archived();

    // Twilio signs URL + key1 + value1 + key2 + value2 … in key order: folding a key and its value into the value
    // before it keeps the signature. Every such fold of the captured request:
    const keys = Object.keys(original).sort();
    let forgeries = 0;
    for (let i = 0; i + 1 < keys.length; i++) {
      const forged = { ...original, [keys[i]!]: `${original[keys[i]!]}${keys[i + 1]}${original[keys[i + 1]!]}` };
      delete forged[keys[i + 1]!];
      // the replay really is validly signed…
      expect(twilio.validateRequest(TEST_AUTH_TOKEN, signature, SMS_HOOK_PUBLIC, forged)).toBe(true);
      const res = await fetch(bridge.hook, { method: 'POST', headers: { ...FORM, 'x-twilio-signature': signature }, body: new URLSearchParams(forged).toString() });
      // …and is refused, or at most taken for the duplicate it is
      if (res.status === 200) expect(await archived()).toBe(before);
      else expect(res.status, `${keys[i]} + ${keys[i + 1]}`).toBe(400);
      forgeries++;
    }
    expect(forgeries).toBe(keys.length - 1);
    expect(await archived()).toBe(before);
    expect(await bridge.repliesTo(original.MessageSid!)).toHaveLength(1);
    const tickets = await store.listTickets({ limit: 1000 });
    expect(tickets.filter((t) => t.sources.some((s) => s.externalId.startsWith(original.MessageSid!)))).toHaveLength(1);
  });

  it('verifies and archives a signed webhook with extra keys named like JavaScript built-ins', async () => {
    const sid = smsParams(802).MessageSid!;
    const params: Record<string, string> = { ...smsParams(802), toString: 'a', constructor: 'b', hasOwnProperty: 'c', valueOf: 'd', ['__proto__']: 'e' };
    const body = Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const res = await fetch(bridge.hook, { method: 'POST', headers: { ...FORM, 'x-twilio-signature': sign(params) }, body });
    expect(res.status).toBe(200);
    const row = await bridge.inbound(sid);
    expect(Object.keys(row!.message.raw as object)).toEqual(expect.arrayContaining(['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__']));
  });

  it('logs no phone number or email address that came in a URL path, and answers 404 without echoing the URL', async () => {
    logs = '';
    const a = await fetch(`${bridge.app.url}/webhooks/sms/9822200003/leak.person@example.org?to=9822200004`, { method: 'POST', headers: FORM, body: 'x=1' });
    const b = await fetch(`${bridge.app.url}/9822200011?email=someone@example.org`);
    for (const res of [a, b]) {
      expect(res.status).toBe(404);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: 'not found' });
      expect(text).not.toMatch(/98222|example\.org/);
    }
    await until('the request logs', () => logs.includes('incoming request') && logs.split('\n').length > 4);
    expect(logs).not.toMatch(/98222|leak\.person|example\.org/);
    expect(logs).toContain('[phone]');
  });

  it('answers a malformed JSON body without quoting it, and every JSON answer with nosniff', async () => {
    const res = await fetch(`${bridge.app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text": "माझा नंबर 9822200005", oops' });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toMatch(/9822200005|माझा|oops/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    for (const path of ['/readyz', '/healthz', '/nowhere']) expect((await fetch(`${bridge.app.url}${path}`)).headers.get('x-content-type-options'), path).toBe('nosniff');
  });

  it('refuses a status callback with a 20,000-character ErrorCode and stores nothing of it', async () => {
    const sms = smsParams(803);
    expect((await postSigned(bridge.hook, SMS_HOOK_PUBLIC, sms)).status).toBe(200);
    const entry = await until('the reply to be sent', async () => {
      const e = await bridge.replyTo(sms.MessageSid!);
      return e?.state === 'sent' ? e : undefined;
    });
    const callback = { AccountSid: TEST_ACCOUNT_SID, MessageSid: entry.providerId!, MessageStatus: 'undelivered', ErrorCode: '3'.repeat(20_000) };
    const res = await postSigned(bridge.statusHook, SMS_STATUS_PUBLIC, callback);
    expect(res.status).toBe(400);
    expect(await store.getOutbox(entry.id)).toMatchObject({ state: 'sent' });
    expect((await postSigned(bridge.statusHook, SMS_STATUS_PUBLIC, { ...callback, ErrorCode: '30003' })).status).toBe(204);
    expect(await store.getOutbox(entry.id)).toMatchObject({ state: 'undelivered', lastError: '30003' });
  });
});
