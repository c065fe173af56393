import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { SMS_HOOK_PUBLIC, startInProcessBridge, type InProcessBridge } from '../support/in-process-bridge.ts';
import { smsParams, TEST_AUTH_TOKEN } from '../support/sms-webhooks.ts';

// behind a proxy: each test speaks as a different client through X-Forwarded-For, as nginx would forward it
const LIMITS_YAML = 'server: { requestTimeoutMs: 1500, behindProxy: true, clientLimits: { requestsPerMinute: 40, refusalsPerMinute: 5 } }\n';

describe('per-client limits on the public routes (running bridge, real HTTP)', () => {
  let fake: FakeTwilioApi;
  let bridge: InProcessBridge;

  beforeAll(async () => {
    fake = await startFakeTwilioApi({ accountSid: 'AC' + '0123456789abcdef'.repeat(2), authToken: TEST_AUTH_TOKEN });
    bridge = await startInProcessBridge(fake, LIMITS_YAML);
  });
  afterAll(async () => {
    await bridge?.close();
    await fake?.close();
  });

  const post = (from: string, params: Record<string, string>, signature: string) =>
    fetch(bridge.hook, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'x-forwarded-for': from },
      body: new URLSearchParams(params).toString(),
    });
  const signed = (from: string, params: Record<string, string>) => post(from, params, twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, SMS_HOOK_PUBLIC, params));
  const forged = (from: string, params: Record<string, string>) => post(from, params, twilio.getExpectedTwilioSignature('not-the-auth-token-000', SMS_HOOK_PUBLIC, params));

  it('a client that keeps forging signatures is refused everything for the minute; other clients and /healthz are not', async () => {
    const forger = '203.0.113.7';
    const refused = [];
    for (let i = 0; i < 5; i++) refused.push((await forged(forger, smsParams(9100 + i, { Body: 'कचरा उचलला नाही' }))).status);
    expect(refused).toEqual([403, 403, 403, 403, 403]);
    const cut = await forged(forger, smsParams(9105));
    expect(cut.status).toBe(429);
    expect(Number(cut.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(cut.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await cut.json()).error).toMatch(/too many requests from this address: try again in \d+ s/);
    // even a correctly signed message from that address waits: its sender is told to come back (a provider retries)
    const fromForger = smsParams(9106, { Body: 'पाणी येत नाही' });
    expect((await signed(forger, fromForger)).status).toBe(429);
    expect(await bridge.inbound(fromForger.MessageSid!)).toBeUndefined();
    // a client that merely prepends the forger's address is another client: the proxy appends the real one last
    const honest = smsParams(9107, { Body: 'सड़क पर गड्ढा है' });
    expect((await signed(`${forger}, 198.51.100.9`, honest)).status).toBe(200);
    expect((await bridge.inbound(honest.MessageSid!))?.message.text).toBe('सड़क पर गड्ढा है');
    const health = await fetch(`${bridge.app.url}/healthz`, { headers: { 'x-forwarded-for': forger } });
    expect(health.status).toBe(200);
  });

  it('a client over its requests a minute gets 429 with Retry-After; what it sent before was taken, another client is served', async () => {
    const busy = '192.0.2.44';
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, (_, j) => signed(busy, smsParams(9200 + i + j, { Body: `Garbage not collected near the school #${i + j}` }))));
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    const over = smsParams(9240, { Body: 'One message too many' });
    const res = await signed(busy, over);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await bridge.inbound(over.MessageSid!)).toBeUndefined();
    expect(await bridge.inbound(smsParams(9239).MessageSid!)).toBeDefined();
    expect((await signed('192.0.2.45', smsParams(9241, { Body: 'kachra uchalla nahi' }))).status).toBe(200);
  });

  it("the staff sign-in counts wrong passwords by the forwarded client: one guesser is stopped, a colleague behind the same proxy is not", async () => {
    const login = (from: string) =>
      fetch(`${bridge.app.url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify({ username: 'sunita', password: 'not-her-password-1' }) });
    const guesser = [];
    for (let i = 0; i < 6; i++) guesser.push((await login('203.0.113.50')).status);
    expect(guesser.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(guesser[5]).toBe(429);
    expect((await login('203.0.113.51')).status).toBe(401);
  });

  it('web chat counts its new sessions by the forwarded client, not by the proxy every citizen comes through', async () => {
    // the shipped limit: 10 new chats a client address a minute. Twelve citizens behind one proxy each get theirs.
    const opened = await Promise.all(
      Array.from({ length: 12 }, (_, i) => fetch(`${bridge.app.url}/chat/session`, { method: 'POST', headers: { 'x-forwarded-for': `100.64.0.${i + 1}` } })),
    );
    expect(opened.map((r) => r.status)).toEqual(Array(12).fill(201));
    const one = '100.64.1.1';
    const fromOne = [];
    for (let i = 0; i < 11; i++) fromOne.push((await fetch(`${bridge.app.url}/chat/session`, { method: 'POST', headers: { 'x-forwarded-for': one } })).status);
    expect(fromOne.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(fromOne[10]).toBe(429);
  });
});
