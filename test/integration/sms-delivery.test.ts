import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/model/index.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { SMS_HOOK_PUBLIC, SMS_STATUS_PUBLIC, startInProcessBridge, type InProcessBridge } from '../support/in-process-bridge.ts';
import { postSigned, smsParams, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_FROM } from '../support/sms-webhooks.ts';
import { until } from '../support/wait.ts';

// smsParams(i) writes Marathi for i % 5 = 0, Hindi for 1, English for 2
describe('SMS replies leave through the outbox (running bridge, real twilio SDK, fake Messages API)', () => {
  let fake: FakeTwilioApi;
  let bridge: InProcessBridge;
  let store: Store;
  /** how many sweeps of the outbox the running pipeline has made */
  let sweeps = 0;

  beforeAll(async () => {
    fake = await startFakeTwilioApi({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN });
    bridge = await startInProcessBridge(fake);
    store = bridge.app.store;
    const listDueOutbox = store.listDueOutbox.bind(store);
    store.listDueOutbox = (now, limit) => {
      sweeps++;
      return listDueOutbox(now, limit);
    };
  });
  afterAll(async () => {
    await bridge?.close();
    await fake?.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.sent.length = 0;
  });

  const creates = () => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Messages.json'));

  async function citizenWrites(i: number): Promise<Record<string, string>> {
    const params = smsParams(i);
    const res = await postSigned(bridge.hook, SMS_HOOK_PUBLIC, params);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    return params;
  }

  const replyIn = (sid: string, state: OutboxEntry['state']) =>
    until(`the reply to ${sid} to be ${state}`, async () => {
      const entry = await bridge.replyTo(sid);
      return entry?.state === state ? entry : undefined;
    });

  async function receipt(sid: string, status: string, extra: Record<string, string> = {}): Promise<number> {
    const params = { AccountSid: TEST_ACCOUNT_SID, ApiVersion: '2010-04-01', From: TEST_FROM, To: '+919800000000', MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, ...extra };
    const res = await postSigned(bridge.statusHook, SMS_STATUS_PUBLIC, params);
    await res.arrayBuffer();
    return res.status;
  }

  it('retries through a 429 (Retry-After: 0) and a 503, then sends the reply exactly once', async () => {
    fake.failNext(1, 429, 20429, '0');
    fake.failNext(1, 503, 20500);
    const sms = await citizenWrites(101);

    const entry = await replyIn(sms.MessageSid!, 'sent');
    expect(entry.attempts).toBe(3);
    expect(creates()).toHaveLength(3);
    expect(fake.sent).toHaveLength(1);
    expect(entry.providerId).toBe(fake.sent[0]!.sid);
    expect(fake.sent[0]!.To).toBe(sms.From);
  });

  it('moves a reply Twilio refuses with 21211 (invalid number) to the dead letters and never retries it', async () => {
    fake.failNext(1, 400, 21211);
    const sms = await citizenWrites(200);

    const dead = await replyIn(sms.MessageSid!, 'dead');
    expect(dead.lastError).toMatch(/21211/);
    expect(dead.attempts).toBe(1);
    expect(await store.listDeadLetters()).toContainEqual(
      expect.objectContaining({ kind: 'outbound', id: dead.id, error: expect.stringContaining('21211') }),
    );
    // let the pipeline sweep the outbox a few more times: a dead entry must stay untouched
    const seen = sweeps;
    await until('three more sweeps', () => sweeps >= seen + 3);
    expect(creates()).toHaveLength(1);
    expect(fake.sent).toHaveLength(0);
    expect(await store.getOutbox(dead.id)).toMatchObject({ state: 'dead', attempts: 1 });
  });

  it('gives up after 3 attempts of 503, and a staff retry of the dead letter sends it on the next sweep', async () => {
    fake.failNext(3, 503, 20500);
    const sms = await citizenWrites(302);

    const dead = await replyIn(sms.MessageSid!, 'dead');
    expect(dead.lastError).toMatch(/HTTP 503/);
    expect(dead.lastError).toMatch(/gave up after 3 attempts/);
    expect(dead.attempts).toBe(3);
    // a 503 may come after Twilio took the message: each later attempt asks Twilio first (and gets 503 too)
    expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'GET']);
    expect(dead.unsureSince).toBeDefined();
    expect(fake.sent).toHaveLength(0);
    expect((await store.listDeadLetters()).map((d) => `${d.kind}:${d.id}`)).toContain(`outbound:${dead.id}`);

    // the provider is healthy again; staff retry the dead letter (as `pmc-bridge outbox retry` does)
    expect(await store.retryOutbox(dead.id)).toBe(true);
    const sent = await replyIn(sms.MessageSid!, 'sent');
    expect(fake.sent).toHaveLength(1);
    expect(sent.providerId).toBe(fake.sent[0]!.sid);
    expect(sent.attempts).toBe(1);
    expect(fake.sent[0]!.Body).toContain('complaint');
    expect((await store.listDeadLetters()).map((d) => `${d.kind}:${d.id}`)).not.toContain(`outbound:${dead.id}`);
  });

  it.each([
    ['Marathi', 400, 'mr', 'तक्रार', ['शिकायत', 'complaint']],
    ['Hindi', 401, 'hi', 'शिकायत', ['तक्रार', 'complaint']],
    ['English', 402, 'en', 'complaint', ['तक्रार', 'शिकायत']],
  ] as const)('answers a %s SMS in its language, to the citizen, from our number, with the ticket number and a status callback', async (_name, i, lang, word, others) => {
    const sms = await citizenWrites(i);
    const entry = await replyIn(sms.MessageSid!, 'sent');
    const ticket = await store.findTicketBySource({ channel: 'sms', accountId: TEST_FROM, externalId: sms.MessageSid! });
    expect(ticket?.language).toBe(lang);

    expect(fake.sent).toHaveLength(1);
    const sent = fake.sent[0]!;
    expect(sent).toMatchObject({ sid: entry.providerId, To: sms.From, From: TEST_FROM, StatusCallback: SMS_STATUS_PUBLIC });
    expect(sent.MessagingServiceSid).toBeUndefined();
    expect(sent.Body).toContain(ticket!.ticketNo);
    expect(sent.Body!.toLowerCase()).toContain(word);
    for (const other of others) expect(sent.Body!.toLowerCase()).not.toContain(other);
  });

  it('records signed delivery receipts: delivered, and undelivered with Twilio error 30003', async () => {
    const first = await citizenWrites(500);
    const second = await citizenWrites(503);
    const a = await replyIn(first.MessageSid!, 'sent');
    const b = await replyIn(second.MessageSid!, 'sent');

    expect(await receipt(a.providerId!, 'delivered')).toBe(204);
    await replyIn(first.MessageSid!, 'delivered');

    expect(await receipt(b.providerId!, 'undelivered', { ErrorCode: '30003' })).toBe(204);
    const undelivered = await replyIn(second.MessageSid!, 'undelivered');
    expect(undelivered.lastError).toContain('30003');
    // one receipt does not touch the other reply
    expect((await bridge.replyTo(first.MessageSid!))?.state).toBe('delivered');
  });

  it('ignores a status callback that is not signed by Twilio', async () => {
    const sms = await citizenWrites(600);
    const entry = await replyIn(sms.MessageSid!, 'sent');
    const params = { MessageSid: entry.providerId!, MessageStatus: 'delivered', AccountSid: TEST_ACCOUNT_SID };
    const forged = await postSigned(bridge.statusHook, SMS_STATUS_PUBLIC, params, TEST_AUTH_TOKEN + '-wrong');
    expect(forged.status).toBe(403);
    expect((await store.getOutbox(entry.id))?.state).toBe('sent');
  });
});
