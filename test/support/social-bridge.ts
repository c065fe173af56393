import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../../src/app.ts';
import type { Logger } from '../../src/http/logger.ts';
import type { Channel, OutboxEntry } from '../../src/model/index.ts';
import { FB_APP_SECRET, FB_PAGE, FB_PAGE_TOKEN, FB_VERIFY_TOKEN } from './facebook-webhooks.ts';
import type { FakeGraphApi } from './fake-graph-api.ts';
import type { FakeTwilioApi } from './fake-twilio-api.ts';
import type { FakeXApi } from './fake-x-api.ts';
import { FAST_PIPELINE_YAML, localBridgeEnv } from './in-process-bridge.ts';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_FROM } from './sms-webhooks.ts';
import { copyShippedConfig } from './shipped-config.ts';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

export type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);
/** b over a, objects merged key by key (as the config loader merges local.yaml over default.yaml) */
export const merge = (a: Plain, b: Plain): Plain => {
  const out: Plain = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isPlain(v) && isPlain(out[k]) ? merge(out[k] as Plain, v) : v;
  return out;
};

/** the X account and app the tests use (made up) */
export const X_ACCOUNT = '1700000000000000001';
export const X_APP_KEY = 'test-app-key-0123';
export const X_KEYS = { X_ACCOUNT_ID: X_ACCOUNT, X_API_KEY: X_APP_KEY, X_API_SECRET: 'test-app-secret-0123', X_ACCESS_TOKEN: 'test-access-token-0123', X_ACCESS_SECRET: 'test-access-secret-0123' };

export interface SocialBridge {
  app: App;
  dir: string;
  /** the outbox entries on a channel, oldest first */
  outbox(channel: Channel): Promise<OutboxEntry[]>;
  /** keepFiles: stop, leaving the store for a restart on the same dir */
  close(opts?: { keepFiles?: boolean }): Promise<void>;
}

/**
 * The whole bridge in this process with Facebook (the real SDK against `graph`), X (against `x`) and SMS (against
 * `twilio`) on, each only when its fake is given. Polls run only when a test calls `app.polls.runAll()` unless
 * `localYaml` makes them frequent. `logger`: where the bridge logs (none by default).
 */
export async function startSocialBridge(
  fakes: { graph?: FakeGraphApi; x?: FakeXApi; twilio?: FakeTwilioApi },
  opts: { localYaml?: string; env?: Record<string, string>; dir?: string; logger?: Logger } = {},
): Promise<SocialBridge> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'pmc-social-'));
  copyShippedConfig(dir);
  // the catch-up polls would run at start: long intervals, so a test decides when they run
  const local = [FAST_PIPELINE_YAML, 'channels: { facebook: { commentsPollSeconds: 86400 }, twitter: { pollSeconds: 86400, catchUpPollSeconds: 86400 } }', opts.localYaml ?? '']
    .map((y) => (parseYaml(y) ?? {}) as Plain)
    .reduce(merge, {});
  writeFileSync(join(dir, 'local.yaml'), stringifyYaml(local));
  const env: Record<string, string> = {
    ...(await localBridgeEnv(dir)),
    ...(fakes.graph
      ? { FACEBOOK_APP_SECRET: FB_APP_SECRET, FACEBOOK_VERIFY_TOKEN: FB_VERIFY_TOKEN, FACEBOOK_PAGE_ID: FB_PAGE, FACEBOOK_PAGE_TOKEN: FB_PAGE_TOKEN, FACEBOOK_GRAPH_BASE: fakes.graph.url }
      : {}),
    ...(fakes.x ? { ...X_KEYS, X_API_BASE: fakes.x.url } : {}),
    ...(fakes.twilio ? { TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_FROM: TEST_FROM, TWILIO_API_BASE: fakes.twilio.url } : {}),
    ...opts.env,
  };
  let app: App;
  try {
    app = await startApp({ configDir: dir, env, ...(opts.logger ? { logger: opts.logger } : {}) });
  } catch (err) {
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    app,
    dir,
    outbox: async (channel) => (await app.store.listOutbox()).filter((e) => e.message.channel === channel).sort((a, b) => a.id - b.id),
    close: async (how = {}) => {
      try {
        await app.stop();
      } finally {
        if (!opts.dir && !how.keepFiles) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
