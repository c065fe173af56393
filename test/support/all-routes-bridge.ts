import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';
import type { Logger } from '../../src/http/logger.ts';
import { FB_APP_SECRET, FB_PAGE, FB_PAGE_TOKEN } from './facebook-webhooks.ts';
import { startFakeGraphApi } from './fake-graph-api.ts';
import { startFakeTwilioApi } from './fake-twilio-api.ts';
import { startFakeXApi } from './fake-x-api.ts';
import { CALLCENTRE_TEST_KEY, LOKSHAHI_TEST_SECRET, X_HANDLE, X_WEBHOOK_TEST_SECRET, type PushFakes } from './push-channels.ts';
import { TEST_AUTH_TOKEN, TEST_PUBLIC_BASE_URL } from './sms-webhooks.ts';
import { startSocialBridge, X_APP_KEY, X_KEYS, type SocialBridge } from './social-bridge.ts';
import { TEST_WEBCHAT_SECRET } from './webchat-bridge.ts';

/** an intake source for other systems, with Open311 on, so that every intake route is mounted */
export const ZPLUS_TEST_KEY = 'zplus-test-key-0123456789abcdef';

// the call centre as shipped, plus an api source with Open311; room for many chats from one address and many
// messages in one conversation, and no per-client limit on /webhooks/ (the sweep posts far more than a citizen
// would, most of it refused, all from one address; client-limits.test.ts tests the limits)
const LOCAL_YAML = `
server: { clientLimits: { requestsPerMinute: 0, refusalsPerMinute: 0 } }
intake:
  sources:
    - { id: callcentre, keyEnv: CALLCENTRE_API_KEY, channel: phone, open311: false }
    - { id: zplus, keyEnv: ZPLUS_API_KEY, channel: api, open311: true }
channels: { webchat: { sessionsPerMinute: 100000, messagesPerMinute: 100000 } }
`;

export interface AllRoutesBridge extends SocialBridge {
  fakes: PushFakes;
  stopAll(): Promise<void>;
}

/**
 * The whole bridge in this process with every channel that has HTTP routes on: SMS, Facebook and X against their
 * fakes, web chat, Lokshahi, the call centre's intake API and an Open311 source. (Email is read over IMAP and has
 * no route, so it stays off.) Throws when one of them did not come on, so a sweep never quietly covers less.
 */
export async function startAllRoutesBridge(opts: { logger?: Logger } = {}): Promise<AllRoutesBridge> {
  const fakes: PushFakes = {
    twilio: await startFakeTwilioApi(),
    graph: await startFakeGraphApi({ pages: { [FB_PAGE]: FB_PAGE_TOKEN } }),
    x: await startFakeXApi({ accountId: X_KEYS.X_ACCOUNT_ID, username: X_HANDLE, appKey: X_APP_KEY }),
  };
  const closeFakes = () => Promise.all([fakes.twilio.close(), fakes.graph.close(), fakes.x.close()]);
  let bridge: SocialBridge;
  try {
    bridge = await startSocialBridge(fakes, {
      localYaml: LOCAL_YAML,
      ...(opts.logger ? { logger: opts.logger } : {}),
      env: {
        X_WEBHOOK_SECRET: X_WEBHOOK_TEST_SECRET,
        WEBCHAT_TOKEN_SECRET: TEST_WEBCHAT_SECRET,
        LOKSHAHI_SECRET: LOKSHAHI_TEST_SECRET,
        CALLCENTRE_API_KEY: CALLCENTRE_TEST_KEY,
        ZPLUS_API_KEY: ZPLUS_TEST_KEY,
      },
    });
  } catch (err) {
    await closeFakes();
    throw err;
  }
  const off = bridge.app.channels.filter((c) => !c.on && c.channel !== 'email');
  if (off.length > 0) {
    await bridge.close();
    await closeFakes();
    throw new Error(`channels did not come on: ${off.map((c) => `${c.channel} (${c.reason})`).join(', ')}`);
  }
  return Object.assign(bridge, {
    fakes,
    stopAll: async () => {
      try {
        await bridge.close();
      } finally {
        await closeFakes();
      }
    },
  });
}

export interface Route {
  method: string;
  url: string;
}

/**
 * Every route of a running fastify, read from `printRoutes({ commonPrefix: false })`: a tree whose lines are
 * `├── <segment> (METHODS)`, each segment continuing its parent's path, the depth given by the column of its
 * branch. Read from the server rather than listed by hand, so a route added later is swept too.
 */
export function listRoutes(server: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of server.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([\s│]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!m) continue;
    const depth = [...m[1]!].length / 4;
    stack.length = depth;
    const url = (stack[depth - 1] ?? '') + m[2]!;
    stack.push(url);
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) routes.push({ method, url });
  }
  if (routes.length === 0) throw new Error(`no route read from printRoutes:\n${server.printRoutes({ commonPrefix: false })}`);
  return routes;
}

const hmac = (key: string, bytes: Buffer, encoding: 'hex' | 'base64') => createHmac('sha256', key).update(bytes).digest(encoding);
const twilioSigned = (path: string) => (body: Buffer, key = TEST_AUTH_TOKEN) => ({
  'x-twilio-signature': twilio.getExpectedTwilioSignature(key, `${TEST_PUBLIC_BASE_URL}${path}`, Object.fromEntries(new URLSearchParams(body.toString('utf8')))),
});
const hex = (header: string, ourKey: string) => (body: Buffer, key = ourKey) => ({ [header]: `sha256=${hmac(key, body, 'hex')}` });

/** a key that is none of ours: a signature made with it is well-formed, and forged */
export const FORGED_KEY = 'not-our-key-0123456789abcdef';

/**
 * How each signed route's sender signs a body's exact bytes, as its provider does (with `key`, a forgery): what
 * lets a bad body past the signature to the parser behind it.
 */
export const SIGNERS: Record<string, (body: Buffer, key?: string) => Record<string, string>> = {
  '/webhooks/sms/twilio': twilioSigned('/webhooks/sms/twilio'),
  '/webhooks/sms/twilio/status': twilioSigned('/webhooks/sms/twilio/status'),
  '/webhooks/facebook': hex('x-hub-signature-256', FB_APP_SECRET),
  '/webhooks/twitter': (b, key = X_WEBHOOK_TEST_SECRET) => ({ 'x-twitter-webhooks-signature': `sha256=${hmac(key, b, 'base64')}` }),
  '/webhooks/lokshahi': hex('x-lokshahi-signature', LOKSHAHI_TEST_SECRET),
  '/webhooks/api/callcentre': hex('x-signature', CALLCENTRE_TEST_KEY),
  '/webhooks/api/zplus': hex('x-signature', ZPLUS_TEST_KEY),
};
