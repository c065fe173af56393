import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PermanentSendError, RetryableSendError, type Connector, type SendResult } from '../../src/connectors/connector.ts';
import { createSmsConnector } from '../../src/connectors/sms/index.ts';
import type { SmsConnectorOptions } from '../../src/connectors/sms/config.ts';
import type { OutboundMessage } from '../../src/model/index.ts';
import { rfc2822, startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';

const FROM = '+912066000000';
const SERVICE = 'MG' + 'c'.repeat(32);
const CITIZEN = '+919812345678';
const REPLY = 'आपली तक्रार PMC10023 नोंदवली आहे. संबंधित विभाग लवकरच कार्यवाही करेल.';

const outbound = (text = REPLY, to = CITIZEN): OutboundMessage => ({
  channel: 'sms',
  accountId: FROM,
  threadKey: to,
  to,
  text,
  language: 'mr',
  kind: 'reply',
  idempotencyKey: `k-${text.length}`,
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** the SMS connector's provider lookup (it declares one: Twilio has no idempotency key) */
function lookup(c: Connector): (m: OutboundMessage, since: Date) => Promise<SendResult | undefined> {
  if (c.resend.kind !== 'lookup') throw new Error('expected the SMS connector to look sends up');
  return (m, since) => c.resend.kind === 'lookup' ? c.resend.findSent(m, since) : Promise.resolve(undefined);
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('SMS send through the real twilio SDK against a local Messages API', () => {
  let fake: FakeTwilioApi;
  let options: SmsConnectorOptions;
  let sms: Connector;

  beforeAll(async () => {
    fake = await startFakeTwilioApi({ accountSid: 'AC' + '5e'.repeat(16), authToken: 'send-test-token-0123456789' });
    options = {
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      from: FROM,
      apiBase: fake.url,
      publicBaseUrl: 'https://bridge.example.test/',
      segmentBudget: 2,
    };
    sms = createSmsConnector(options);
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.sent.length = 0;
    fake.messages.length = 0;
    fake.keepQueued = false;
  });

  it('sends a Marathi reply with To, From, Body and the status callback URL', async () => {
    const result = await sms.send(outbound(), { outboxId: 1 });
    expect(result.providerId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(fake.sent).toEqual([
      {
        sid: result.providerId,
        To: CITIZEN,
        From: FROM,
        Body: REPLY,
        StatusCallback: 'https://bridge.example.test/webhooks/sms/twilio/status',
      },
    ]);
    const req = fake.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages.json`);
    expect(req.headers.authorization).toBe('Basic ' + Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64'));
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers['user-agent']).toMatch(/^twilio-node\//);
  });

  it('carries many sends over a few kept-alive connections, each with its own body', async () => {
    const texts = Array.from({ length: 60 }, (_, i) => `तक्रार PMC${10100 + i} नोंदवली आहे · शिकायत दर्ज हुई · complaint registered & noted #${i}`);
    // 20 at a time, three rounds: a pool that dropped its sockets after each request would open 60 connections
    for (let round = 0; round < 3; round++) {
      await Promise.all(texts.slice(round * 20, round * 20 + 20).map((t, i) => sms.send(outbound(t), { outboxId: 100 + round * 20 + i })));
    }
    expect(fake.sent.map((m) => m.Body).sort()).toEqual([...texts].sort());
    expect(new Set(fake.requests.map((r) => r.remotePort)).size).toBeLessThanOrEqual(20);
  });

  it('sends a reply quoting half an emoji (a lone surrogate) with U+FFFD in its place, as the SDK would', async () => {
    const text = `आपली तक्रार PMC10023 नोंदवली: "कचरा \uD83D" जवळ 😀`;
    await sms.send(outbound(text), { outboxId: 99 });
    expect(fake.sent[0]?.Body).toBe('आपली तक्रार PMC10023 नोंदवली: "कचरा \uFFFD" जवळ 😀');
  });

  it('sends from a Messaging Service as MessagingServiceSid, and without a status callback when there is no public URL', async () => {
    const viaService = createSmsConnector({ ...options, from: SERVICE, publicBaseUrl: null });
    await viaService.send(outbound('Complaint PMC10023 registered.'), { outboxId: 2 });
    expect(fake.sent[0]).toEqual({ sid: expect.any(String), To: CITIZEN, MessagingServiceSid: SERVICE, Body: 'Complaint PMC10023 registered.' });
  });

  it('turns 429 into a RetryableSendError carrying Retry-After', async () => {
    fake.failNext(1, 429, 20429, '7');
    const err = await caught(sms.send(outbound(), { outboxId: 3 }));
    expect(err).toBeInstanceOf(RetryableSendError);
    expect((err as RetryableSendError).retryAfterMs).toBe(7000);
    expect((err as Error).message).toMatch(/HTTP 429 code 20429/);
    expect(fake.requests).toHaveLength(1); // the SDK did not retry behind our back
    expect(fake.sent).toHaveLength(0);
  });

  it('turns 503 into a RetryableSendError, with or without Retry-After', async () => {
    fake.failNext(1, 503, 20500, 'Wed, 21 Oct 2065 07:28:00 GMT');
    const dated = await caught(sms.send(outbound(), { outboxId: 4 }));
    expect(dated).toBeInstanceOf(RetryableSendError);
    expect((dated as RetryableSendError).retryAfterMs).toBeGreaterThan(0);

    fake.failNext(1, 503, 20500);
    const plain = await caught(sms.send(outbound(), { outboxId: 4 }));
    expect(plain).toBeInstanceOf(RetryableSendError);
    expect((plain as RetryableSendError).retryAfterMs).toBeUndefined();
  });

  it('keeps each send’s own Retry-After when several are in flight at once', async () => {
    // the fake answers in arrival order: the first request to reach it gets 7 s, the second 2 s, the third goes through
    fake.failNext(1, 429, 20429, '7');
    fake.failNext(1, 503, 20500, '2');
    const texts = ['पहिली तक्रार', 'दूसरी शिकायत', 'third complaint'];
    const outcomes = await Promise.all(texts.map((text, i) => sms.send(outbound(text), { outboxId: 11 + i }).catch((err: unknown) => err)));
    const answered = new Map([[fake.requests[0]!.form.Body, 7000], [fake.requests[1]!.form.Body, 2000]]);
    texts.forEach((text, i) => {
      const expected = answered.get(text);
      if (expected === undefined) expect(outcomes[i]).toEqual({ providerId: expect.stringMatching(/^SM/) });
      else expect((outcomes[i] as RetryableSendError).retryAfterMs).toBe(expected);
    });
  });

  it('turns 400 / 21211 (invalid To) into a PermanentSendError with the Twilio code', async () => {
    fake.failNext(1, 400, 21211);
    const simulated = await caught(sms.send(outbound(), { outboxId: 5 }));
    expect(simulated).toBeInstanceOf(PermanentSendError);
    expect((simulated as PermanentSendError).code).toBe(21211);

    const real = await caught(sms.send(outbound(REPLY, '12345'), { outboxId: 5 }));
    expect(real).toBeInstanceOf(PermanentSendError);
    expect((real as PermanentSendError).code).toBe(21211);
  });

  it.each([
    [400, 21610],
    [400, 21408],
    [401, 20003],
  ])('turns %i / %i into a PermanentSendError', async (status, code) => {
    fake.failNext(1, status, code);
    const err = await caught(sms.send(outbound(), { outboxId: 6 }));
    expect(err).toBeInstanceOf(PermanentSendError);
    expect((err as PermanentSendError).code).toBe(code);
  });

  it('refuses wrong credentials permanently (20003)', async () => {
    const wrong = createSmsConnector({ ...options, authToken: 'not-the-token-000' });
    const err = await caught(wrong.send(outbound(), { outboxId: 7 }));
    expect(err).toBeInstanceOf(PermanentSendError);
    expect((err as PermanentSendError).code).toBe(20003);
  });

  it('turns a refused connection into a RetryableSendError', async () => {
    const down = createSmsConnector({ ...options, apiBase: `http://127.0.0.1:${await closedPort()}` });
    const err = await caught(down.send(outbound(), { outboxId: 8 }));
    expect(err).toBeInstanceOf(RetryableSendError);
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
    expect(await caught(lookup(down)(outbound(), new Date()))).toBeInstanceOf(RetryableSendError);
  });

  describe('findSent', () => {
    it('finds a message already sent with the same body, and nothing for a body never sent', async () => {
      const since = new Date(Date.now() - 2000);
      const { providerId } = await sms.send(outbound(), { outboxId: 9 });
      expect(await lookup(sms)(outbound(), since)).toEqual({ providerId });
      expect(await lookup(sms)(outbound('हा मजकूर कधीच पाठवला नाही'), since)).toBeUndefined();
      const list = fake.requests.find((r) => r.method === 'GET')!;
      expect(list.query).toMatchObject({ To: CITIZEN, From: FROM, PageSize: '50' });
      expect(list.query['DateSent>']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });

    it('does not count the same text sent before `since` (DateSent is day-granular at Twilio)', async () => {
      await sms.send(outbound(), { outboxId: 10 });
      const earlier = new Date(Date.now() - 60_000);
      for (const m of fake.messages) m.date_created = m.date_sent = rfc2822(earlier);
      expect(await lookup(sms)(outbound(), new Date(Date.now() - 5_000))).toBeUndefined();
    });

    it('finds a message still queued (no date_sent yet)', async () => {
      fake.keepQueued = true;
      const since = new Date(Date.now() - 2000);
      const { providerId } = await sms.send(outbound(), { outboxId: 11 });
      expect(await lookup(sms)(outbound(), since)).toEqual({ providerId });
    });

    it('matches a Messaging Service send by its service sid', async () => {
      const viaService = createSmsConnector({ ...options, from: SERVICE });
      const since = new Date(Date.now() - 2000);
      const { providerId } = await viaService.send(outbound(), { outboxId: 12 });
      expect(await lookup(viaService)(outbound(), since)).toEqual({ providerId });
      expect(await lookup(sms)(outbound(), since)).toBeUndefined(); // sent by the service, not by FROM
    });

    it('rethrows a failed lookup as RetryableSendError rather than reporting "not sent"', async () => {
      fake.failNext(1, 500, 20500);
      expect(await caught(lookup(sms)(outbound(), new Date()))).toBeInstanceOf(RetryableSendError);
    });
  });
});
