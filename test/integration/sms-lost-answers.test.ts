import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/model/index.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { freePort, startBridge } from '../support/bridge-process.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { FAST_PIPELINE_YAML, SMS_HOOK_PUBLIC, startInProcessBridge, type InProcessBridge } from '../support/in-process-bridge.ts';
import { copyShippedConfig } from '../support/shipped-config.ts';
import { postSigned, smsBridgeEnv, smsParams, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_PUBLIC_BASE_URL } from '../support/sms-webhooks.ts';
import { until } from '../support/wait.ts';

// Twilio's SDK gives up on a call after this; the fake answers "late" after twice as long
const SDK_TIMEOUT_MS = 800;
const YAML = `${FAST_PIPELINE_YAML}channels: { sms: { requestTimeoutMs: ${SDK_TIMEOUT_MS} } }\n`;

/**
 * A reply Twilio accepted but whose answer we never heard (a reset, a time-out, a shutdown mid-send) must not be
 * sent twice: the next attempt looks it up at Twilio first. smsParams(i): Marathi for i % 5 = 0, Hindi 1, English 2.
 */
describe('a reply whose answer from Twilio was lost is sent once (real twilio SDK, rude fake Messages API)', () => {
  let fake: FakeTwilioApi;
  let bridge: InProcessBridge;

  beforeAll(async () => {
    fake = await startFakeTwilioApi({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN });
    bridge = await startInProcessBridge(fake, YAML);
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
  const lookups = () => fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/Messages.json'));

  async function citizenWrites(i: number): Promise<string> {
    const params = smsParams(i);
    const res = await postSigned(bridge.hook, SMS_HOOK_PUBLIC, params);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    return params.MessageSid!;
  }
  const sentReply = (sid: string) =>
    until(`the reply to ${sid} to be sent`, async () => {
      const entry = await bridge.replyTo(sid);
      return entry?.state === 'sent' ? entry : undefined;
    });
  const sentTo = (to: string) => fake.sent.filter((m) => m.To === to);

  it('Twilio takes each of 5 replies and drops the connection: each is found at Twilio, none sent twice', async () => {
    fake.rudeNext(5, 'reset-after-create');
    const sids = [];
    for (let i = 500; i < 505; i++) sids.push(await citizenWrites(i));
    const entries: OutboxEntry[] = [];
    for (const sid of sids) entries.push(await sentReply(sid));

    expect(fake.sent).toHaveLength(5);
    expect(creates()).toHaveLength(5);
    for (const [k, entry] of entries.entries()) {
      // the one message Twilio has for this citizen is the one the outbox now points at
      expect(sentTo(entry.message.to)).toHaveLength(1);
      expect(entry.providerId).toBe(sentTo(entry.message.to)[0]!.sid);
      expect(entry.lastError).toMatch(/Twilio send failed/);
      expect(entry.attempts, `reply ${k}`).toBe(2);
    }
    expect(lookups().length).toBeGreaterThanOrEqual(5);
  });

  it('Twilio answers after the SDK gave up: the reply is found at Twilio, not sent again', async () => {
    fake.rudeNext(2, 'answer-late', SDK_TIMEOUT_MS * 2);
    const sids = [await citizenWrites(511), await citizenWrites(512)];
    for (const sid of sids) {
      const entry = await sentReply(sid);
      expect(sentTo(entry.message.to)).toHaveLength(1);
      expect(entry.providerId).toBe(sentTo(entry.message.to)[0]!.sid);
    }
    expect(fake.sent).toHaveLength(2);
    expect(creates()).toHaveLength(2);
  });

  it('a connection dropped before Twilio took the message: looked up, not found, sent once', async () => {
    fake.rudeNext(1, 'reset-before-create');
    const sid = await citizenWrites(520);
    const entry = await sentReply(sid);
    expect(creates()).toHaveLength(2);
    expect(fake.sent).toHaveLength(1);
    expect(entry.providerId).toBe(fake.sent[0]!.sid);
    expect(lookups().length).toBeGreaterThanOrEqual(1);
  });

  it('a refused connection or a 429 means Twilio cannot have the message: retried without a lookup', async () => {
    fake.failNext(1, 429, 20429, '0');
    const sid = await citizenWrites(530);
    await sentReply(sid);
    expect(creates()).toHaveLength(2);
    expect(lookups()).toHaveLength(0);
    expect(fake.sent).toHaveLength(1);
  });
});

describe('SIGTERM while a send hangs, then a restart (the bridge as a child process)', () => {
  let fake: FakeTwilioApi;
  let dir: string;

  beforeAll(async () => {
    fake = await startFakeTwilioApi({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN });
    dir = mkdtempSync(join(tmpdir(), 'pmc-lost-'));
    copyShippedConfig(dir);
    writeFileSync(join(dir, 'local.yaml'), YAML);
  });
  afterAll(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the reply Twilio took while the bridge stopped is not sent again after the restart', async () => {
    const db = join(dir, 'bridge.db');
    const env = { ...smsBridgeEnv(db, fake.url), PMC_CONFIG_DIR: dir };
    fake.rudeNext(1, 'hang');
    let bridge = await startBridge(env, await freePort());
    const params = smsParams(540);
    const res = await postSigned(`${bridge.url}/webhooks/sms/twilio`, `${TEST_PUBLIC_BASE_URL}/webhooks/sms/twilio`, params);
    expect(res.status).toBe(200);
    await until('Twilio to have taken the reply', () => fake.sent.length === 1);
    bridge.proc.kill('SIGTERM');
    expect((await bridge.exited).code).toBe(0);

    bridge = await startBridge(env, await freePort());
    try {
      const store = SqliteStore.open(db, { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
      try {
        const entry = await until('the reply to be recorded as sent', async () => {
          const e = (await store.listOutbox()).find((x) => x.message.inReplyTo === params.MessageSid);
          return e?.state === 'sent' ? e : undefined;
        });
        expect(entry.providerId).toBe(fake.sent[0]!.sid);
      } finally {
        await store.close();
      }
      expect(fake.sent).toHaveLength(1);
      expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    } finally {
      bridge.proc.kill('SIGTERM');
      await bridge.exited;
    }
  });
});
