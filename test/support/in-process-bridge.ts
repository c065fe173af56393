import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../../src/app.ts';
import type { Logger } from '../../src/http/logger.ts';
import type { OutboxEntry } from '../../src/model/index.ts';
import type { ArchivedInbound } from '../../src/store/store.ts';
import { freePort } from './bridge-process.ts';
import type { FakeTwilioApi } from './fake-twilio-api.ts';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_FROM } from './sms-webhooks.ts';
import { copyShippedConfig } from './shipped-config.ts';

export const PUBLIC_BASE_URL = 'https://bridge.example.test';
/** what Twilio calls (and signs) for inbound messages and for delivery receipts */
export const SMS_HOOK_PUBLIC = `${PUBLIC_BASE_URL}/webhooks/sms/twilio`;
export const SMS_STATUS_PUBLIC = `${PUBLIC_BASE_URL}/webhooks/sms/twilio/status`;

/** retries in milliseconds and a sweep every 100 ms, so retry paths finish in well under a second */
export const FAST_PIPELINE_YAML = 'server: { requestTimeoutMs: 1500 }\npipeline: { retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200, keepTryingMs: 0 }, sweepIntervalMs: 100 }\n';

export interface InProcessBridge {
  app: App;
  /** where to post inbound webhooks and status callbacks (loopback) */
  hook: string;
  statusHook: string;
  /** the archived inbound row of one of our SMS, by its MessageSid */
  inbound(messageSid: string): Promise<ArchivedInbound | undefined>;
  /** the outbox entry answering one of our SMS, by its MessageSid */
  replyTo(messageSid: string): Promise<OutboxEntry | undefined>;
  /** every outbox entry answering this MessageSid */
  repliesTo(messageSid: string): Promise<OutboxEntry[]>;
  close(): Promise<void>;
}

/** what every in-process bridge of the tests runs on: a free loopback port, the store and files in `dir`, no logs */
export async function localBridgeEnv(dir: string): Promise<Record<string, string>> {
  return {
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    STORE_URL: `sqlite:${join(dir, 'bridge.db')}`,
    ATTACHMENTS_DIR: join(dir, 'attachments'),
    PUBLIC_BASE_URL,
    LOG_LEVEL: 'silent',
    // tests run at any hour: nothing the bridge starts itself waits for the morning, or for a change to settle,
    // unless a test says so
    QUIET_HOURS: 'off',
    NOTIFY_SETTLE_SECONDS: '0',
  };
}

/**
 * The whole bridge in this process (startApp): a temp SQLite file, a temp config dir (default.yaml plus a
 * local.yaml), SMS on with the real twilio SDK pointed at `fake`.
 */
export async function startInProcessBridge(fake: FakeTwilioApi, localYaml = FAST_PIPELINE_YAML, opts: { logger?: Logger } = {}): Promise<InProcessBridge> {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-bridge-'));
  copyShippedConfig(dir);
  writeFileSync(join(dir, 'local.yaml'), localYaml);
  let app: App;
  try {
    app = await startApp({
      configDir: dir,
      ...(opts.logger ? { logger: opts.logger } : {}),
      env: {
        ...(await localBridgeEnv(dir)),
        TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
        TWILIO_FROM: TEST_FROM,
        TWILIO_API_BASE: fake.url,
      },
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const repliesTo = async (sid: string) => (await app.store.listOutbox()).filter((e) => e.message.inReplyTo === sid);
  return {
    app,
    hook: `${app.url}/webhooks/sms/twilio`,
    statusHook: `${app.url}/webhooks/sms/twilio/status`,
    inbound: (sid) => app.store.getInboundBySource({ channel: 'sms', accountId: TEST_FROM, externalId: sid }),
    repliesTo,
    replyTo: async (sid) => (await repliesTo(sid))[0],
    close: async () => {
      try {
        await app.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
